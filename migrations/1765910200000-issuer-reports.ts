import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issuer reporting (issue 15; CN-ECF-07, US-CF-20 analogue), owned by the holdings module:
 * - `issuer_reports`: what an issuer filed to its holders, an ANNUAL report per fiscal year (one
 *   each: a unique index) or a MATERIAL_EVENT; append-only.
 * - `issuer_report_overdue`: one row per campaign and fiscal year whose annual report was missing
 *   when due (its key makes the sweep's notice and credit warning happen once).
 */
export class IssuerReports1765910200000 implements MigrationInterface {
  name = 'IssuerReports1765910200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "issuer_reports" (
        "id" uuid NOT NULL,
        "campaign_id" uuid NOT NULL,
        "kind" text NOT NULL,
        "fiscal_year" integer,
        "title" text NOT NULL,
        "body" text NOT NULL,
        "filed_by" uuid NOT NULL,
        "filed_at" timestamptz NOT NULL,
        CONSTRAINT "issuer_reports_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "issuer_reports_kind_check" CHECK (
          ("kind" = 'ANNUAL' AND "fiscal_year" BETWEEN 2000 AND 9999)
          OR ("kind" = 'MATERIAL_EVENT' AND "fiscal_year" IS NULL)),
        CONSTRAINT "issuer_reports_text_check" CHECK (length("title") BETWEEN 1 AND 200 AND length("body") BETWEEN 1 AND 20000),
        CONSTRAINT "issuer_reports_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "holding_certificate_counters"("campaign_id") ON DELETE RESTRICT,
        CONSTRAINT "issuer_reports_filed_by_fkey" FOREIGN KEY ("filed_by") REFERENCES "users"("id") ON DELETE RESTRICT
      )`);
    await q.query(
      `CREATE UNIQUE INDEX "issuer_reports_annual_key" ON "issuer_reports" ("campaign_id", "fiscal_year") WHERE "kind" = 'ANNUAL'`,
    );
    await q.query(
      `CREATE INDEX "issuer_reports_campaign_idx" ON "issuer_reports" ("campaign_id", "filed_at", "id")`,
    );
    await q.query(`
      CREATE TRIGGER "issuer_reports_append_only" BEFORE UPDATE OR DELETE ON "issuer_reports"
      FOR EACH ROW EXECUTE FUNCTION "reject_modification"()`);
    await q.query(`
      CREATE TRIGGER "issuer_reports_no_truncate" BEFORE TRUNCATE ON "issuer_reports"
      FOR EACH STATEMENT EXECUTE FUNCTION "reject_modification"()`);
    await q.query(`
      CREATE TABLE "issuer_report_overdue" (
        "campaign_id" uuid NOT NULL,
        "fiscal_year" integer NOT NULL,
        "due_at" timestamptz NOT NULL,
        "noticed_at" timestamptz NOT NULL,
        "credit_record_id" uuid NOT NULL,
        "holders" integer NOT NULL,
        CONSTRAINT "issuer_report_overdue_pkey" PRIMARY KEY ("campaign_id", "fiscal_year"),
        CONSTRAINT "issuer_report_overdue_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "holding_certificate_counters"("campaign_id") ON DELETE RESTRICT
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "issuer_report_overdue"`);
    await q.query(`DROP TABLE "issuer_reports"`);
  }
}
