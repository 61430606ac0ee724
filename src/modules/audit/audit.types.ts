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
