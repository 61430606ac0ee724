import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TRANSFER_KINDS } from './1765900000000-line-transfer-kinds.js';

const CUSTODY_TYPES = [
  'DEPOSIT',
  'WITHDRAWAL_SETTLED',
  'WITHDRAWAL_FAILED',
  'PAYOUT_SETTLED',
  'PAYOUT_FAILED',
  'REPAYMENT',
];
const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * Distributions to holders (issue 15), owned by the holdings module, and the two vocabulary
 * changes they need in the ledger's tables (a transfer kind, a custody notice type):
 * - `distributions`: what an issuer announced (dividend, exit proceeds, SPV distribution), its
 *   amount and the withholding rate of the pack; PAID once the custodian's DISTRIBUTION notice
 *   funded it and it was paid out;
 * - `distribution_payments`: per holder, units, gross, tax withheld and net (the statement);
 *   append-only.
 */
export class Distributions1765910100000 implements MigrationInterface {
  name = 'Distributions1765910100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "ledger_transfers" DROP CONSTRAINT "ledger_transfers_kind_check"`);
    await q.query(`
      ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_kind_check"
      CHECK ("kind" IN (${list([...TRANSFER_KINDS, 'DISTRIBUTION'])}))`);
    await q.query(
      `ALTER TABLE "custody_notifications" DROP CONSTRAINT "custody_notifications_type_check"`,
    );
    await q.query(`
      ALTER TABLE "custody_notifications" ADD CONSTRAINT "custody_notifications_type_check"
      CHECK ("type" IN (${list([...CUSTODY_TYPES, 'DISTRIBUTION'])}))`);
    await q.query(`
      CREATE TABLE "distributions" (
        "id" uuid NOT NULL,
        "campaign_id" uuid NOT NULL,
        "kind" text NOT NULL,
        "amount" numeric(20,2) NOT NULL,
        "currency" character(3) NOT NULL,
        "withholding_rate" numeric(6,4) NOT NULL,
        "note" text,
        "status" text NOT NULL,
        "announced_by" uuid NOT NULL,
        "announced_at" timestamptz NOT NULL,
        "bank_reference" text,
        "paid_at" timestamptz,
        "holders" integer,
        "tax_withheld" numeric(20,2),
        CONSTRAINT "distributions_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "distributions_bank_reference_key" UNIQUE ("bank_reference"),
        CONSTRAINT "distributions_kind_check" CHECK ("kind" IN ('DIVIDEND', 'EXIT_PROCEEDS', 'SPV_DISTRIBUTION')),
        CONSTRAINT "distributions_amount_check" CHECK ("amount" > 0 AND "withholding_rate" >= 0 AND "withholding_rate" < 1),
        CONSTRAINT "distributions_status_check" CHECK (
          ("status" = 'ANNOUNCED' AND "paid_at" IS NULL AND "bank_reference" IS NULL AND "holders" IS NULL AND "tax_withheld" IS NULL)
          OR ("status" = 'PAID' AND "paid_at" IS NOT NULL AND "bank_reference" IS NOT NULL AND "holders" > 0 AND "tax_withheld" >= 0)),
        CONSTRAINT "distributions_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "holding_certificate_counters"("campaign_id") ON DELETE RESTRICT,
        CONSTRAINT "distributions_announced_by_fkey" FOREIGN KEY ("announced_by") REFERENCES "users"("id") ON DELETE RESTRICT
      )`);
    await q.query(
      `CREATE INDEX "distributions_campaign_idx" ON "distributions" ("campaign_id", "announced_at")`,
    );
    await q.query(`
      CREATE TABLE "distribution_payments" (
        "distribution_id" uuid NOT NULL,
        "investor_id" uuid NOT NULL,
        "units" bigint NOT NULL,
        "gross" numeric(20,2) NOT NULL,
        "tax" numeric(20,2) NOT NULL,
        "net" numeric(20,2) NOT NULL,
        "paid_at" timestamptz NOT NULL,
        CONSTRAINT "distribution_payments_pkey" PRIMARY KEY ("distribution_id", "investor_id"),
        CONSTRAINT "distribution_payments_amounts_check" CHECK ("units" > 0 AND "tax" >= 0 AND "net" >= 0 AND "gross" = "tax" + "net"),
        CONSTRAINT "distribution_payments_distribution_id_fkey" FOREIGN KEY ("distribution_id") REFERENCES "distributions"("id") ON DELETE RESTRICT,
        CONSTRAINT "distribution_payments_investor_id_fkey" FOREIGN KEY ("investor_id") REFERENCES "users"("id") ON DELETE RESTRICT
      )`);
    await q.query(
      `CREATE INDEX "distribution_payments_investor_idx" ON "distribution_payments" ("investor_id", "paid_at")`,
    );
    await q.query(`
      CREATE TRIGGER "distribution_payments_append_only" BEFORE UPDATE OR DELETE ON "distribution_payments"
      FOR EACH ROW EXECUTE FUNCTION "reject_modification"()`);
    await q.query(`
      CREATE TRIGGER "distribution_payments_no_truncate" BEFORE TRUNCATE ON "distribution_payments"
      FOR EACH STATEMENT EXECUTE FUNCTION "reject_modification"()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "distribution_payments"`);
    await q.query(`DROP TABLE "distributions"`);
    await q.query(
      `ALTER TABLE "custody_notifications" DROP CONSTRAINT "custody_notifications_type_check"`,
    );
    await q.query(`
      ALTER TABLE "custody_notifications" ADD CONSTRAINT "custody_notifications_type_check"
      CHECK ("type" IN (${list(CUSTODY_TYPES)}))`);
    await q.query(`ALTER TABLE "ledger_transfers" DROP CONSTRAINT "ledger_transfers_kind_check"`);
    await q.query(`
      ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_kind_check"
      CHECK ("kind" IN (${list(TRANSFER_KINDS)}))`);
  }
}
