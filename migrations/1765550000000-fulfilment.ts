import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reward fulfilment (issue 16; RW-02, RW-03, RW-05), owned by the fulfilment module:
 * - `reward_tier_deliveries`: the estimated delivery month and whether a tier ships a physical
 *   item, one row per reward tier (required at submit, RW-03);
 * - `shipping_addresses`: the backer's address for a physical pledge, AES-256-GCM encrypted and
 *   bound to its row (PLAT-06), with a masked copy for views;
 * - `shipments`: carrier and tracking number per pledge, then the backer's confirmation or problem;
 * - `reward_holdbacks`: the share of a settled reward campaign's net kept in escrow until delivery;
 * - `late_delivery_refunds`: one refund per pledge delivered late, split exactly into what came
 *   from the holdback, from the founder's payable, and the shortfall left as a claim.
 */
export class Fulfilment1765550000000 implements MigrationInterface {
  name = 'Fulfilment1765550000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "reward_tier_deliveries" (
        "tier_id" uuid NOT NULL,
        "campaign_id" uuid NOT NULL,
        "delivery_month" date NOT NULL,
        "physical" boolean NOT NULL,
        "updated_at" timestamptz NOT NULL,
        CONSTRAINT "reward_tier_deliveries_pkey" PRIMARY KEY ("tier_id"),
        CONSTRAINT "reward_tier_deliveries_month_check" CHECK (extract(day FROM "delivery_month") = 1),
        CONSTRAINT "reward_tier_deliveries_tier_id_fkey" FOREIGN KEY ("tier_id") REFERENCES "reward_tiers"("id") ON DELETE CASCADE,
        CONSTRAINT "reward_tier_deliveries_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT
      )`);
    await q.query(
      `CREATE INDEX "reward_tier_deliveries_campaign_idx" ON "reward_tier_deliveries" ("campaign_id")`,
    );
    await q.query(`
      CREATE TABLE "shipping_addresses" (
        "pledge_id" uuid NOT NULL,
        "campaign_id" uuid NOT NULL,
        "investor_id" uuid NOT NULL,
        "address_encrypted" text NOT NULL,
        "address_masked" jsonb NOT NULL,
        "updated_at" timestamptz NOT NULL,
        CONSTRAINT "shipping_addresses_pkey" PRIMARY KEY ("pledge_id"),
        CONSTRAINT "shipping_addresses_pledge_id_fkey" FOREIGN KEY ("pledge_id") REFERENCES "pledges"("id") ON DELETE RESTRICT,
        CONSTRAINT "shipping_addresses_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT,
        CONSTRAINT "shipping_addresses_investor_id_fkey" FOREIGN KEY ("investor_id") REFERENCES "users"("id") ON DELETE RESTRICT
      )`);
    await q.query(
      `CREATE INDEX "shipping_addresses_campaign_idx" ON "shipping_addresses" ("campaign_id")`,
    );
    await q.query(`
      CREATE TABLE "shipments" (
        "pledge_id" uuid NOT NULL,
        "campaign_id" uuid NOT NULL,
        "carrier" text NOT NULL,
        "tracking_number" text NOT NULL,
        "status" text NOT NULL,
        "shipped_at" timestamptz NOT NULL,
        "recorded_by" uuid NOT NULL,
        "confirmed_at" timestamptz,
        "problem" text,
        "problem_reported_at" timestamptz,
        CONSTRAINT "shipments_pkey" PRIMARY KEY ("pledge_id"),
        CONSTRAINT "shipments_status_check" CHECK ("status" IN ('SHIPPED', 'DELIVERED', 'PROBLEM')),
        CONSTRAINT "shipments_confirmed_check" CHECK (("status" = 'DELIVERED') = ("confirmed_at" IS NOT NULL)),
        CONSTRAINT "shipments_problem_check" CHECK (("status" = 'PROBLEM') = ("problem" IS NOT NULL AND "problem_reported_at" IS NOT NULL)),
        CONSTRAINT "shipments_text_check" CHECK (length("carrier") BETWEEN 1 AND 100 AND length("tracking_number") BETWEEN 1 AND 100),
        CONSTRAINT "shipments_pledge_id_fkey" FOREIGN KEY ("pledge_id") REFERENCES "pledges"("id") ON DELETE RESTRICT,
        CONSTRAINT "shipments_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT,
        CONSTRAINT "shipments_recorded_by_fkey" FOREIGN KEY ("recorded_by") REFERENCES "users"("id") ON DELETE RESTRICT
      )`);
    await q.query(
      `CREATE INDEX "shipments_campaign_status_idx" ON "shipments" ("campaign_id", "status")`,
    );
    await q.query(`
      CREATE TABLE "reward_holdbacks" (
        "campaign_id" uuid NOT NULL,
        "founder_id" uuid NOT NULL,
        "currency" character(3) NOT NULL,
        "net" numeric(20,2) NOT NULL,
        "rate" numeric(6,5) NOT NULL,
        "amount" numeric(20,2) NOT NULL,
        "refunded" numeric(20,2) NOT NULL DEFAULT 0,
        "released" numeric(20,2) NOT NULL DEFAULT 0,
        "status" text NOT NULL,
        "settled_at" timestamptz NOT NULL,
        "release_due_at" timestamptz NOT NULL,
        "released_at" timestamptz,
        "release_reason" text,
        CONSTRAINT "reward_holdbacks_pkey" PRIMARY KEY ("campaign_id"),
        CONSTRAINT "reward_holdbacks_status_check" CHECK ("status" IN ('HELD', 'RELEASED')),
        CONSTRAINT "reward_holdbacks_amounts_check" CHECK ("net" >= 0 AND "rate" >= 0 AND "rate" <= 1 AND "amount" >= 0 AND "amount" <= "net" AND "refunded" >= 0 AND "released" >= 0 AND "refunded" + "released" <= "amount"),
        CONSTRAINT "reward_holdbacks_released_check" CHECK (("status" = 'RELEASED') = ("released_at" IS NOT NULL AND "release_reason" IS NOT NULL) AND ("status" = 'HELD' OR "refunded" + "released" = "amount")),
        CONSTRAINT "reward_holdbacks_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT,
        CONSTRAINT "reward_holdbacks_founder_id_fkey" FOREIGN KEY ("founder_id") REFERENCES "users"("id") ON DELETE RESTRICT
      )`);
    await q.query(
      `CREATE INDEX "reward_holdbacks_due_idx" ON "reward_holdbacks" ("release_due_at") WHERE "status" = 'HELD'`,
    );
    await q.query(`
      CREATE TABLE "late_delivery_refunds" (
        "pledge_id" uuid NOT NULL,
        "campaign_id" uuid NOT NULL,
        "investor_id" uuid NOT NULL,
        "founder_id" uuid NOT NULL,
        "currency" character(3) NOT NULL,
        "amount" numeric(20,2) NOT NULL,
        "from_holdback" numeric(20,2) NOT NULL,
        "from_payable" numeric(20,2) NOT NULL,
        "shortfall" numeric(20,2) NOT NULL,
        "credit_record_id" uuid,
        "requested_at" timestamptz NOT NULL,
        CONSTRAINT "late_delivery_refunds_pkey" PRIMARY KEY ("pledge_id"),
        CONSTRAINT "late_delivery_refunds_split_check" CHECK ("amount" > 0 AND "from_holdback" >= 0 AND "from_payable" >= 0 AND "shortfall" >= 0 AND "from_holdback" + "from_payable" + "shortfall" = "amount"),
        CONSTRAINT "late_delivery_refunds_claim_check" CHECK (("shortfall" > 0) = ("credit_record_id" IS NOT NULL)),
        CONSTRAINT "late_delivery_refunds_pledge_id_fkey" FOREIGN KEY ("pledge_id") REFERENCES "pledges"("id") ON DELETE RESTRICT,
        CONSTRAINT "late_delivery_refunds_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT,
        CONSTRAINT "late_delivery_refunds_investor_id_fkey" FOREIGN KEY ("investor_id") REFERENCES "users"("id") ON DELETE RESTRICT,
        CONSTRAINT "late_delivery_refunds_founder_id_fkey" FOREIGN KEY ("founder_id") REFERENCES "users"("id") ON DELETE RESTRICT
      )`);
    await q.query(
      `CREATE INDEX "late_delivery_refunds_campaign_idx" ON "late_delivery_refunds" ("campaign_id")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "late_delivery_refunds"`);
    await q.query(`DROP TABLE "reward_holdbacks"`);
    await q.query(`DROP TABLE "shipments"`);
    await q.query(`DROP TABLE "shipping_addresses"`);
    await q.query(`DROP TABLE "reward_tier_deliveries"`);
  }
}
