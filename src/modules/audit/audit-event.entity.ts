import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** CONV-05: an immutable record of who did what (a trigger rejects UPDATE and DELETE). */
@Entity('audit_events')
@Index('audit_events_subject_idx', ['subjectType', 'subjectId'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column('timestamptz')
  occurredAt: Date;

  @Column('uuid', { nullable: true })
  actorId: string | null;

  @Column('text')
  action: string;

  @Column('text')
  subjectType: string;

  @Column('text')
  subjectId: string;

  @Column('jsonb')
  details: Record<string, unknown>;
}
