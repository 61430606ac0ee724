import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Campaigns (DESIGN §6): their terms, reward tiers, every lifecycle transition (append-only) and
 * progress updates, plus the organisations an ADMIN has marked as qualified charities (PLAT-08).
 * INV-7 lives here as CHECKs on the counters: committed <= max amount, claimed <= stock,
 * investors <= the private offering's cap.
 */
export class Campaigns1764650000000 implements MigrationInterface {
  name = 'Campaigns1764650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "campaigns" (
        "id" uuid NOT NULL,
        "founder_id" uuid NOT NULL,
        "kind" text NOT NULL,
        "offering" text,
        "funding_model" text NOT NULL,
        "title" text NOT NULL,
        "summary" text NOT NULL,
        "currency" character(3) NOT NULL,
        "target_amount" numeric(20,2) NOT NULL,
        "max_amount" numeric(20,2) NOT NULL,
        "min_pledge" numeric(20,2) NOT NULL,
        "max_pledge" numeric(20,2),
        "unit_price" numeric(20,2),
        "deadline" timestamptz NOT NULL,
        "risk_rating" text,
        "investor_cap" integer,
        "fee_rate" numeric(6,5) NOT NULL,
        "status" text NOT NULL,
        "committed" numeric(20,2) NOT NULL,
        "investor_count" integer NOT NULL,
        "rejection_reason" text,
        "created_at" timestamptz NOT NULL,
        "updated_at" timestamptz NOT NULL,
        "published_at" timestamptz,
        CONSTRAINT "campaigns_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "campaigns_kind_check" CHECK ("kind" IN ('EQUITY', 'DEBT', 'REWARD', 'DONATION')),
        CONSTRAINT "campaigns_offering_check" CHECK (("kind" IN ('EQUITY', 'DEBT')) = ("offering" IS NOT NULL) AND ("offering" IS NULL OR "offering" IN ('PUBLIC', 'PRIVATE'))),
        CONSTRAINT "campaigns_funding_model_check" CHECK ("funding_model" = 'ALL_OR_NOTHING' OR ("funding_model" = 'FLEXIBLE' AND "kind" IN ('REWARD', 'DONATION'))),
        CONSTRAINT "campaigns_status_check" CHECK ("status" IN ('DRAFT', 'PENDING_REVIEW', 'LIVE', 'REJECTED', 'CLOSING', 'SETTLED', 'FAILED', 'REFUNDED', 'CANCELLED')),
        CONSTRAINT "campaigns_amounts_check" CHECK ("target_amount" > 0 AND "max_amount" >= "target_amount" AND "min_pledge" > 0 AND "min_pledge" <= "max_amount" AND ("max_pledge" IS NULL OR "max_pledge" >= "min_pledge")),
        CONSTRAINT "campaigns_unit_price_check" CHECK (("kind" = 'EQUITY') = ("unit_price" IS NOT NULL) AND ("unit_price" IS NULL OR "unit_price" > 0)),
        CONSTRAINT "campaigns_risk_rating_check" CHECK (("kind" IN ('EQUITY', 'DEBT')) = ("risk_rating" IS NOT NULL) AND ("risk_rating" IS NULL OR "risk_rating" IN ('R1', 'R2', 'R3', 'R4', 'R5'))),
        CONSTRAINT "campaigns_investor_cap_check" CHECK (("offering" = 'PRIVATE') = ("investor_cap" IS NOT NULL) AND ("investor_cap" IS NULL OR "investor_cap" BETWEEN 1 AND 200)),
        CONSTRAINT "campaigns_fee_rate_check" CHECK ("fee_rate" >= 0 AND "fee_rate" < 1),
        CONSTRAINT "campaigns_committed_check" CHECK ("committed" >= 0 AND "committed" <= "max_amount"),
        CONSTRAINT "campaigns_investor_count_check" CHECK ("investor_count" >= 0 AND ("investor_cap" IS NULL OR "investor_count" <= "investor_cap")),
        CONSTRAINT "campaigns_founder_id_fkey" FOREIGN KEY ("founder_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(
      `CREATE INDEX "campaigns_status_kind_idx" ON "campaigns" ("status", "kind", "created_at")`,
    );
    await q.query(
      `CREATE INDEX "campaigns_founder_idx" ON "campaigns" ("founder_id", "created_at")`,
    );
    await q.query(`
      CREATE TABLE "reward_tiers" (
        "id" uuid NOT NULL,
        "campaign_id" uuid NOT NULL,
        "position" integer NOT NULL,
        "title" text NOT NULL,
        "amount" numeric(20,2) NOT NULL,
        "stock" integer NOT NULL,
        "claimed" integer NOT NULL,
        CONSTRAINT "reward_tiers_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "reward_tiers_campaign_position_key" UNIQUE ("campaign_id", "position"),
        CONSTRAINT "reward_tiers_amount_check" CHECK ("amount" > 0),
        CONSTRAINT "reward_tiers_stock_check" CHECK ("stock" > 0 AND "claimed" >= 0 AND "claimed" <= "stock"),
        CONSTRAINT "reward_tiers_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await q.query(`
      CREATE TABLE "campaign_transitions" (
        "id" BIGSERIAL NOT NULL,
        "campaign_id" uuid NOT NULL,
        "from_status" text,
        "to_status" text NOT NULL,
        "actor_id" uuid,
        "reason" text,
        "occurred_at" timestamptz NOT NULL,
        CONSTRAINT "campaign_transitions_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "campaign_transitions_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(
      `CREATE INDEX "campaign_transitions_campaign_idx" ON "campaign_transitions" ("campaign_id", "id")`,
    );
    await q.query(`
      CREATE TRIGGER "campaign_transitions_append_only" BEFORE UPDATE OR DELETE ON "campaign_transitions"
      FOR EACH ROW EXECUTE FUNCTION "reject_modification"()`);
    await q.query(`
      CREATE TABLE "campaign_updates" (
        "id" uuid NOT NULL,
        "campaign_id" uuid NOT NULL,
        "author_id" uuid NOT NULL,
        "title" text NOT NULL,
        "body" text NOT NULL,
        "created_at" timestamptz NOT NULL,
        CONSTRAINT "campaign_updates_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "campaign_updates_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(
      `CREATE INDEX "campaign_updates_campaign_idx" ON "campaign_updates" ("campaign_id", "created_at")`,
    );
    await q.query(`
      CREATE TABLE "charity_qualifications" (
        "user_id" uuid NOT NULL,
        "certificate_reference" text NOT NULL,
        "qualified_by" uuid NOT NULL,
        "qualified_at" timestamptz NOT NULL,
        CONSTRAINT "charity_qualifications_pkey" PRIMARY KEY ("user_id"),
        CONSTRAINT "charity_qualifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
        CONSTRAINT "charity_qualifications_qualified_by_fkey" FOREIGN KEY ("qualified_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "charity_qualifications"`);
    await q.query(`DROP TABLE "campaign_updates"`);
    await q.query(`DROP TABLE "campaign_transitions"`);
    await q.query(`DROP TABLE "reward_tiers"`);
    await q.query(`DROP TABLE "campaigns"`);
  }
}
