import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '../../database/transaction.js';
import { AuditEventEntity } from './audit-event.entity.js';

export interface AuditEvent {
  occurredAt: Date;
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  /** Never personal data in clear: masked values and ids only. */
  details?: Record<string, unknown>;
}

@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Written inside the caller's transaction, so the record and its effect commit together. */
  async append(event: AuditEvent, tx?: Tx): Promise<void> {
    const manager = tx ?? this.dataSource.manager;
    await manager.query(
      `INSERT INTO audit_events (occurred_at, actor_id, action, subject_type, subject_id, details)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        event.occurredAt,
        event.actorId,
        event.action,
        event.subjectType,
        event.subjectId,
        event.details ?? {},
      ],
    );
  }

  async listForSubject(subjectType: string, subjectId: string): Promise<AuditEvent[]> {
    return this.dataSource.manager.find(AuditEventEntity, {
      where: { subjectType, subjectId },
      order: { id: 'ASC' },
    });
  }
}
