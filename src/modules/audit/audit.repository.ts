import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '../../database/transaction.js';
import { AuditEventEntity } from './audit-event.entity.js';
import type { AuditEvent } from './audit.types.js';

/**
 * A string jsonb accepts: no NUL (jsonb refuses \u0000) and no lone UTF-16 surrogate. Details
 * can carry what a client sent (a finance read's query parameters); recording them must never
 * fail the request, so such characters become U+FFFD.
 */
function storable(value: string): string {
  return value
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .split('\u0000')
    .join('\uFFFD');
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
        JSON.stringify(event.details ?? {}, (_key, value: unknown) =>
          typeof value === 'string' ? storable(value) : value,
        ),
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
