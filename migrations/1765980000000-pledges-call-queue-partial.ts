import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: `pledges_call_queue_idx` holds only the pledges the sweeps and the call queue ask for,
 * those in cooling-off or awaiting their confirmation call (every such query names a subset of the
 * two). With every pledge in it (migration 1765970000000), the rolling-limit read of a pledge
 * (`investor_id = $1 AND created_at >= $2 AND status = ANY(five statuses)`) was planned as a
 * BitmapAnd of `pledges_investor_idx` with this index, reading the entry of every live and settled
 * pledge (auto_explain in the pledge bench, 2026-12-06: 10,675 entries for the investor's 50 rows,
 * 5 ms of a pledge's statement, growing with history). The partial index cannot answer that
 * read, stays the size of the pledges in their windows, and settling (ACTIVE to SETTLED) no
 * longer writes an entry into it.
 */
export class PledgesCallQueuePartial1765980000000 implements MigrationInterface {
  name = 'PledgesCallQueuePartial1765980000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "pledges_call_queue_idx"`);
    await q.query(
      `CREATE INDEX "pledges_call_queue_idx" ON "pledges" ("status", "cooling_off_ends_at", "id")
       WHERE "status" IN ('COOLING_OFF', 'AWAITING_CONFIRMATION')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "pledges_call_queue_idx"`);
    await q.query(
      `CREATE INDEX "pledges_call_queue_idx" ON "pledges" ("status", "cooling_off_ends_at", "id")`,
    );
  }
}
