/** What a credit record says about a user (PLAT-03: defaults, misrepresentation, repeated financing, fraud). */
export const CREDIT_KINDS = [
  'DEFAULT',
  'MISREPRESENTATION',
  'REPEATED_FINANCING',
  'FRAUD',
  'CITY_CREDIT_SYSTEM',
  'OTHER',
] as const;
export type CreditKind = (typeof CREDIT_KINDS)[number];

/** BLOCKING records deny market access while in force; WARNING records are shown, never block. */
export const CREDIT_SEVERITIES = ['WARNING', 'BLOCKING'] as const;
export type CreditSeverity = (typeof CREDIT_SEVERITIES)[number];

/** A new record as the service takes it (the controller parses the wire format). */
export interface RecordCreditInput {
  userId: string;
  kind: CreditKind;
  severity: CreditSeverity;
  source: string;
  /** Defaults to now. */
  effectiveFrom?: Date;
  /** Null or absent: open-ended until lifted. */
  effectiveUntil?: Date | null;
  note: string;
}

export interface CreditRecordsFilter {
  userId?: string;
  /** true: only records in force now; false: only lifted, expired or not yet effective ones. */
  active?: boolean;
}
