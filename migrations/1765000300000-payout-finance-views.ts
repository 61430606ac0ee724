import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the finance office reads of payouts (DESIGN §2: settlement owns the table; the campaign
 * escrow report reads paid-out and held amounts through this view). A plain projection, inlined.
 */
export class PayoutFinanceViews1765000300000 implements MigrationInterface {
  name = 'PayoutFinanceViews1765000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE VIEW "payouts_finance_view" AS
      SELECT "id", "campaign_id", "amount", "currency", "status", "hold_transfer_id"
      FROM "payouts"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW "payouts_finance_view"`);
  }
}
