import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: the pledge's locked section and its COMMIT in one round trip. `pledge_hold_and_claim`
 * says which claims held and leaves the caller to roll back; sent together with COMMIT, a refusal
 * must instead abort the transaction, so this wrapper raises one SQLSTATE per refusal, which the
 * service names as before (PledgePlacement): ZP001 the campaign refused the claim (closed, hard
 * cap or investor cap: named from a second read), ZP002 the reward tier is sold out, ZP003 the
 * hold was not written (a bug, never a business refusal).
 */
export class PledgeLockedSectionRefuses1766030000000 implements MigrationInterface {
  name = 'PledgeLockedSectionRefuses1766030000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION "pledge_hold_and_claim_or_refuse"(p_campaign uuid, p_amount numeric,
        p_new_investor integer, p_tier uuid, p_now timestamptz, p_hold uuid, p_debit uuid,
        p_credit uuid, p_currency text, p_reference text)
      RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        r record;
      BEGIN
        SELECT * INTO r FROM pledge_hold_and_claim(p_campaign, p_amount, p_new_investor, p_tier,
          p_now, p_hold, p_debit, p_credit, p_currency, p_reference);
        IF NOT r.o_campaign THEN
          RAISE EXCEPTION 'the campaign refused the pledge''s claim' USING ERRCODE = 'ZP001';
        END IF;
        IF NOT r.o_tier THEN
          RAISE EXCEPTION 'the reward tier is sold out' USING ERRCODE = 'ZP002';
        END IF;
        IF NOT r.o_held THEN
          RAISE EXCEPTION 'the pledge''s hold was not written' USING ERRCODE = 'ZP003';
        END IF;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP FUNCTION "pledge_hold_and_claim_or_refuse"(uuid, numeric, integer, uuid, timestamptz, uuid, uuid, uuid, text, text)`,
    );
  }
}
