import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The escrow ledger (DESIGN §4-§5): accounts with four counters, immutable two-phase transfers,
 * idempotency records, custody notifications and sealed blocks. The invariants that protect money
 * live here, so that no application bug can break them:
 *   INV-1  amount > 0, debit <> credit (CHECK); same currency on both accounts (composite FKs)
 *   INV-2  transfers and blocks are append-only (triggers)
 *   INV-3  counters move only through the transfer insert trigger, in the same statement
 *   INV-5  no overdraft of a credit-normal account, no negative asset (CHECK on the counters)
 *   INV-6  a pending transfer is resolved at most once (unique index on pending_id)
 *   INV-10 one effect per idempotency key (primary key)
 */
export class EscrowLedger1764400000000 implements MigrationInterface {
  name = 'EscrowLedger1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "ledger_accounts" (
        "id" uuid NOT NULL,
        "code" text NOT NULL,
        "kind" text NOT NULL,
        "currency" character(3) NOT NULL,
        "debits_posted" numeric(20,2) NOT NULL DEFAULT 0,
        "credits_posted" numeric(20,2) NOT NULL DEFAULT 0,
        "debits_pending" numeric(20,2) NOT NULL DEFAULT 0,
        "credits_pending" numeric(20,2) NOT NULL DEFAULT 0,
        "created_at" timestamptz NOT NULL,
        CONSTRAINT "ledger_accounts_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "ledger_accounts_code_key" UNIQUE ("code"),
        CONSTRAINT "ledger_accounts_id_currency_key" UNIQUE ("id", "currency"),
        CONSTRAINT "ledger_accounts_kind_check" CHECK ("kind" IN ('ASSET', 'LIABILITY', 'REVENUE')),
        CONSTRAINT "ledger_accounts_currency_check" CHECK ("currency" ~ '^[A-Z]{3}$'),
        CONSTRAINT "ledger_accounts_counters_non_negative_check" CHECK ("debits_posted" >= 0 AND "credits_posted" >= 0 AND "debits_pending" >= 0 AND "credits_pending" >= 0),
        CONSTRAINT "ledger_accounts_no_overdraft_check" CHECK (
          ("kind" = 'ASSET' AND "credits_posted" + "credits_pending" <= "debits_posted")
          OR ("kind" <> 'ASSET' AND "debits_posted" + "debits_pending" <= "credits_posted"))
      )`);
    await q.query(`
      CREATE TABLE "ledger_transfers" (
        "id" uuid NOT NULL,
        "seq" BIGSERIAL NOT NULL,
        "tx_id" xid8 NOT NULL DEFAULT pg_current_xact_id(),
        "kind" text NOT NULL,
        "status" text NOT NULL,
        "debit_account_id" uuid NOT NULL,
        "credit_account_id" uuid NOT NULL,
        "amount" numeric(20,2) NOT NULL,
        "currency" character(3) NOT NULL,
        "pending_id" uuid,
        "reference" text,
        "created_at" timestamptz NOT NULL,
        CONSTRAINT "ledger_transfers_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "ledger_transfers_seq_key" UNIQUE ("seq"),
        CONSTRAINT "ledger_transfers_amount_check" CHECK ("amount" > 0),
        CONSTRAINT "ledger_transfers_accounts_differ_check" CHECK ("debit_account_id" <> "credit_account_id"),
        CONSTRAINT "ledger_transfers_status_check" CHECK ("status" IN ('PENDING', 'POSTED', 'POST', 'VOID')),
        CONSTRAINT "ledger_transfers_pending_id_check" CHECK (("status" IN ('POST', 'VOID')) = ("pending_id" IS NOT NULL)),
        CONSTRAINT "ledger_transfers_debit_fkey" FOREIGN KEY ("debit_account_id", "currency") REFERENCES "ledger_accounts"("id", "currency"),
        CONSTRAINT "ledger_transfers_credit_fkey" FOREIGN KEY ("credit_account_id", "currency") REFERENCES "ledger_accounts"("id", "currency"),
        CONSTRAINT "ledger_transfers_pending_fkey" FOREIGN KEY ("pending_id") REFERENCES "ledger_transfers"("id")
      )`);
    await q.query(
      `CREATE UNIQUE INDEX "ledger_transfers_pending_id_key" ON "ledger_transfers" ("pending_id") WHERE "pending_id" IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX "ledger_transfers_tx_id_idx" ON "ledger_transfers" ("tx_id", "seq")`,
    );
    await q.query(
      `CREATE INDEX "ledger_transfers_debit_idx" ON "ledger_transfers" ("debit_account_id", "seq")`,
    );
    await q.query(
      `CREATE INDEX "ledger_transfers_credit_idx" ON "ledger_transfers" ("credit_account_id", "seq")`,
    );
    await q.query(
      `CREATE INDEX "ledger_transfers_reference_idx" ON "ledger_transfers" ("reference")`,
    );

    // The one write path for counters (INV-3): a statement-level trigger over the rows the
    // statement inserted (a row skipped by ON CONFLICT DO NOTHING, an idempotent replay, is not among
    // them and moves no money). Each touched account is locked once, in id order, so concurrent
    // writers never deadlock on account order, and a batch of 10,000 posts updates the campaign's
    // escrow row once instead of 10,000 times.
    await q.query(`
      CREATE FUNCTION "ledger_apply_transfers"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        bad record;
      BEGIN
        SELECT n.id, n.pending_id INTO bad
        FROM new_rows n LEFT JOIN ledger_transfers p ON p.id = n.pending_id
        WHERE n.status IN ('POST', 'VOID')
          AND (p.id IS NULL OR p.status <> 'PENDING' OR p.debit_account_id <> n.debit_account_id
               OR p.credit_account_id <> n.credit_account_id OR p.amount <> n.amount OR p.currency <> n.currency)
        LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'transfer % does not resolve a matching pending transfer (%)', bad.id, bad.pending_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_transfers_resolves_pending_check';
        END IF;

        PERFORM 1 FROM ledger_accounts
        WHERE id IN (SELECT debit_account_id FROM new_rows UNION SELECT credit_account_id FROM new_rows)
        ORDER BY id FOR NO KEY UPDATE; -- the FK checks hold KEY SHARE on these rows: do not conflict with it

        UPDATE ledger_accounts a SET
          debits_posted = a.debits_posted + d.dp,
          credits_posted = a.credits_posted + d.cp,
          debits_pending = a.debits_pending + d.dq,
          credits_pending = a.credits_pending + d.cq
        FROM (
          SELECT account_id, sum(dp) AS dp, sum(cp) AS cp, sum(dq) AS dq, sum(cq) AS cq
          FROM (
            SELECT debit_account_id AS account_id,
                   CASE WHEN status IN ('POSTED', 'POST') THEN amount ELSE 0 END AS dp, 0 AS cp,
                   CASE status WHEN 'PENDING' THEN amount WHEN 'POSTED' THEN 0 ELSE -amount END AS dq, 0 AS cq
            FROM new_rows
            UNION ALL
            SELECT credit_account_id, 0, CASE WHEN status IN ('POSTED', 'POST') THEN amount ELSE 0 END,
                   0, CASE status WHEN 'PENDING' THEN amount WHEN 'POSTED' THEN 0 ELSE -amount END
            FROM new_rows
          ) sides
          GROUP BY account_id
        ) d
        WHERE a.id = d.account_id;
        RETURN NULL;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER "ledger_transfers_apply" AFTER INSERT ON "ledger_transfers"
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "ledger_apply_transfers"()`);
    // Counters change only through the trigger above: a direct UPDATE of a counter is refused.
    await q.query(`
      CREATE FUNCTION "ledger_guard_account"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF pg_trigger_depth() < 2 THEN
          RAISE EXCEPTION 'ledger account counters change only through transfers'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.id <> OLD.id OR NEW.code <> OLD.code OR NEW.kind <> OLD.kind OR NEW.currency <> OLD.currency THEN
          RAISE EXCEPTION 'ledger account identity is immutable' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER "ledger_accounts_guard" BEFORE UPDATE ON "ledger_accounts"
      FOR EACH ROW EXECUTE FUNCTION "ledger_guard_account"()`);
    await q.query(`
      CREATE TRIGGER "ledger_accounts_no_delete" BEFORE DELETE OR TRUNCATE ON "ledger_accounts"
      FOR EACH STATEMENT EXECUTE FUNCTION "reject_modification"()`);
    await q.query(`
      CREATE TRIGGER "ledger_transfers_append_only" BEFORE UPDATE OR DELETE ON "ledger_transfers"
      FOR EACH ROW EXECUTE FUNCTION "reject_modification"()`);
    await q.query(`
      CREATE TRIGGER "ledger_transfers_no_truncate" BEFORE TRUNCATE ON "ledger_transfers"
      FOR EACH STATEMENT EXECUTE FUNCTION "reject_modification"()`);

    await q.query(`
      CREATE TABLE "ledger_blocks" (
        "height" bigint NOT NULL,
        "from_tx_id" xid8 NOT NULL,
        "to_tx_id" xid8 NOT NULL,
        "transfer_count" integer NOT NULL,
        "first_seq" bigint,
        "last_seq" bigint,
        "merkle_root" character(64) NOT NULL,
        "prev_hash" character(64) NOT NULL,
        "hash" character(64) NOT NULL,
        "encoding" text NOT NULL,
        "sealed_at" timestamptz NOT NULL,
        CONSTRAINT "ledger_blocks_pkey" PRIMARY KEY ("height"),
        CONSTRAINT "ledger_blocks_range_check" CHECK ("from_tx_id" < "to_tx_id"),
        CONSTRAINT "ledger_blocks_height_check" CHECK ("height" >= 1)
      )`);
    await q.query(`
      CREATE TRIGGER "ledger_blocks_append_only" BEFORE UPDATE OR DELETE ON "ledger_blocks"
      FOR EACH ROW EXECUTE FUNCTION "reject_modification"()`);
    await q.query(`
      CREATE TRIGGER "ledger_blocks_no_truncate" BEFORE TRUNCATE ON "ledger_blocks"
      FOR EACH STATEMENT EXECUTE FUNCTION "reject_modification"()`);

    await q.query(`
      CREATE TABLE "idempotency_records" (
        "scope" text NOT NULL,
        "key" text NOT NULL,
        "request_hash" character(64) NOT NULL,
        "status_code" integer,
        "response" jsonb,
        "created_at" timestamptz NOT NULL,
        CONSTRAINT "idempotency_records_pkey" PRIMARY KEY ("scope", "key"),
        CONSTRAINT "idempotency_records_key_check" CHECK (length("key") BETWEEN 1 AND 200)
      )`);
    await q.query(`
      CREATE TABLE "custody_notifications" (
        "bank_reference" text NOT NULL,
        "type" text NOT NULL,
        "request_hash" character(64) NOT NULL,
        "transfer_id" uuid NOT NULL,
        "received_at" timestamptz NOT NULL,
        CONSTRAINT "custody_notifications_pkey" PRIMARY KEY ("bank_reference"),
        CONSTRAINT "custody_notifications_type_check" CHECK ("type" IN ('DEPOSIT', 'WITHDRAWAL_SETTLED', 'WITHDRAWAL_FAILED', 'PAYOUT_SETTLED', 'PAYOUT_FAILED')),
        CONSTRAINT "custody_notifications_transfer_fkey" FOREIGN KEY ("transfer_id") REFERENCES "ledger_transfers"("id")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "custody_notifications"`);
    await q.query(`DROP TABLE "idempotency_records"`);
    await q.query(`DROP TABLE "ledger_blocks"`);
    await q.query(`DROP TABLE "ledger_transfers"`);
    await q.query(`DROP FUNCTION "ledger_apply_transfers"()`);
    await q.query(`DROP TABLE "ledger_accounts"`);
    await q.query(`DROP FUNCTION "ledger_guard_account"()`);
  }
}
