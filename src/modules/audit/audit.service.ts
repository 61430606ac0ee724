import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database/transaction.js';
import { AuditRepository } from './audit.repository.js';
import type { AuditEvent } from './audit.types.js';

/**
 * The audit trail's public face (CONV-05). Every module records through `append`, inside its own
 * transaction so the record and its effect commit together; nothing outside this module touches
 * `audit_events` or AuditRepository (DESIGN §2, one owner per table).
 */
@Injectable()
export class AuditService {
  constructor(private readonly events: AuditRepository) {}

  /** Appends one event; with `tx`, in the caller's transaction. Details never carry PII in clear. */
  append(event: AuditEvent, tx?: Tx): Promise<void> {
    return this.events.append(event, tx);
  }

  /** Every event about one subject, oldest first. */
  listForSubject(subjectType: string, subjectId: string): Promise<AuditEvent[]> {
    return this.events.listForSubject(subjectType, subjectId);
  }
}
