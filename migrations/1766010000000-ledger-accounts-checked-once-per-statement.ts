import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: a transfer's accounts were checked by two foreign keys, `(debit_account_id, currency)`
 * and `(credit_account_id, currency)` to `ledger_accounts(id, currency)`: two row triggers and two
 * lookups per transfer, each locking its account row FOR KEY SHARE (settling 100,000 pledges ran
 * 200,004 of them: pg_stat_statements, 2026-12-06). The ledger's statement trigger already locks
 * every account the statement touches (FOR NO KEY UPDATE, in id order) to move their counters, and
 * accounts are append-only (`ledger_accounts_no_delete`; `ledger_guard_account` keeps id and
 * currency immutable), so the same check is made there once per statement, over the distinct
 * accounts, with the same error (23503, the same constraint names: LEDGER.CURRENCY_MISMATCH).
 */
const FUNCTION_HEAD =
  'CREATE OR REPLACE FUNCTION "ledger_apply_transfers"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$';

// The trigger's parts that did not change: INV-6's matching-hold check, the counters' update.
const RESOLVES_PENDING = `
        SELECT n.id, n.pending_id INTO bad
        FROM new_rows n LEFT JOIN ledger_transfers p ON p.id = n.pending_id
        WHERE n.status IN ('POST', 'VOID')
          AND (p.id IS NULL OR p.status <> 'PENDING' OR p.debit_account_id <> n.debit_account_id
               OR p.credit_account_id <> n.credit_account_id OR p.amount <> n.amount OR p.currency <> n.currency)
        LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'transfer % does not resolve a matching pending transfer (%)', bad.id, bad.pending_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_transfers_resolves_pending_check';
        END IF;`;

const COUNTERS = `
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
      `;

const CHECKING_ACCOUNTS = `
      DECLARE
        bad record;
        missing record;
      BEGIN
        -- INV-1: both accounts exist in the transfer's currency (the foreign keys' check, once per
        -- statement; accounts are never deleted and their id and currency never change).
        SELECT w.side, w.account_id, w.currency INTO missing
        FROM (SELECT 'debit' AS side, debit_account_id AS account_id, currency FROM new_rows
              UNION SELECT 'credit', credit_account_id, currency FROM new_rows) w
        WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.id = w.account_id AND a.currency = w.currency)
        ORDER BY w.side DESC
        LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'insert on table "ledger_transfers" violates foreign key constraint "ledger_transfers_%_fkey"', missing.side
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'ledger_transfers_' || missing.side || '_fkey',
                  DETAIL = format('Key (%s_account_id, currency)=(%s, %s) is not present in table "ledger_accounts".',
                                  missing.side, missing.account_id, missing.currency);
        END IF;

${RESOLVES_PENDING}
        PERFORM 1 FROM ledger_accounts
        WHERE id IN (SELECT debit_account_id FROM new_rows UNION SELECT credit_account_id FROM new_rows)
        ORDER BY id FOR NO KEY UPDATE;

${COUNTERS}`;

const BEFORE = `
      DECLARE
        bad record;
      BEGIN
${RESOLVES_PENDING}
        PERFORM 1 FROM ledger_accounts
        WHERE id IN (SELECT debit_account_id FROM new_rows UNION SELECT credit_account_id FROM new_rows)
        ORDER BY id FOR NO KEY UPDATE; -- the FK checks hold KEY SHARE on these rows: do not conflict with it

${COUNTERS}`;

export class LedgerAccountsCheckedOncePerStatement1766010000000 implements MigrationInterface {
  name = 'LedgerAccountsCheckedOncePerStatement1766010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`${FUNCTION_HEAD}${CHECKING_ACCOUNTS}$$`);
    await q.query(`ALTER TABLE "ledger_transfers" DROP CONSTRAINT "ledger_transfers_debit_fkey"`);
    await q.query(`ALTER TABLE "ledger_transfers" DROP CONSTRAINT "ledger_transfers_credit_fkey"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_debit_fkey"
       FOREIGN KEY ("debit_account_id", "currency") REFERENCES "ledger_accounts"("id", "currency")`,
    );
    await q.query(
      `ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_credit_fkey"
       FOREIGN KEY ("credit_account_id", "currency") REFERENCES "ledger_accounts"("id", "currency")`,
    );
    await q.query(`${FUNCTION_HEAD}${BEFORE}$$`);
  }
}
