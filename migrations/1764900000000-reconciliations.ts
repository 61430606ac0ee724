import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reconciliations of the custody account with the custodian bank's statement: one row per run
 * (who, when, the statement's SHA-256, counts, totals, difference) and one row per result line.
 * Both are evidence for the finance office, so they are append-only like the audit log.
 */
export class Reconciliations1764900000000 implements MigrationInterface {
  name = 'Reconciliations1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "reconciliations" (
        "id" uuid NOT NULL,
        "run_by" uuid NOT NULL,
        "run_at" timestamptz NOT NULL,
        "period_from" date NOT NULL,
        "period_to" date NOT NULL,
        "currency" character(3) NOT NULL,
        "statement_format" text NOT NULL,
        "statement_sha256" character(64) NOT NULL,
        "statement_line_count" integer NOT NULL,
        "matched_count" integer NOT NULL,
        "unmatched_statement_count" integer NOT NULL,
        "unmatched_ledger_count" integer NOT NULL,
        "mismatch_count" integer NOT NULL,
        "statement_credits" numeric(20,2) NOT NULL,
        "statement_debits" numeric(20,2) NOT NULL,
        "ledger_credits" numeric(20,2) NOT NULL,
        "ledger_debits" numeric(20,2) NOT NULL,
        "closing_balance" numeric(20,2) NOT NULL,
        "ledger_balance" numeric(20,2) NOT NULL,
        "difference" numeric(20,2) NOT NULL,
        CONSTRAINT "reconciliations_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "reconciliations_period_check" CHECK ("period_from" <= "period_to"),
        CONSTRAINT "reconciliations_format_check" CHECK ("statement_format" IN ('CSV', 'JSONL')),
        CONSTRAINT "reconciliations_sha256_check" CHECK ("statement_sha256" ~ '^[0-9a-f]{64}$'),
        CONSTRAINT "reconciliations_counts_check" CHECK ("statement_line_count" >= 0 AND "matched_count" >= 0 AND "unmatched_statement_count" >= 0 AND "unmatched_ledger_count" >= 0 AND "mismatch_count" >= 0 AND "statement_line_count" = "matched_count" + "unmatched_statement_count" + "mismatch_count"),
        CONSTRAINT "reconciliations_totals_check" CHECK ("statement_credits" >= 0 AND "statement_debits" >= 0 AND "ledger_credits" >= 0 AND "ledger_debits" >= 0),
        CONSTRAINT "reconciliations_difference_check" CHECK ("difference" = "ledger_balance" - "closing_balance"),
        CONSTRAINT "reconciliations_run_by_fkey" FOREIGN KEY ("run_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(
      `CREATE INDEX "reconciliations_run_at_idx" ON "reconciliations" ("run_at", "id")`,
    );
    await q.query(`
      CREATE TABLE "reconciliation_lines" (
        "reconciliation_id" uuid NOT NULL,
        "position" integer NOT NULL,
        "outcome" text NOT NULL,
        "bank_reference" text,
        "statement_line" integer,
        "statement_date" date,
        "statement_direction" text,
        "statement_amount" numeric(20,2),
        "transfer_id" uuid,
        "ledger_kind" text,
        "ledger_direction" text,
        "ledger_amount" numeric(20,2),
        "ledger_at" timestamptz,
        CONSTRAINT "reconciliation_lines_pkey" PRIMARY KEY ("reconciliation_id", "position"),
        CONSTRAINT "reconciliation_lines_outcome_check" CHECK ("outcome" IN ('MATCHED', 'UNMATCHED_STATEMENT', 'UNMATCHED_LEDGER', 'MISMATCH')),
        CONSTRAINT "reconciliation_lines_sides_check" CHECK (("statement_line" IS NULL) = ("outcome" = 'UNMATCHED_LEDGER') AND ("transfer_id" IS NULL) = ("outcome" = 'UNMATCHED_STATEMENT')),
        CONSTRAINT "reconciliation_lines_statement_check" CHECK (("statement_line" IS NULL) = ("statement_amount" IS NULL) AND ("statement_line" IS NULL) = ("statement_date" IS NULL) AND ("statement_line" IS NULL) = ("statement_direction" IS NULL)),
        CONSTRAINT "reconciliation_lines_ledger_check" CHECK (("transfer_id" IS NULL) = ("ledger_amount" IS NULL) AND ("transfer_id" IS NULL) = ("ledger_at" IS NULL) AND ("transfer_id" IS NULL) = ("ledger_direction" IS NULL)),
        CONSTRAINT "reconciliation_lines_direction_check" CHECK ("statement_direction" IN ('CREDIT', 'DEBIT') AND "ledger_direction" IN ('CREDIT', 'DEBIT')),
        CONSTRAINT "reconciliation_lines_amount_check" CHECK ("statement_amount" > 0 AND "ledger_amount" > 0),
        CONSTRAINT "reconciliation_lines_reconciliation_id_fkey" FOREIGN KEY ("reconciliation_id") REFERENCES "reconciliations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    for (const table of ['reconciliations', 'reconciliation_lines']) {
      await q.query(`
        CREATE TRIGGER "${table}_append_only" BEFORE UPDATE OR DELETE ON "${table}"
        FOR EACH ROW EXECUTE FUNCTION "reject_modification"()`);
      await q.query(`
        CREATE TRIGGER "${table}_no_truncate" BEFORE TRUNCATE ON "${table}"
        FOR EACH STATEMENT EXECUTE FUNCTION "reject_modification"()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "reconciliation_lines"`);
    await q.query(`DROP TABLE "reconciliations"`);
  }
}
