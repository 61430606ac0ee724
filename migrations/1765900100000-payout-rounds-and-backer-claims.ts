import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16, after the holdback (RW-03):
 *
 * - `payouts`: a campaign may be paid out in more than one payout (the net less the holdback
 *   first, the released holdback later). "One payout per campaign" becomes "one REQUESTED payout
 *   per campaign at a time" (a partial unique index, the arbiter under concurrency; requests are
 *   also serialised per founder by an advisory lock on the founder's payable).
 * - `late_delivery_refunds`: the backer's claim (the shortfall) is paid from the founder's payable
 *   as money reaches it, oldest first, partially if need be: `claim_paid` of `shortfall` so far,
 *   `claim_settled_at` once paid in full. The index finds a founder's open claims in order.
 */
export class PayoutRoundsAndBackerClaims1765900100000 implements MigrationInterface {
  name = 'PayoutRoundsAndBackerClaims1765900100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "payouts" DROP CONSTRAINT "payouts_campaign_id_key"`);
    await q.query(`CREATE INDEX "payouts_campaign_idx" ON "payouts" ("campaign_id")`);
    await q.query(
      `CREATE UNIQUE INDEX "payouts_campaign_id_requested_key" ON "payouts" ("campaign_id") WHERE "status" = 'REQUESTED'`,
    );
    await q.query(`
      ALTER TABLE "late_delivery_refunds"
        ADD COLUMN "claim_paid" numeric(20,2) NOT NULL DEFAULT 0,
        ADD COLUMN "claim_settled_at" timestamptz,
        ADD CONSTRAINT "late_delivery_refunds_claim_paid_check" CHECK ("claim_paid" >= 0 AND "claim_paid" <= "shortfall"),
        ADD CONSTRAINT "late_delivery_refunds_claim_settled_check" CHECK (("claim_settled_at" IS NOT NULL) = ("shortfall" > 0 AND "claim_paid" = "shortfall"))`);
    await q.query(
      `CREATE INDEX "late_delivery_refunds_open_claims_idx" ON "late_delivery_refunds" ("founder_id", "requested_at", "pledge_id") WHERE "claim_paid" < "shortfall"`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "late_delivery_refunds_open_claims_idx"`);
    await q.query(`
      ALTER TABLE "late_delivery_refunds"
        DROP CONSTRAINT "late_delivery_refunds_claim_settled_check",
        DROP CONSTRAINT "late_delivery_refunds_claim_paid_check",
        DROP COLUMN "claim_settled_at",
        DROP COLUMN "claim_paid"`);
    await q.query(`DROP INDEX "payouts_campaign_id_requested_key"`);
    await q.query(`DROP INDEX "payouts_campaign_idx"`);
    await q.query(
      `ALTER TABLE "payouts" ADD CONSTRAINT "payouts_campaign_id_key" UNIQUE ("campaign_id")`,
    );
  }
}
