import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the finance office reads of campaigns and reward tiers (DESIGN §2: the campaign module
 * owns those tables; finance's escrow report and its INV-7 / INV-8 / INV-12 checks read through
 * these views). Plain projections, inlined by Postgres into the reading query.
 */
export class CampaignFinanceViews1765000100000 implements MigrationInterface {
  name = 'CampaignFinanceViews1765000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE VIEW "campaigns_finance_view" AS
      SELECT "id", "status", "offering", "currency", "target_amount", "max_amount", "committed",
             "investor_count", "investor_cap", "fee_rate"
      FROM "campaigns"`);
    await q.query(`
      CREATE VIEW "reward_tiers_finance_view" AS
      SELECT "id", "campaign_id", "stock", "claimed"
      FROM "reward_tiers"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW "reward_tiers_finance_view"`);
    await q.query(`DROP VIEW "campaigns_finance_view"`);
  }
}
