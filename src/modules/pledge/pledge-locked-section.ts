/**
 * The pledge's locked section sent with its COMMIT (issue 18, DESIGN §10): one statement, one
 * round trip, so the campaign row and the escrow account are held only while the function runs
 * and the commit flushes. It goes as a simple-protocol query (no parameters), so every value is a
 * literal escaped by the driver (`literal`). Pure, so the bench's references send the same text.
 */

/** The SQLSTATEs of `pledge_hold_and_claim_or_refuse` (migration 1766030000000). */
export const LOCKED_SECTION_REFUSED = {
  /** The campaign refused the claim: not LIVE, past its deadline, hard cap or investor cap. */
  campaign: 'ZP001',
  /** The reward tier is sold out. */
  tier: 'ZP002',
  /** The hold was not written (never a business refusal). */
  held: 'ZP003',
} as const;

export interface LockedSectionInput {
  campaignId: string;
  amount: string;
  newInvestor: boolean;
  rewardTierId: string | null;
  now: Date;
  holdId: string;
  debitAccountId: string;
  creditAccountId: string;
  currency: string;
  reference: string;
}

export function lockedSectionStatement(
  i: LockedSectionInput,
  literal: (value: string) => string,
): string {
  const tier = i.rewardTierId === null ? 'NULL' : literal(i.rewardTierId);
  return `SELECT pledge_hold_and_claim_or_refuse(${literal(i.campaignId)}::uuid,
    ${literal(i.amount)}::numeric, ${i.newInvestor ? 1 : 0}, ${tier}::uuid,
    ${literal(i.now.toISOString())}::timestamptz, ${literal(i.holdId)}::uuid,
    ${literal(i.debitAccountId)}::uuid, ${literal(i.creditAccountId)}::uuid,
    ${literal(i.currency)}, ${literal(i.reference)})`;
}
