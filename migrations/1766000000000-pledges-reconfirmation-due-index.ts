import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: the sweep that cancels pledges whose reconfirmation window ran out (CN-SUIT-14,
 * `PledgeRepository.lockExpiredReconfirmations`: `status = ANY(..) AND reconfirm_by <= now`) had no
 * index to read and scanned every pledge ever made on each scheduler run (pg_stat_statements in the
 * pledge bench, 2026-12-06: 90 ms and 12,107 blocks with 1,100,000 pledges, none due). Only a
 * pledge awaiting reconfirmation has a `reconfirm_by` (pledges_reconfirmation_check), so the index
 * holds just those and settling or cancelling a pledge removes it from there.
 */
export class PledgesReconfirmationDueIndex1766000000000 implements MigrationInterface {
  name = 'PledgesReconfirmationDueIndex1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "pledges_reconfirm_due_idx" ON "pledges" ("reconfirm_by", "id")
       WHERE "reconfirm_by" IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "pledges_reconfirm_due_idx"`);
  }
}
