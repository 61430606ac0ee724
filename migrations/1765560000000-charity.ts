import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Charitable crowdfunding (issue 16; PLAT-08, RW-07), owned by the charity module:
 * - `donation_plans`: the registered charity a donation campaign names (its USCC, checked against
 *   the charity's verified registration) and its fund-use plan;
 * - `donation_settlements`: what a settled donation campaign raised and when its first fund-use
 *   report is due; the overdue notice is recorded once;
 * - `donation_receipt_counters` + `donation_receipts`: receipts numbered 1, 2, 3 ... per charity
 *   and year with no gap (the counter row is taken in the settling transaction, so a rolled-back
 *   settlement rolls its numbers back too); receipts are append-only;
 * - `fund_use_reports`: the charity's reports of what it spent, per purpose, with evidence.
 */
export class Charity1765560000000 implements MigrationInterface {
  name = 'Charity1765560000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "donation_plans" (
        "campaign_id" uuid NOT NULL,
        "charity_id" uuid NOT NULL,
        "charity_uscc" text NOT NULL,
        "fund_use_plan" jsonb NOT NULL,
        "plan_total" numeric(20,2) NOT NULL,
        "updated_at" timestamptz NOT NULL,
        CONSTRAINT "donation_plans_pkey" PRIMARY KEY ("campaign_id"),
        CONSTRAINT "donation_plans_uscc_check" CHECK ("charity_uscc" ~ '^[0-9A-Z]{18}$'),
        CONSTRAINT "donation_plans_total_check" CHECK ("plan_total" > 0),
        CONSTRAINT "donation_plans_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT,
        CONSTRAINT "donation_plans_charity_id_fkey" FOREIGN KEY ("charity_id") REFERENCES "users"("id") ON DELETE RESTRICT
      )`);
    await q.query(`
      CREATE TABLE "donation_settlements" (
        "campaign_id" uuid NOT NULL,
        "charity_id" uuid NOT NULL,
        "currency" character(3) NOT NULL,
        "raised" numeric(20,2) NOT NULL,
        "net" numeric(20,2) NOT NULL,
        "settled_at" timestamptz NOT NULL,
        "report_due_at" timestamptz NOT NULL,
        "overdue_noticed_at" timestamptz,
        "credit_record_id" uuid,
        CONSTRAINT "donation_settlements_pkey" PRIMARY KEY ("campaign_id"),
        CONSTRAINT "donation_settlements_raised_check" CHECK ("raised" >= 0 AND "net" >= 0 AND "net" <= "raised"),
        CONSTRAINT "donation_settlements_overdue_check" CHECK (("overdue_noticed_at" IS NULL) = ("credit_record_id" IS NULL)),
        CONSTRAINT "donation_settlements_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT,
        CONSTRAINT "donation_settlements_charity_id_fkey" FOREIGN KEY ("charity_id") REFERENCES "users"("id") ON DELETE RESTRICT
      )`);
    await q.query(
      `CREATE INDEX "donation_settlements_due_idx" ON "donation_settlements" ("report_due_at") WHERE "overdue_noticed_at" IS NULL`,
    );
    await q.query(`
      CREATE TABLE "donation_receipt_counters" (
        "charity_id" uuid NOT NULL,
        "year" integer NOT NULL,
        "last_number" integer NOT NULL,
        CONSTRAINT "donation_receipt_counters_pkey" PRIMARY KEY ("charity_id", "year"),
        CONSTRAINT "donation_receipt_counters_last_check" CHECK ("last_number" >= 0),
        CONSTRAINT "donation_receipt_counters_charity_id_fkey" FOREIGN KEY ("charity_id") REFERENCES "users"("id") ON DELETE RESTRICT
      )`);
    await q.query(`
      CREATE TABLE "donation_receipts" (
        "id" uuid NOT NULL,
        "receipt_no" text NOT NULL,
        "charity_id" uuid NOT NULL,
        "year" integer NOT NULL,
        "number" integer NOT NULL,
        "pledge_id" uuid NOT NULL,
        "campaign_id" uuid NOT NULL,
        "donor_id" uuid NOT NULL,
        "donor_name_masked" text NOT NULL,
        "amount" numeric(20,2) NOT NULL,
        "currency" character(3) NOT NULL,
        "donated_at" timestamptz NOT NULL,
        "charity_name" text NOT NULL,
        "charity_uscc" text NOT NULL,
        "issued_at" timestamptz NOT NULL,
        CONSTRAINT "donation_receipts_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "donation_receipts_receipt_no_key" UNIQUE ("receipt_no"),
        CONSTRAINT "donation_receipts_pledge_id_key" UNIQUE ("pledge_id"),
        CONSTRAINT "donation_receipts_number_key" UNIQUE ("charity_id", "year", "number"),
        CONSTRAINT "donation_receipts_number_check" CHECK ("number" > 0 AND "amount" > 0),
        CONSTRAINT "donation_receipts_counter_fkey" FOREIGN KEY ("charity_id", "year") REFERENCES "donation_receipt_counters"("charity_id", "year") ON DELETE RESTRICT,
        CONSTRAINT "donation_receipts_pledge_id_fkey" FOREIGN KEY ("pledge_id") REFERENCES "pledges"("id") ON DELETE RESTRICT,
        CONSTRAINT "donation_receipts_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT,
        CONSTRAINT "donation_receipts_donor_id_fkey" FOREIGN KEY ("donor_id") REFERENCES "users"("id") ON DELETE RESTRICT
      )`);
    await q.query(
      `CREATE INDEX "donation_receipts_donor_idx" ON "donation_receipts" ("donor_id", "issued_at")`,
    );
    await q.query(
      `CREATE INDEX "donation_receipts_campaign_idx" ON "donation_receipts" ("campaign_id", "number")`,
    );
    await q.query(`
      CREATE FUNCTION "donation_receipts_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'donation receipts are append-only' USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`
      CREATE TRIGGER "donation_receipts_immutable" BEFORE UPDATE OR DELETE ON "donation_receipts"
      FOR EACH ROW EXECUTE FUNCTION "donation_receipts_immutable"()`);
    await q.query(`
      CREATE TABLE "fund_use_reports" (
        "id" uuid NOT NULL,
        "campaign_id" uuid NOT NULL,
        "charity_id" uuid NOT NULL,
        "items" jsonb NOT NULL,
        "total" numeric(20,2) NOT NULL,
        "filed_at" timestamptz NOT NULL,
        CONSTRAINT "fund_use_reports_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "fund_use_reports_total_check" CHECK ("total" > 0),
        CONSTRAINT "fund_use_reports_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "donation_settlements"("campaign_id") ON DELETE RESTRICT,
        CONSTRAINT "fund_use_reports_charity_id_fkey" FOREIGN KEY ("charity_id") REFERENCES "users"("id") ON DELETE RESTRICT
      )`);
    await q.query(
      `CREATE INDEX "fund_use_reports_campaign_idx" ON "fund_use_reports" ("campaign_id", "filed_at")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "fund_use_reports"`);
    await q.query(`DROP TABLE "donation_receipts"`);
    await q.query(`DROP FUNCTION "donation_receipts_immutable"()`);
    await q.query(`DROP TABLE "donation_receipt_counters"`);
    await q.query(`DROP TABLE "donation_settlements"`);
    await q.query(`DROP TABLE "donation_plans"`);
  }
}
