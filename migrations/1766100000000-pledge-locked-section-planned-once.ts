import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: the pledge's locked section planned once per connection. `ledger_place_hold` was a
 * LANGUAGE sql function; Postgres 15 keeps an SQL function's plan only for the statement that calls
 * it, so every pledge parsed and planned the hold's INSERT again inside the locked section (a
 * pgbench of the same INSERT as an SQL and as a PL/pgSQL function, called from PL/pgSQL: 0.294-0.304
 * against 0.254-0.258 ms a call). As PL/pgSQL its INSERT is a plan the session keeps; it still
 * returns whether the row was written, and the counters still move only through the statement
 * trigger (INV-3, INV-5). `pledge_hold_and_claim_or_refuse` now calls the ledger's and the
 * campaign's functions itself instead of through `pledge_hold_and_claim` (one PL/pgSQL frame and
 * its record less), with the same checks in the same order and the same SQLSTATEs
 * (migration 1766030000000). `pledge_hold_and_claim` stays as it was for its other caller.
 */
export class PledgeLockedSectionPlannedOnce1766100000000 implements MigrationInterface {
  name = 'PledgeLockedSectionPlannedOnce1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION "ledger_place_hold"(p_id uuid, p_kind text, p_debit uuid,
        p_credit uuid, p_amount numeric, p_currency text, p_reference text, p_created_at timestamptz)
      RETURNS boolean LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO ledger_transfers
          (id, kind, status, debit_account_id, credit_account_id, amount, currency, pending_id, reference, created_at)
        VALUES (p_id, p_kind, 'PENDING', p_debit, p_credit, p_amount, p_currency, NULL, p_reference, p_created_at);
        RETURN FOUND;
      END
      $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION "pledge_hold_and_claim_or_refuse"(p_campaign uuid, p_amount numeric,
        p_new_investor integer, p_tier uuid, p_now timestamptz, p_hold uuid, p_debit uuid,
        p_credit uuid, p_currency text, p_reference text)
      RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        v_campaign boolean;
        v_tier boolean;
      BEGIN
        -- Both accounts locked first, in id order; one missing refuses as the campaign's claim did.
        IF ledger_lock_accounts(ARRAY[p_debit, p_credit]) <> 2 THEN
          RAISE EXCEPTION 'the campaign refused the pledge''s claim' USING ERRCODE = 'ZP001';
        END IF;
        SELECT c.o_campaign, c.o_tier INTO v_campaign, v_tier
        FROM campaign_claim(p_campaign, p_amount, p_new_investor, p_tier, p_now) c;
        IF NOT v_campaign THEN
          RAISE EXCEPTION 'the campaign refused the pledge''s claim' USING ERRCODE = 'ZP001';
        END IF;
        IF NOT v_tier THEN
          RAISE EXCEPTION 'the reward tier is sold out' USING ERRCODE = 'ZP002';
        END IF;
        IF NOT ledger_place_hold(p_hold, 'PLEDGE', p_debit, p_credit, p_amount, p_currency,
                                 p_reference, p_now) THEN
          RAISE EXCEPTION 'the pledge''s hold was not written' USING ERRCODE = 'ZP003';
        END IF;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION "pledge_hold_and_claim_or_refuse"(p_campaign uuid, p_amount numeric,
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
    await q.query(`
      CREATE OR REPLACE FUNCTION "ledger_place_hold"(p_id uuid, p_kind text, p_debit uuid,
        p_credit uuid, p_amount numeric, p_currency text, p_reference text, p_created_at timestamptz)
      RETURNS boolean LANGUAGE sql AS $$
        WITH held AS (
          INSERT INTO ledger_transfers
            (id, kind, status, debit_account_id, credit_account_id, amount, currency, pending_id, reference, created_at)
          VALUES (p_id, p_kind, 'PENDING', p_debit, p_credit, p_amount, p_currency, NULL, p_reference, p_created_at)
          RETURNING 1)
        SELECT count(*) = 1 FROM held
      $$`);
  }
}
