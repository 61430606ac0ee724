import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ValidationFailedError } from '../../common/errors/domain-error.js';
import { authConfig, type AuthConfig } from '../../config/namespaces.js';
import type { Tx } from '../../database/transaction.js';
import { type AuditFilter, decodeAuditCursor, encodeAuditCursor } from './audit-cursor.js';
import { AuditRepository } from './audit.repository.js';
import type { AuditEvent, StoredAuditEvent } from './audit.types.js';
import {
  AUDIT_PAGE_DEFAULT,
  type AuditEventDto,
  type AuditEventPageDto,
  type AuditEventsQueryDto,
} from './dto/audit-events.dto.js';

/**
 * The audit trail's public face (CONV-05). Every module records through `append`, inside its own
 * transaction so the record and its effect commit together; nothing outside this module touches
 * `audit_events` or AuditRepository (DESIGN §2, one owner per table). ADMIN and FINANCE read the
 * trail, refusals included, through `search` (GET /admin/audit-events).
 */
@Injectable()
export class AuditService {
  /** Signs trail cursors; derived from the JWT secret, so it needs no setting of its own. */
  private readonly cursorKey: Buffer;

  constructor(
    private readonly events: AuditRepository,
    @Inject(authConfig.KEY) auth: AuthConfig,
  ) {
    this.cursorKey = createHmac('sha256', auth.jwtSecret).update('zc-audit-cursor-v1').digest();
  }

  /** Appends one event; with `tx`, in the caller's transaction. Details never carry PII in clear. */
  append(event: AuditEvent, tx?: Tx): Promise<void> {
    return this.events.append(event, tx);
  }

  /** Every event about one subject, oldest first. */
  listForSubject(subjectType: string, subjectId: string): Promise<AuditEvent[]> {
    return this.events.listForSubject(subjectType, subjectId);
  }

  /**
   * One page of the trail, newest first, keyed by event id. A walk is stable under concurrent
   * inserts: events written after its first page have larger ids and never shift or repeat a
   * later page (they show on the next walk's first page). Bad filters or a cursor this server did
   * not issue for the same filters are a 400 VALIDATION_FAILED, before anything is read.
   */
  async search(query: AuditEventsQueryDto): Promise<AuditEventPageDto> {
    const filter: AuditFilter = {
      userId: query.userId?.toLowerCase() ?? null,
      campaignId: query.campaignId?.toLowerCase() ?? null,
      code: query.code ?? null,
      from: instant('from', query.from),
      to: instant('to', query.to),
    };
    if (filter.from !== null && filter.to !== null && filter.from >= filter.to)
      throw new ValidationFailedError([{ field: 'to', problems: ['to must be after from'] }]);
    const beforeId =
      query.cursor === undefined ? null : decodeAuditCursor(query.cursor, filter, this.cursorKey);
    const limit = query.limit ?? AUDIT_PAGE_DEFAULT;
    const events = await this.events.search(filter, beforeId, limit);
    const last = events.at(-1);
    return {
      events: events.map(toDto),
      nextCursor:
        last && events.length === limit
          ? encodeAuditCursor({ filter, beforeId: last.id }, this.cursorKey)
          : null,
    };
  }
}

/**
 * The instant in UTC, or null when absent. Postgres has no year 0 and JavaScript dates go
 * beyond 9999: an instant whose UTC year falls outside 1-9999 (0000-01-01T00:00Z, or
 * 0001-01-01T00:00+14:00) is a 400, not a failed query.
 */
function instant(field: 'from' | 'to', value: string | undefined): string | null {
  if (value === undefined) return null;
  const date = new Date(value);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1 || year > 9999)
    throw new ValidationFailedError([
      { field, problems: [`${field} must be an instant between the years 1 and 9999 (UTC)`] },
    ]);
  return date.toISOString();
}

function toDto(e: StoredAuditEvent): AuditEventDto {
  return {
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    actorId: e.actorId,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    details: e.details,
  };
}
