import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the finance office reads of pledges (DESIGN §2: the pledge module owns the table; finance's
 * escrow report and its INV-8 check read through this view). Which statuses are live stays the
 * pledge module's TypeScript definition, applied by the reader. A plain projection, inlined.
 */
export class PledgeFinanceViews1765000200000 implements MigrationInterface {
  name = 'PledgeFinanceViews1765000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE VIEW "pledges_finance_view" AS
      SELECT "id", "campaign_id", "status", "amount"
      FROM "pledges"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW "pledges_finance_view"`);
  }
}
