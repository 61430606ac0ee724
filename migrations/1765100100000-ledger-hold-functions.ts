import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The escrow ledger's part of a pledge's one-round-trip locked section (DESIGN §2, §10): another
 * module's SQL never writes `ledger_transfers` itself, it calls these. The counters still move
 * only through the statement trigger (INV-3), which also enforces INV-5 on the hold.
 */
export class LedgerHoldFunctions1765100100000 implements MigrationInterface {
  name = 'LedgerHoldFunctions1765100100000';

  async up(q: QueryRunner): Promise<void> {
    // Locks the accounts in id order, the order every ledger write takes them in (no deadlocks);
    // says how many exist.
    await q.query(`
      CREATE FUNCTION "ledger_lock_accounts"(p_ids uuid[]) RETURNS integer LANGUAGE sql AS $$
        SELECT count(*)::int FROM (
          SELECT id FROM ledger_accounts WHERE id = ANY(p_ids) ORDER BY id FOR NO KEY UPDATE) locked
      $$`);
    // A two-phase hold (PENDING): debit -> credit, resolved later by a POST or VOID row.
    await q.query(`
      CREATE FUNCTION "ledger_place_hold"(p_id uuid, p_kind text, p_debit uuid, p_credit uuid,
        p_amount numeric, p_currency text, p_reference text, p_created_at timestamptz)
      RETURNS boolean LANGUAGE sql AS $$
        WITH held AS (
          INSERT INTO ledger_transfers
            (id, kind, status, debit_account_id, credit_account_id, amount, currency, pending_id, reference, created_at)
          VALUES (p_id, p_kind, 'PENDING', p_debit, p_credit, p_amount, p_currency, NULL, p_reference, p_created_at)
          RETURNING 1)
        SELECT count(*) = 1 FROM held
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP FUNCTION "ledger_place_hold"(uuid, text, uuid, uuid, numeric, text, text, timestamptz)`,
    );
    await q.query(`DROP FUNCTION "ledger_lock_accounts"(uuid[])`);
  }
}
