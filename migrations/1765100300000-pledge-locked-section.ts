import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pledges (issue 12):
 * - `financial`: whether the pledge is an investment (equity or debt). Reward and donation pledges
 *   never count toward an investor's rolling limit (INV-9, PLAT-09); the limit's sum reads this
 *   column instead of joining campaigns on the hot path.
 * - the pledge's locked section as one function (DESIGN §10), composed of the functions the
 *   owners of the other tables define: the ledger locks the two accounts (its order), the campaign
 *   claims its counters and the tier's stock, and only if both held the ledger places the hold.
 */
export class PledgeLockedSection1765100300000 implements MigrationInterface {
  name = 'PledgeLockedSection1765100300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "pledges" ADD "financial" boolean`);
    await q.query(
      `UPDATE "pledges" p SET "financial" = c."kind" IN ('EQUITY', 'DEBT') FROM "campaigns" c WHERE c."id" = p."campaign_id"`,
    );
    await q.query(`ALTER TABLE "pledges" ALTER COLUMN "financial" SET NOT NULL`);
    await q.query(`
      CREATE FUNCTION "pledge_hold_and_claim"(p_campaign uuid, p_amount numeric,
        p_new_investor integer, p_tier uuid, p_now timestamptz, p_hold uuid, p_debit uuid,
        p_credit uuid, p_currency text, p_reference text,
        OUT o_campaign boolean, OUT o_tier boolean, OUT o_held boolean)
      LANGUAGE plpgsql AS $$
      BEGIN
        o_campaign := false; o_tier := false; o_held := false;
        IF ledger_lock_accounts(ARRAY[p_debit, p_credit]) <> 2 THEN RETURN; END IF;
        SELECT c.o_campaign, c.o_tier INTO o_campaign, o_tier
        FROM campaign_claim(p_campaign, p_amount, p_new_investor, p_tier, p_now) c;
        IF o_campaign AND o_tier THEN
          o_held := ledger_place_hold(p_hold, 'PLEDGE', p_debit, p_credit, p_amount, p_currency,
                                      p_reference, p_now);
        END IF;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP FUNCTION "pledge_hold_and_claim"(uuid, numeric, integer, uuid, timestamptz, uuid, uuid, uuid, text, text)`,
    );
    await q.query(`ALTER TABLE "pledges" DROP COLUMN "financial"`);
  }
}
