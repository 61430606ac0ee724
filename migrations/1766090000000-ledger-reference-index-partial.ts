import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: `ledger_transfers_reference_idx` took an entry for every transfer, but only one read
 * uses it: lending's sums of posted SETTLEMENT, FEE and REPAYMENT rows by reference
 * (`LedgerRepository.sumPostedByReference`, whose statement names those kinds as literals). Every
 * hold a pledge writes and every POST row of a settle (100,000 in the settle bench) paid for an
 * entry no read would use; the index now holds those three kinds' rows only. Test:
 * test/ledger/ledger-reference-index.spec.ts (the read is planned on the index, a hold and its POST
 * take no entry, the sums are unchanged).
 */
export class LedgerReferenceIndexPartial1766090000000 implements MigrationInterface {
  name = 'LedgerReferenceIndexPartial1766090000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ledger_transfers_reference_idx"`);
    await q.query(
      `CREATE INDEX "ledger_transfers_reference_idx" ON "ledger_transfers" ("reference")
       WHERE "kind" IN ('SETTLEMENT', 'FEE', 'REPAYMENT')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ledger_transfers_reference_idx"`);
    await q.query(
      `CREATE INDEX "ledger_transfers_reference_idx" ON "ledger_transfers" ("reference")`,
    );
  }
}
