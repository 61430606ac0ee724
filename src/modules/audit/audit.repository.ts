import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '../../database/transaction.js';
import { AuditEventEntity } from './audit-event.entity.js';
import type { AuditFilter } from './audit-cursor.js';
import type { AuditEvent, StoredAuditEvent } from './audit.types.js';

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

  /**
   * One page of the trail, newest first (by id), below `beforeId` when given. Each filter that is
   * set narrows the page (AND); each is one OR of indexed conditions (migration 1765000400000):
   *   userId      actor, or subject `user`
   *   campaignId  subject `campaign`, or details.campaignId
   *   code        action, or details.code (a refusal's code)
   *   from / to   occurred_at in [from, to)
   */
  async search(
    filter: AuditFilter,
    beforeId: string | null,
    limit: number,
  ): Promise<StoredAuditEvent[]> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    if (filter.userId !== null) {
      const p = param(filter.userId);
      // One text parameter for both sides: actor_id is a uuid column, subject_id a text one.
      where.push(
        `(actor_id = ${p}::text::uuid OR (subject_type = 'user' AND subject_id = ${p}::text))`,
      );
    }
    if (filter.campaignId !== null) {
      const p = param(filter.campaignId);
      where.push(
        `((subject_type = 'campaign' AND subject_id = ${p}) OR details->>'campaignId' = ${p})`,
      );
    }
    if (filter.code !== null) {
      const p = param(filter.code);
      where.push(`(action = ${p} OR details->>'code' = ${p})`);
    }
    if (filter.from !== null) where.push(`occurred_at >= ${param(filter.from)}::timestamptz`);
    if (filter.to !== null) where.push(`occurred_at < ${param(filter.to)}::timestamptz`);
    if (beforeId !== null) where.push(`id < ${param(beforeId)}::bigint`);
    // ORDER BY names the column, not the text alias `id` (as text, '10' would sort before '9').
    const rows: {
      id: string;
      occurred_at: Date;
      actor_id: string | null;
      action: string;
      subject_type: string;
      subject_id: string;
      details: Record<string, unknown>;
    }[] = await this.dataSource.manager.query(
      `SELECT id::text AS id, occurred_at, actor_id, action, subject_type, subject_id, details
       FROM audit_events
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY audit_events.id DESC
       LIMIT ${param(limit)}`,
      params,
    );
    return rows.map((r) => ({
      id: r.id,
      occurredAt: r.occurred_at,
      actorId: r.actor_id,
      action: r.action,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      details: r.details,
    }));
  }
}
