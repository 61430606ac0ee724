/** One entry of the audit trail (CONV-05), as callers record it. */
export interface AuditEvent {
  occurredAt: Date;
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  /** Never personal data in clear: masked values and ids only. */
  details?: Record<string, unknown>;
}

/** An event as stored: its position in the trail (bigint as a string) and its details. */
export interface StoredAuditEvent extends AuditEvent {
  id: string;
  details: Record<string, unknown>;
}
