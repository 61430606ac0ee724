import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: a pledge's rolling-limit read (INV-9, CN-PF-10: the sum of the investor's equity and
 * debt pledges of the last 365 days in five statuses, inside the pledge's statement) is answered
 * from `pledges_investor_idx` alone. The index keeps its key (`investor_id`, `created_at`, `id`:
 * the investor's list reads in that keyset order) and carries `amount`, `status` and `financial`,
 * so the read is an index-only scan: before, it visited one heap page per pledge in the window
 * (pledge bench, history.plans of 2026-12-06 17:01 UTC: 491 pledges, 488 heap blocks, and
 * Postgres's CPU per pledge rose from 2.4-2.7 ms to 2.8-3.2 ms as the bench's investors piled up
 * pledges between the fresh and the history runs). Pledges change status non-HOT already (status is
 * in `pledges_campaign_status_idx`), so settling writes no more index entries than before.
 */
export class PledgesInvestorCoveringIndex1766050000000 implements MigrationInterface {
  name = 'PledgesInvestorCoveringIndex1766050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "pledges_investor_idx"`);
    await q.query(
      `CREATE INDEX "pledges_investor_idx" ON "pledges" ("investor_id", "created_at", "id")
       INCLUDE ("amount", "status", "financial")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "pledges_investor_idx"`);
    await q.query(
      `CREATE INDEX "pledges_investor_idx" ON "pledges" ("investor_id", "created_at", "id")`,
    );
  }
}
