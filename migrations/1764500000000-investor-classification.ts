import type { MigrationInterface, QueryRunner } from 'typeorm';
import { QUESTIONNAIRE_CN_V1_SEED as QUESTIONNAIRE_CN_V1 } from './seed/questionnaire-cn-v1.js';

/**
 * Investor classification (rules-spec §4, PLAT-09): questionnaires as versioned data, assessments
 * (kept, never overwritten: CN-SUIT-17), self-declared financials, the investor's category and
 * qualification, and opt-up applications with evidence and the admin's decision.
 * The questionnaire seeded here is frozen: a changed questionnaire is a new version in a new migration.
 */
export class InvestorClassification1764500000000 implements MigrationInterface {
  name = 'InvestorClassification1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "risk_questionnaires" (
        "version" text NOT NULL,
        "definition" jsonb NOT NULL,
        "active" boolean NOT NULL,
        "created_at" timestamptz NOT NULL,
        CONSTRAINT "risk_questionnaires_pkey" PRIMARY KEY ("version")
      )`);
    await q.query(
      `CREATE UNIQUE INDEX "risk_questionnaires_one_active" ON "risk_questionnaires" ("active") WHERE "active"`,
    );
    await q.query(
      `INSERT INTO "risk_questionnaires" ("version", "definition", "active", "created_at") VALUES ($1, $2, true, now())`,
      [QUESTIONNAIRE_CN_V1.version, JSON.stringify(QUESTIONNAIRE_CN_V1)],
    );
    await q.query(`
      CREATE TABLE "investor_assessments" (
        "id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "questionnaire_version" text NOT NULL,
        "answers" jsonb NOT NULL,
        "score" integer NOT NULL,
        "risk_level" text NOT NULL,
        "lowest_category" boolean NOT NULL,
        "rule_pack" text NOT NULL,
        "assessed_at" timestamptz NOT NULL,
        "valid_until" timestamptz NOT NULL,
        CONSTRAINT "investor_assessments_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "investor_assessments_score_check" CHECK ("score" BETWEEN 0 AND 100),
        CONSTRAINT "investor_assessments_risk_level_check" CHECK ("risk_level" IN ('C1', 'C2', 'C3', 'C4', 'C5')),
        CONSTRAINT "investor_assessments_lowest_check" CHECK (NOT "lowest_category" OR "risk_level" = 'C1'),
        CONSTRAINT "investor_assessments_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
        CONSTRAINT "investor_assessments_questionnaire_version_fkey" FOREIGN KEY ("questionnaire_version") REFERENCES "risk_questionnaires"("version") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(
      `CREATE INDEX "investor_assessments_user_idx" ON "investor_assessments" ("user_id", "assessed_at")`,
    );
    await q.query(`
      CREATE TRIGGER "investor_assessments_append_only" BEFORE UPDATE OR DELETE ON "investor_assessments"
      FOR EACH ROW EXECUTE FUNCTION "reject_modification"()`);
    await q.query(`
      CREATE TABLE "investor_financials" (
        "user_id" uuid NOT NULL,
        "annual_income" numeric(20,2) NOT NULL,
        "financial_assets" numeric(20,2) NOT NULL,
        "net_worth" numeric(20,2) NOT NULL,
        "investment_experience_years" integer NOT NULL,
        "updated_at" timestamptz NOT NULL,
        CONSTRAINT "investor_financials_pkey" PRIMARY KEY ("user_id"),
        CONSTRAINT "investor_financials_non_negative_check" CHECK ("annual_income" >= 0 AND "financial_assets" >= 0 AND "net_worth" >= 0 AND "investment_experience_years" BETWEEN 0 AND 100),
        CONSTRAINT "investor_financials_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(`
      CREATE TABLE "investor_profiles" (
        "user_id" uuid NOT NULL,
        "category" text NOT NULL,
        "qualified_until" timestamptz,
        "updated_at" timestamptz NOT NULL,
        CONSTRAINT "investor_profiles_pkey" PRIMARY KEY ("user_id"),
        CONSTRAINT "investor_profiles_category_check" CHECK ("category" IN ('ORDINARY', 'PROFESSIONAL')),
        CONSTRAINT "investor_profiles_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(`
      CREATE TABLE "classification_applications" (
        "id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "type" text NOT NULL,
        "status" text NOT NULL,
        "evidence" jsonb NOT NULL,
        "submitted_at" timestamptz NOT NULL,
        "decided_at" timestamptz,
        "decided_by" uuid,
        "reason" text,
        "decision_inputs" jsonb,
        CONSTRAINT "classification_applications_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "classification_applications_type_check" CHECK ("type" IN ('QUALIFIED', 'PROFESSIONAL')),
        CONSTRAINT "classification_applications_status_check" CHECK ("status" IN ('PENDING', 'APPROVED', 'REJECTED')),
        CONSTRAINT "classification_applications_decision_check" CHECK (("status" = 'PENDING') = ("decided_at" IS NULL AND "decided_by" IS NULL)),
        CONSTRAINT "classification_applications_reason_check" CHECK ("status" <> 'REJECTED' OR "reason" IS NOT NULL),
        CONSTRAINT "classification_applications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
        CONSTRAINT "classification_applications_decided_by_fkey" FOREIGN KEY ("decided_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(
      `CREATE UNIQUE INDEX "classification_applications_one_pending" ON "classification_applications" ("user_id", "type") WHERE "status" = 'PENDING'`,
    );
    await q.query(
      `CREATE INDEX "classification_applications_status_idx" ON "classification_applications" ("status", "submitted_at")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "classification_applications"`);
    await q.query(`DROP TABLE "investor_profiles"`);
    await q.query(`DROP TABLE "investor_financials"`);
    await q.query(`DROP TABLE "investor_assessments"`);
    await q.query(`DROP TABLE "risk_questionnaires"`);
  }
}
