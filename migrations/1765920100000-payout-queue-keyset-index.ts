import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16: the approval queue (`GET /finance/payouts?status&cursor`) walks payouts of one decision
 * state by `(requested_at, id)`; this index serves that keyset (the payouts list arrived after
 * migration 1765920000000 was written).
 */
export class PayoutQueueKeysetIndex1765920100000 implements MigrationInterface {
  name = 'PayoutQueueKeysetIndex1765920100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "payouts_queue_idx" ON "payouts" ("status", "requested_at", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "payouts_queue_idx"`);
  }
}
