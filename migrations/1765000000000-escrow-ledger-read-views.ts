import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The escrow ledger's read contract for the finance office (DESIGN §2: finance reads the ledger
 * through ledger-owned views, never its tables). Plain projections: Postgres inlines them into the
 * reading query, so the planner sees the same tables, indexes and row estimates as before and
 * a cursor over a view streams exactly like one over the table. The ledger may reshape its tables
 * as long as these columns keep their names and meaning; a later migration that changes a column
 * these views use must recreate them.
 *
 *   ledger_accounts_view   every account with its four counters (DESIGN §4)
 *   ledger_transfers_view  every transfer row, with tx_id (the sealer's commit-safe order)
 *   ledger_blocks_view     every sealed block (INV-11)
 */
export class EscrowLedgerReadViews1765000000000 implements MigrationInterface {
  name = 'EscrowLedgerReadViews1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE VIEW "ledger_accounts_view" AS
      SELECT "id", "code", "kind", "currency", "debits_posted", "credits_posted", "debits_pending",
             "credits_pending", "created_at"
      FROM "ledger_accounts"`);
    await q.query(`
      CREATE VIEW "ledger_transfers_view" AS
      SELECT "id", "seq", "tx_id", "kind", "status", "debit_account_id", "credit_account_id",
             "amount", "currency", "pending_id", "reference", "created_at"
      FROM "ledger_transfers"`);
    await q.query(`
      CREATE VIEW "ledger_blocks_view" AS
      SELECT "height", "from_tx_id", "to_tx_id", "transfer_count", "first_seq", "last_seq",
             "merkle_root", "prev_hash", "hash", "encoding", "sealed_at"
      FROM "ledger_blocks"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW "ledger_blocks_view"`);
    await q.query(`DROP VIEW "ledger_transfers_view"`);
    await q.query(`DROP VIEW "ledger_accounts_view"`);
  }
}
