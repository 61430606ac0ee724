import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The holdings register (issue 15; CN-ECF-04, CN-ECF-07), owned by the holdings module:
 * - `equity_terms`: what an EQUITY campaign issues: the share class and the vehicle (DIRECT, or
 *   NOMINEE with the nominee that holds legal title for the beneficial owners); set by the founder
 *   while the campaign is a DRAFT. A campaign without a row issues ORDINARY shares directly.
 * - `holding_certificate_counters` + `holdings`: at settlement one holding per investor, numbered
 *   1, 2, 3 ... per campaign without a gap (the counter row is taken in the settling transaction,
 *   so a rolled-back settlement rolls its numbers back). Holdings are append-only: a correction is
 *   a new entry that names the one it supersedes (`corrects_id`), with the next certificate number.
 */
export class Holdings1765910000000 implements MigrationInterface {
  name = 'Holdings1765910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "equity_terms" (
        "campaign_id" uuid NOT NULL,
        "share_class" text NOT NULL,
        "vehicle" text NOT NULL,
        "nominee_name" text,
        "updated_at" timestamptz NOT NULL,
        CONSTRAINT "equity_terms_pkey" PRIMARY KEY ("campaign_id"),
        CONSTRAINT "equity_terms_vehicle_check" CHECK ("vehicle" IN ('DIRECT', 'NOMINEE')),
        CONSTRAINT "equity_terms_nominee_check" CHECK (("vehicle" = 'NOMINEE') = ("nominee_name" IS NOT NULL)),
        CONSTRAINT "equity_terms_share_class_check" CHECK (length("share_class") BETWEEN 1 AND 60),
        CONSTRAINT "equity_terms_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT
      )`);
    await q.query(`
      CREATE TABLE "holding_certificate_counters" (
        "campaign_id" uuid NOT NULL,
        "last_number" integer NOT NULL,
        CONSTRAINT "holding_certificate_counters_pkey" PRIMARY KEY ("campaign_id"),
        CONSTRAINT "holding_certificate_counters_last_check" CHECK ("last_number" >= 0),
        CONSTRAINT "holding_certificate_counters_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT
      )`);
    await q.query(`
      CREATE TABLE "holdings" (
        "id" uuid NOT NULL,
        "campaign_id" uuid NOT NULL,
        "certificate_no" integer NOT NULL,
        "investor_id" uuid NOT NULL,
        "units" bigint NOT NULL,
        "unit_price" numeric(20,2) NOT NULL,
        "cost" numeric(20,2) NOT NULL,
        "currency" character(3) NOT NULL,
        "share_class" text NOT NULL,
        "vehicle" text NOT NULL,
        "legal_holder" text,
        "entry" text NOT NULL,
        "corrects_id" uuid,
        "reason" text,
        "recorded_by" uuid,
        "issued_at" timestamptz NOT NULL,
        CONSTRAINT "holdings_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "holdings_certificate_key" UNIQUE ("campaign_id", "certificate_no"),
        CONSTRAINT "holdings_corrects_key" UNIQUE ("corrects_id"),
        CONSTRAINT "holdings_certificate_check" CHECK ("certificate_no" > 0),
        CONSTRAINT "holdings_units_check" CHECK ("units" >= 0 AND "unit_price" > 0 AND "cost" = "units" * "unit_price"),
        CONSTRAINT "holdings_vehicle_check" CHECK ("vehicle" IN ('DIRECT', 'NOMINEE') AND (("vehicle" = 'NOMINEE') = ("legal_holder" IS NOT NULL))),
        CONSTRAINT "holdings_entry_check" CHECK (
          ("entry" = 'ISSUE' AND "corrects_id" IS NULL AND "reason" IS NULL AND "units" > 0)
          OR ("entry" = 'CORRECTION' AND "corrects_id" IS NOT NULL AND "reason" IS NOT NULL AND "recorded_by" IS NOT NULL)),
        CONSTRAINT "holdings_counter_fkey" FOREIGN KEY ("campaign_id") REFERENCES "holding_certificate_counters"("campaign_id") ON DELETE RESTRICT,
        CONSTRAINT "holdings_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT,
        CONSTRAINT "holdings_investor_id_fkey" FOREIGN KEY ("investor_id") REFERENCES "users"("id") ON DELETE RESTRICT,
        CONSTRAINT "holdings_corrects_id_fkey" FOREIGN KEY ("corrects_id") REFERENCES "holdings"("id") ON DELETE RESTRICT
      )`);
    await q.query(
      `CREATE INDEX "holdings_investor_idx" ON "holdings" ("investor_id", "issued_at", "id")`,
    );
    // Append-only (the least-privilege run revokes UPDATE and DELETE from the app role for it).
    await q.query(`
      CREATE TRIGGER "holdings_append_only" BEFORE UPDATE OR DELETE ON "holdings"
      FOR EACH ROW EXECUTE FUNCTION "reject_modification"()`);
    await q.query(`
      CREATE TRIGGER "holdings_no_truncate" BEFORE TRUNCATE ON "holdings"
      FOR EACH STATEMENT EXECUTE FUNCTION "reject_modification"()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "holdings"`);
    await q.query(`DROP TABLE "holding_certificate_counters"`);
    await q.query(`DROP TABLE "equity_terms"`);
  }
}
