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
    await manager.insert(AuditEventEntity, {
      ...event,
      details: () => `'${JSON.stringify(event.details ?? {}).replace(/'/g, "''")}'::jsonb`,
    });
  }

  async listForSubject(subjectType: string, subjectId: string): Promise<AuditEvent[]> {
    return this.dataSource.manager.find(AuditEventEntity, {
      where: { subjectType, subjectId },
      order: { id: 'ASC' },
    });
  }
}
