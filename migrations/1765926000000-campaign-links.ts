import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Linked raises (issue 15, 投贷联动), owned by the campaign module: one EQUITY and one DEBT
 * campaign of the same founder that succeed or fail together at their common deadline (the
 * settlement sweeps decide and settle the pair in one transaction). A campaign is in at most one
 * link (the primary key and the unique key); the founder links and unlinks while both are DRAFT.
 */
export class CampaignLinks1765926000000 implements MigrationInterface {
  name = 'CampaignLinks1765926000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "campaign_links" (
        "equity_campaign_id" uuid NOT NULL,
        "debt_campaign_id" uuid NOT NULL,
        "founder_id" uuid NOT NULL,
        "linked_by" uuid NOT NULL,
        "linked_at" timestamptz NOT NULL,
        CONSTRAINT "campaign_links_pkey" PRIMARY KEY ("equity_campaign_id"),
        CONSTRAINT "campaign_links_debt_campaign_id_key" UNIQUE ("debt_campaign_id"),
        CONSTRAINT "campaign_links_distinct_check" CHECK ("equity_campaign_id" <> "debt_campaign_id"),
        CONSTRAINT "campaign_links_equity_campaign_id_fkey" FOREIGN KEY ("equity_campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT,
        CONSTRAINT "campaign_links_debt_campaign_id_fkey" FOREIGN KEY ("debt_campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT,
        CONSTRAINT "campaign_links_founder_id_fkey" FOREIGN KEY ("founder_id") REFERENCES "users"("id") ON DELETE RESTRICT,
        CONSTRAINT "campaign_links_linked_by_fkey" FOREIGN KEY ("linked_by") REFERENCES "users"("id") ON DELETE RESTRICT
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "campaign_links"`);
  }
}
