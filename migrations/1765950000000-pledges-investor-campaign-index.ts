import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: a pledge asks whether its investor already holds a live pledge on the campaign (the
 * investor count, INV-7). Postgres answered it by combining `pledges_investor_idx` with
 * `pledges_campaign_status_idx`, reading every live pledge of the campaign: a hot campaign's
 * pledges got slower as it filled. This index answers it from the investor's own few rows.
 */
export class PledgesInvestorCampaignIndex1765950000000 implements MigrationInterface {
  name = 'PledgesInvestorCampaignIndex1765950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "pledges_investor_campaign_idx" ON "pledges" ("investor_id", "campaign_id")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "pledges_investor_campaign_idx"`);
  }
}
