import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Debt crowdfunding (issue 14), owned by the lending module:
 *
 * - `loan_terms`: a DEBT campaign's terms, set by its founder while it is a DRAFT (rate capped by
 *   the pack, CN-P2P-02; purpose, CN-P2P-06), with the other-platform debt the borrower declares.
 * - `borrower_cap_decisions`: each cap check at submit with its inputs and the pack (CN-P2P-02).
 * - `loans`, `loan_claims`, `loan_instalments`, `loan_instalment_shares`: the loan made at
 *   settlement, one claim per lender, the schedule and each lender's share of each instalment.
 *   CHECKs keep every paid amount within what is due.
 * - `loan_repayments`: one row per custody REPAYMENT notice (bank reference unique: applied once).
 * - `operating_disclosures`: frozen monthly disclosures with their hash (CN-P2P-10).
 * - custody notifications may now be REPAYMENT.
 */
export class Lending1765400000000 implements MigrationInterface {
  name = 'Lending1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "loan_terms" (
        "campaign_id" uuid NOT NULL,
        "borrower_id" uuid NOT NULL,
        "annual_rate" numeric(6,4) NOT NULL,
        "term_months" integer NOT NULL,
        "method" text NOT NULL,
        "grace_days" integer NOT NULL,
        "penalty_annual_rate" numeric(6,4) NOT NULL,
        "purpose_category" text NOT NULL,
        "purpose" text NOT NULL,
        "other_platform_debt" numeric(20,2) NOT NULL,
        "updated_at" timestamptz NOT NULL,
        CONSTRAINT "loan_terms_pkey" PRIMARY KEY ("campaign_id"),
        CONSTRAINT "loan_terms_campaign_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT,
        CONSTRAINT "loan_terms_rate_check" CHECK ("annual_rate" >= 0 AND "annual_rate" <= 0.36 AND "penalty_annual_rate" >= 0 AND "penalty_annual_rate" <= 0.36),
        CONSTRAINT "loan_terms_term_check" CHECK ("term_months" BETWEEN 1 AND 600 AND "grace_days" >= 0),
        CONSTRAINT "loan_terms_method_check" CHECK ("method" IN ('EQUAL_INSTALLMENT', 'EQUAL_PRINCIPAL', 'INTEREST_ONLY')),
        CONSTRAINT "loan_terms_debt_check" CHECK ("other_platform_debt" >= 0)
      )`);
    await q.query(`
      CREATE TABLE "borrower_cap_decisions" (
        "id" uuid NOT NULL,
        "campaign_id" uuid NOT NULL,
        "borrower_id" uuid NOT NULL,
        "borrower_kind" text NOT NULL,
        "requested" numeric(20,2) NOT NULL,
        "outstanding_here" numeric(20,2) NOT NULL,
        "other_platform_debt" numeric(20,2) NOT NULL,
        "cap_here" numeric(20,2) NOT NULL,
        "cap_all" numeric(20,2) NOT NULL,
        "rule_pack" text NOT NULL,
        "decided_at" timestamptz NOT NULL,
        CONSTRAINT "borrower_cap_decisions_pkey" PRIMARY KEY ("id")
      )`);
    await q.query(
      `CREATE INDEX "borrower_cap_decisions_campaign_idx" ON "borrower_cap_decisions" ("campaign_id", "decided_at")`,
    );
    await q.query(`
      CREATE TABLE "loans" (
        "id" uuid NOT NULL,
        "campaign_id" uuid NOT NULL,
        "borrower_id" uuid NOT NULL,
        "currency" char(3) NOT NULL,
        "principal" numeric(20,2) NOT NULL,
        "annual_rate" numeric(6,4) NOT NULL,
        "term_months" integer NOT NULL,
        "method" text NOT NULL,
        "grace_days" integer NOT NULL,
        "penalty_annual_rate" numeric(6,4) NOT NULL,
        "day_count_basis" integer NOT NULL,
        "service_fee_rate" numeric(6,4) NOT NULL,
        "early_repayment_fee_rate" numeric(6,4) NOT NULL,
        "default_after_days" integer NOT NULL,
        "status" text NOT NULL,
        "start_date" date NOT NULL,
        "borrower_credit" numeric(20,2) NOT NULL DEFAULT 0,
        "overdue_recorded_at" timestamptz,
        "created_at" timestamptz NOT NULL,
        "closed_at" timestamptz,
        CONSTRAINT "loans_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "loans_campaign_key" UNIQUE ("campaign_id"),
        CONSTRAINT "loans_status_check" CHECK ("status" IN ('ACTIVE', 'REPAID', 'DEFAULTED')),
        CONSTRAINT "loans_amounts_check" CHECK ("principal" > 0 AND "borrower_credit" >= 0),
        CONSTRAINT "loans_method_check" CHECK ("method" IN ('EQUAL_INSTALLMENT', 'EQUAL_PRINCIPAL', 'INTEREST_ONLY'))
      )`);
    await q.query(`CREATE INDEX "loans_borrower_idx" ON "loans" ("borrower_id")`);
    await q.query(`CREATE INDEX "loans_status_idx" ON "loans" ("status")`);
    await q.query(`
      CREATE TABLE "loan_claims" (
        "loan_id" uuid NOT NULL,
        "lender_id" uuid NOT NULL,
        "principal" numeric(20,2) NOT NULL,
        "principal_received" numeric(20,2) NOT NULL DEFAULT 0,
        "interest_received" numeric(20,2) NOT NULL DEFAULT 0,
        CONSTRAINT "loan_claims_pkey" PRIMARY KEY ("loan_id", "lender_id"),
        CONSTRAINT "loan_claims_loan_fkey" FOREIGN KEY ("loan_id") REFERENCES "loans"("id") ON DELETE RESTRICT,
        CONSTRAINT "loan_claims_principal_check" CHECK ("principal" > 0 AND "principal_received" BETWEEN 0 AND "principal" AND "interest_received" >= 0)
      )`);
    await q.query(`CREATE INDEX "loan_claims_lender_idx" ON "loan_claims" ("lender_id")`);
    await q.query(`
      CREATE TABLE "loan_instalments" (
        "loan_id" uuid NOT NULL,
        "number" integer NOT NULL,
        "due_date" date NOT NULL,
        "principal" numeric(20,2) NOT NULL,
        "interest" numeric(20,2) NOT NULL,
        "interest_waived" numeric(20,2) NOT NULL DEFAULT 0,
        "penalty" numeric(20,2) NOT NULL DEFAULT 0,
        "principal_paid" numeric(20,2) NOT NULL DEFAULT 0,
        "interest_paid" numeric(20,2) NOT NULL DEFAULT 0,
        "penalty_paid" numeric(20,2) NOT NULL DEFAULT 0,
        "penalty_through" date NOT NULL,
        "status" text NOT NULL,
        "overdue_since" date,
        "paid_at" timestamptz,
        CONSTRAINT "loan_instalments_pkey" PRIMARY KEY ("loan_id", "number"),
        CONSTRAINT "loan_instalments_loan_fkey" FOREIGN KEY ("loan_id") REFERENCES "loans"("id") ON DELETE RESTRICT,
        CONSTRAINT "loan_instalments_status_check" CHECK ("status" IN ('SCHEDULED', 'OVERDUE', 'PAID')),
        CONSTRAINT "loan_instalments_amounts_check" CHECK (
          "principal" >= 0 AND "interest" >= 0 AND "penalty" >= 0 AND "interest_waived" >= 0
          AND "principal_paid" BETWEEN 0 AND "principal"
          AND "interest_paid" >= 0 AND "interest_paid" + "interest_waived" <= "interest"
          AND "penalty_paid" BETWEEN 0 AND "penalty"),
        CONSTRAINT "loan_instalments_paid_check" CHECK (("status" = 'PAID') = ("paid_at" IS NOT NULL))
      )`);
    await q.query(
      `CREATE INDEX "loan_instalments_due_idx" ON "loan_instalments" ("status", "due_date")`,
    );
    await q.query(`
      CREATE TABLE "loan_instalment_shares" (
        "loan_id" uuid NOT NULL,
        "number" integer NOT NULL,
        "lender_id" uuid NOT NULL,
        "principal" numeric(20,2) NOT NULL,
        "interest" numeric(20,2) NOT NULL,
        CONSTRAINT "loan_instalment_shares_pkey" PRIMARY KEY ("loan_id", "number", "lender_id"),
        CONSTRAINT "loan_instalment_shares_instalment_fkey" FOREIGN KEY ("loan_id", "number") REFERENCES "loan_instalments"("loan_id", "number") ON DELETE RESTRICT,
        CONSTRAINT "loan_instalment_shares_amounts_check" CHECK ("principal" >= 0 AND "interest" >= 0)
      )`);
    await q.query(`
      CREATE TABLE "loan_repayments" (
        "bank_reference" text NOT NULL,
        "loan_id" uuid NOT NULL,
        "amount" numeric(20,2) NOT NULL,
        "transfer_id" uuid NOT NULL,
        "applied" jsonb NOT NULL,
        "received_at" timestamptz NOT NULL,
        CONSTRAINT "loan_repayments_pkey" PRIMARY KEY ("bank_reference"),
        CONSTRAINT "loan_repayments_loan_fkey" FOREIGN KEY ("loan_id") REFERENCES "loans"("id") ON DELETE RESTRICT,
        CONSTRAINT "loan_repayments_amount_check" CHECK ("amount" > 0)
      )`);
    await q.query(`CREATE INDEX "loan_repayments_loan_idx" ON "loan_repayments" ("loan_id")`);
    await q.query(`
      CREATE TABLE "operating_disclosures" (
        "month" char(7) NOT NULL,
        "body" jsonb NOT NULL,
        "hash" char(64) NOT NULL,
        "frozen_at" timestamptz NOT NULL,
        CONSTRAINT "operating_disclosures_pkey" PRIMARY KEY ("month"),
        CONSTRAINT "operating_disclosures_month_check" CHECK ("month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
      )`);
    // CN-P2P-10: a published month is never rewritten.
    await q.query(`
      CREATE FUNCTION "operating_disclosures_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'operating disclosures are immutable once frozen' USING ERRCODE = 'check_violation';
      END $$`);
    await q.query(
      `CREATE TRIGGER "operating_disclosures_immutable" BEFORE UPDATE OR DELETE ON "operating_disclosures"
       FOR EACH ROW EXECUTE FUNCTION "operating_disclosures_immutable"()`,
    );
    await q.query(
      `ALTER TABLE "custody_notifications" DROP CONSTRAINT "custody_notifications_type_check"`,
    );
    await q.query(
      `ALTER TABLE "custody_notifications" ADD CONSTRAINT "custody_notifications_type_check" CHECK ("type" IN ('DEPOSIT', 'WITHDRAWAL_SETTLED', 'WITHDRAWAL_FAILED', 'PAYOUT_SETTLED', 'PAYOUT_FAILED', 'REPAYMENT'))`,
    );
    // Credit records the platform makes itself (a loan overdue or in default) have no admin.
    await q.query(`ALTER TABLE "credit_records" ALTER COLUMN "created_by" DROP NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Fails while a platform-made record exists: they are evidence and are never deleted.
    await q.query(`ALTER TABLE "credit_records" ALTER COLUMN "created_by" SET NOT NULL`);
    await q.query(
      `ALTER TABLE "custody_notifications" DROP CONSTRAINT "custody_notifications_type_check"`,
    );
    await q.query(
      `ALTER TABLE "custody_notifications" ADD CONSTRAINT "custody_notifications_type_check" CHECK ("type" IN ('DEPOSIT', 'WITHDRAWAL_SETTLED', 'WITHDRAWAL_FAILED', 'PAYOUT_SETTLED', 'PAYOUT_FAILED'))`,
    );
    for (const table of [
      'operating_disclosures',
      'loan_repayments',
      'loan_instalment_shares',
      'loan_instalments',
      'loan_claims',
      'loans',
      'borrower_cap_decisions',
      'loan_terms',
    ]) {
      await q.query(`DROP TABLE "${table}"`);
    }
    await q.query(`DROP FUNCTION "operating_disclosures_immutable"()`);
  }
}
