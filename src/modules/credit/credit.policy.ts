/** The fields that decide whether a credit record is in force. */
export interface CreditRecordWindow {
  effectiveFrom: Date;
  effectiveUntil: Date | null;
  liftedAt: Date | null;
}

/**
 * PLAT-03: a record is in force from `effectiveFrom` (inclusive) until `effectiveUntil`
 * (exclusive, open-ended when null), unless an admin lifted it. The repository's SQL filter
 * (`CreditRepository.IN_FORCE_SQL`) states the same rule for queries; keep the two together.
 */
export function isInForce(record: CreditRecordWindow, now: Date): boolean {
  return (
    record.liftedAt === null &&
    record.effectiveFrom.getTime() <= now.getTime() &&
    (record.effectiveUntil === null || record.effectiveUntil.getTime() > now.getTime())
  );
}
