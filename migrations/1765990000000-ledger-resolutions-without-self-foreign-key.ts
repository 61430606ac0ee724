import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: a POST or VOID names its hold in `pending_id`, and the foreign key to
 * `ledger_transfers(id)` checked it once more, row by row, after the ledger's statement trigger
 * (`ledger_apply_transfers`) has already refused any resolution without a matching PENDING hold
 * (same accounts, amount and currency: `ledger_transfers_resolves_pending_check`), and holds are
 * append-only (UPDATE, DELETE and TRUNCATE are refused by trigger), so a hold that was there stays.
 * The check locked each hold row FOR KEY SHARE: a tuple lock written into the hold's heap page and
 * the WAL for every resolution. Settling 100,000 pledges resolves 100,000 holds
 * (pg_stat_statements, 2026-12-06: the posting statement was 58 % of settlement's time; with a
 * history of 1,000,000 pledges the holds' pages are read and dirtied at random). The invariant
 * stays in the database, once.
 */
export class LedgerResolutionsWithoutSelfForeignKey1765990000000 implements MigrationInterface {
  name = 'LedgerResolutionsWithoutSelfForeignKey1765990000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "ledger_transfers" DROP CONSTRAINT "ledger_transfers_pending_fkey"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_pending_fkey"
       FOREIGN KEY ("pending_id") REFERENCES "ledger_transfers"("id")`,
    );
  }
}
