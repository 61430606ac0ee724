import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** CONV-05: an immutable record of who did what (a trigger rejects UPDATE and DELETE). */
@Entity('audit_events')
@Index('audit_events_subject_idx', ['subjectType', 'subjectId'])
@Index('audit_events_actor_idx', ['actorId', 'id'])
@Index('audit_events_action_idx', ['action', 'id'])
@Index('audit_events_occurred_at_idx', ['occurredAt', 'id'])
// Partial expression indexes on details (migration 1765000400000), which TypeORM cannot describe.
@Index('audit_events_details_campaign_idx', { synchronize: false })
@Index('audit_events_details_code_idx', { synchronize: false })
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
