import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, lead investors (领投 + 跟投):
 * - `institutional_investor_flags`: ADMIN's decisions that an ORGANIZATION investor is an
 *   institutional investor (a VC/PE fund) who may lead; the latest decision per investor holds.
 *   Append-only.
 * - `campaign_leads`: the lead a founder named for an EQUITY campaign, the share of the target the
 *   lead commits before followers may pledge (the pack's `leadMinShare` when named), the carry on
 *   followers' profits, and whether the lead withdrew (a material change for every follower).
 * - `disclosure_documents` gains the scope LEAD_MEMO: the lead's due-diligence note on a campaign.
 * - `distribution_payments` gains `carry`: the part of a follower's distribution paid to the lead;
 *   `distributions` gains `carry_paid`, their sum for one distribution.
 */
export class LeadInvestors1765940000000 implements MigrationInterface {
  name = 'LeadInvestors1765940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "institutional_investor_flags" (
        "id" uuid NOT NULL,
        "investor_id" uuid NOT NULL,
        "institutional" boolean NOT NULL,
        "reason" text NOT NULL,
        "decided_by" uuid NOT NULL,
        "decided_at" timestamptz NOT NULL,
        CONSTRAINT "institutional_investor_flags_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "institutional_investor_flags_reason_check" CHECK (length("reason") BETWEEN 1 AND 500),
        CONSTRAINT "institutional_investor_flags_investor_id_fkey" FOREIGN KEY ("investor_id") REFERENCES "users"("id") ON DELETE RESTRICT,
        CONSTRAINT "institutional_investor_flags_decided_by_fkey" FOREIGN KEY ("decided_by") REFERENCES "users"("id") ON DELETE RESTRICT
      )`);
    await q.query(
      `CREATE INDEX "institutional_investor_flags_investor_idx" ON "institutional_investor_flags" ("investor_id", "decided_at", "id")`,
    );
    await q.query(`
      CREATE TRIGGER "institutional_investor_flags_append_only" BEFORE UPDATE OR DELETE ON "institutional_investor_flags"
      FOR EACH ROW EXECUTE FUNCTION "reject_modification"()`);
    await q.query(`
      CREATE TRIGGER "institutional_investor_flags_no_truncate" BEFORE TRUNCATE ON "institutional_investor_flags"
      FOR EACH STATEMENT EXECUTE FUNCTION "reject_modification"()`);

    await q.query(`
      CREATE TABLE "campaign_leads" (
        "campaign_id" uuid NOT NULL,
        "lead_investor_id" uuid NOT NULL,
        "min_share" numeric(5,4) NOT NULL,
        "carry_rate" numeric(5,4) NOT NULL,
        "status" text NOT NULL,
        "named_by" uuid NOT NULL,
        "named_at" timestamptz NOT NULL,
        "withdrawn_at" timestamptz,
        "withdrawal_reason" text,
        CONSTRAINT "campaign_leads_pkey" PRIMARY KEY ("campaign_id"),
        CONSTRAINT "campaign_leads_min_share_check" CHECK ("min_share" > 0 AND "min_share" <= 1),
        CONSTRAINT "campaign_leads_carry_rate_check" CHECK ("carry_rate" >= 0 AND "carry_rate" <= 0.5),
        CONSTRAINT "campaign_leads_status_check" CHECK ("status" IN ('ACTIVE', 'WITHDRAWN')),
        CONSTRAINT "campaign_leads_withdrawn_check" CHECK (("status" = 'WITHDRAWN') = ("withdrawn_at" IS NOT NULL)),
        CONSTRAINT "campaign_leads_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT,
        CONSTRAINT "campaign_leads_lead_investor_id_fkey" FOREIGN KEY ("lead_investor_id") REFERENCES "users"("id") ON DELETE RESTRICT,
        CONSTRAINT "campaign_leads_named_by_fkey" FOREIGN KEY ("named_by") REFERENCES "users"("id") ON DELETE RESTRICT
      )`);
    await q.query(
      `CREATE INDEX "campaign_leads_lead_investor_idx" ON "campaign_leads" ("lead_investor_id")`,
    );

    await q.query(
      `ALTER TABLE "disclosure_documents" DROP CONSTRAINT "disclosure_documents_scope_check"`,
    );
    await q.query(
      `ALTER TABLE "disclosure_documents" ADD CONSTRAINT "disclosure_documents_scope_check" CHECK ("scope" IN ('PLATFORM', 'CAMPAIGN', 'LEAD_MEMO'))`,
    );
    await q.query(
      `ALTER TABLE "disclosure_documents" DROP CONSTRAINT "disclosure_documents_campaign_check"`,
    );
    await q.query(
      `ALTER TABLE "disclosure_documents" ADD CONSTRAINT "disclosure_documents_campaign_check" CHECK (("scope" <> 'PLATFORM') = ("campaign_id" IS NOT NULL))`,
    );

    await q.query(
      `ALTER TABLE "distribution_payments" DROP CONSTRAINT "distribution_payments_amounts_check"`,
    );
    await q.query(
      `ALTER TABLE "distribution_payments" ADD COLUMN "carry" numeric(20,2) NOT NULL DEFAULT 0`,
    );
    await q.query(
      `ALTER TABLE "distribution_payments" ADD CONSTRAINT "distribution_payments_amounts_check" CHECK ("units" > 0 AND "tax" >= 0 AND "net" >= 0 AND "carry" >= 0 AND "gross" = "tax" + "carry" + "net")`,
    );
    await q.query(`ALTER TABLE "distributions" ADD COLUMN "carry_paid" numeric(20,2)`);
    await q.query(
      `ALTER TABLE "distributions" ADD CONSTRAINT "distributions_carry_paid_check" CHECK ("carry_paid" IS NULL OR "carry_paid" >= 0)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "distributions" DROP CONSTRAINT "distributions_carry_paid_check"`);
    await q.query(`ALTER TABLE "distributions" DROP COLUMN "carry_paid"`);
    await q.query(
      `ALTER TABLE "distribution_payments" DROP CONSTRAINT "distribution_payments_amounts_check"`,
    );
    await q.query(`ALTER TABLE "distribution_payments" DROP COLUMN "carry"`);
    await q.query(
      `ALTER TABLE "distribution_payments" ADD CONSTRAINT "distribution_payments_amounts_check" CHECK ("units" > 0 AND "tax" >= 0 AND "net" >= 0 AND "gross" = "tax" + "net")`,
    );
    await q.query(
      `ALTER TABLE "disclosure_documents" DROP CONSTRAINT "disclosure_documents_campaign_check"`,
    );
    await q.query(
      `ALTER TABLE "disclosure_documents" ADD CONSTRAINT "disclosure_documents_campaign_check" CHECK (("scope" = 'CAMPAIGN') = ("campaign_id" IS NOT NULL))`,
    );
    await q.query(
      `ALTER TABLE "disclosure_documents" DROP CONSTRAINT "disclosure_documents_scope_check"`,
    );
    await q.query(
      `ALTER TABLE "disclosure_documents" ADD CONSTRAINT "disclosure_documents_scope_check" CHECK ("scope" IN ('PLATFORM', 'CAMPAIGN'))`,
    );
    await q.query(`DROP TABLE "campaign_leads"`);
    await q.query(`DROP TABLE "institutional_investor_flags"`);
  }
}
