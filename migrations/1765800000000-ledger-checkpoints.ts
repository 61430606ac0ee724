import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account balance checkpoints per sealed block (issue 18): finance reads as of a past moment (the
 * trial balance `asOf`, a statement's opening balance) start from the nearest checkpoint and add
 * only the transfers after it, so they cost the same at a million transfers as at ten million.
 *
 *   ledger_block_checkpoints   one row per block: the earliest and latest created_at of its
 *                              transfers and `through_created_at`, the latest created_at of any
 *                              transfer in this block or an earlier one (non-decreasing by height)
 *   ledger_account_checkpoints for each account a block touched, its four counters summed over every
 *                              transfer in this block and all earlier ones (cumulative); an account
 *                              untouched by a block keeps its latest earlier row
 *
 * Both are written only by `ledger_checkpoint_block(height)`, in the sealer's transaction right after
 * the block row, and are append-only like the blocks; verify recomputes them from the transfers
 * (INV-3), so a checkpoint is trusted no more than a block is. Existing blocks are checkpointed here.
 */
export class LedgerCheckpoints1765800000000 implements MigrationInterface {
  name = 'LedgerCheckpoints1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "ledger_block_checkpoints" (
        "height" bigint NOT NULL,
        "min_created_at" timestamptz,
        "max_created_at" timestamptz,
        "through_created_at" timestamptz,
        "accounts_touched" integer NOT NULL,
        CONSTRAINT "ledger_block_checkpoints_pkey" PRIMARY KEY ("height"),
        CONSTRAINT "ledger_block_checkpoints_block_fkey" FOREIGN KEY ("height") REFERENCES "ledger_blocks"("height")
      )`);
    await q.query(`
      CREATE TABLE "ledger_account_checkpoints" (
        "account_id" uuid NOT NULL,
        "height" bigint NOT NULL,
        "debits_posted" numeric(20,2) NOT NULL,
        "credits_posted" numeric(20,2) NOT NULL,
        "debits_pending" numeric(20,2) NOT NULL,
        "credits_pending" numeric(20,2) NOT NULL,
        CONSTRAINT "ledger_account_checkpoints_pkey" PRIMARY KEY ("account_id", "height"),
        CONSTRAINT "ledger_account_checkpoints_account_fkey" FOREIGN KEY ("account_id") REFERENCES "ledger_accounts"("id"),
        CONSTRAINT "ledger_account_checkpoints_block_fkey" FOREIGN KEY ("height") REFERENCES "ledger_block_checkpoints"("height")
      )`);
    await q.query(
      `CREATE INDEX "ledger_account_checkpoints_height_idx" ON "ledger_account_checkpoints" ("height")`,
    );
    for (const table of ['ledger_block_checkpoints', 'ledger_account_checkpoints']) {
      await q.query(`
        CREATE TRIGGER "${table}_append_only" BEFORE UPDATE OR DELETE ON "${table}"
        FOR EACH ROW EXECUTE FUNCTION "reject_modification"()`);
      await q.query(`
        CREATE TRIGGER "${table}_no_truncate" BEFORE TRUNCATE ON "${table}"
        FOR EACH STATEMENT EXECUTE FUNCTION "reject_modification"()`);
    }

    // The counters' arithmetic is the transfer trigger's (ledger_apply_transfers): posted sides count
    // POSTED and POST; pending sides add PENDING and take back POST and VOID.
    await q.query(`
      CREATE FUNCTION "ledger_checkpoint_block"(p_height bigint) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        b record;
        prev_through timestamptz;
      BEGIN
        SELECT from_tx_id, to_tx_id INTO b FROM ledger_blocks WHERE height = p_height;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'no sealed block %', p_height USING ERRCODE = 'foreign_key_violation';
        END IF;
        SELECT through_created_at INTO prev_through
        FROM ledger_block_checkpoints WHERE height = p_height - 1;

        INSERT INTO ledger_block_checkpoints
          (height, min_created_at, max_created_at, through_created_at, accounts_touched)
        SELECT p_height, min(created_at), max(created_at), greatest(prev_through, max(created_at)),
               (SELECT count(*) FROM (
                  SELECT debit_account_id FROM ledger_transfers WHERE tx_id >= b.from_tx_id AND tx_id < b.to_tx_id
                  UNION SELECT credit_account_id FROM ledger_transfers WHERE tx_id >= b.from_tx_id AND tx_id < b.to_tx_id) a)
        FROM ledger_transfers WHERE tx_id >= b.from_tx_id AND tx_id < b.to_tx_id;

        INSERT INTO ledger_account_checkpoints
          (account_id, height, debits_posted, credits_posted, debits_pending, credits_pending)
        SELECT d.account_id, p_height,
               coalesce(p.debits_posted, 0) + d.dp, coalesce(p.credits_posted, 0) + d.cp,
               coalesce(p.debits_pending, 0) + d.dq, coalesce(p.credits_pending, 0) + d.cq
        FROM (
          SELECT account_id, sum(dp) AS dp, sum(cp) AS cp, sum(dq) AS dq, sum(cq) AS cq
          FROM (
            SELECT debit_account_id AS account_id,
                   CASE WHEN status IN ('POSTED', 'POST') THEN amount ELSE 0 END AS dp, 0 AS cp,
                   CASE status WHEN 'PENDING' THEN amount WHEN 'POSTED' THEN 0 ELSE -amount END AS dq, 0 AS cq
            FROM ledger_transfers WHERE tx_id >= b.from_tx_id AND tx_id < b.to_tx_id
            UNION ALL
            SELECT credit_account_id, 0, CASE WHEN status IN ('POSTED', 'POST') THEN amount ELSE 0 END,
                   0, CASE status WHEN 'PENDING' THEN amount WHEN 'POSTED' THEN 0 ELSE -amount END
            FROM ledger_transfers WHERE tx_id >= b.from_tx_id AND tx_id < b.to_tx_id
          ) sides
          GROUP BY account_id
        ) d
        LEFT JOIN LATERAL (
          SELECT c.debits_posted, c.credits_posted, c.debits_pending, c.credits_pending
          FROM ledger_account_checkpoints c
          WHERE c.account_id = d.account_id AND c.height < p_height
          ORDER BY c.height DESC LIMIT 1
        ) p ON true;
      END
      $$`);

    await q.query(`
      DO $$
      DECLARE h bigint;
      BEGIN
        FOR h IN SELECT height FROM ledger_blocks ORDER BY height LOOP
          PERFORM ledger_checkpoint_block(h);
        END LOOP;
      END
      $$`);

    // Each verification run, so that the next one may start after the last block it checked.
    await q.query(`
      CREATE TABLE "ledger_verifications" (
        "id" uuid NOT NULL,
        "mode" text NOT NULL,
        "from_height" bigint NOT NULL,
        "through_height" bigint NOT NULL,
        "through_hash" character(64),
        "ok" boolean NOT NULL,
        "problems" integer NOT NULL,
        "transfers_checked" bigint NOT NULL,
        "started_at" timestamptz NOT NULL,
        "finished_at" timestamptz NOT NULL,
        CONSTRAINT "ledger_verifications_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "ledger_verifications_mode_check" CHECK ("mode" IN ('FULL', 'INCREMENTAL')),
        CONSTRAINT "ledger_verifications_range_check" CHECK ("from_height" >= 0 AND "through_height" >= 0)
      )`);
    await q.query(
      `CREATE INDEX "ledger_verifications_ok_idx" ON "ledger_verifications" ("through_height" DESC) WHERE "ok"`,
    );
    await q.query(`
      CREATE TRIGGER "ledger_verifications_append_only" BEFORE UPDATE OR DELETE ON "ledger_verifications"
      FOR EACH ROW EXECUTE FUNCTION "reject_modification"()`);
    await q.query(`
      CREATE TRIGGER "ledger_verifications_no_truncate" BEFORE TRUNCATE ON "ledger_verifications"
      FOR EACH STATEMENT EXECUTE FUNCTION "reject_modification"()`);

    // Finance reads them through views, like every other ledger table (DESIGN §2).
    await q.query(`
      CREATE VIEW "ledger_block_checkpoints_view" AS
      SELECT height, min_created_at, max_created_at, through_created_at, accounts_touched
      FROM "ledger_block_checkpoints"`);
    await q.query(`
      CREATE VIEW "ledger_account_checkpoints_view" AS
      SELECT account_id, height, debits_posted, credits_posted, debits_pending, credits_pending
      FROM "ledger_account_checkpoints"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW "ledger_account_checkpoints_view"`);
    await q.query(`DROP VIEW "ledger_block_checkpoints_view"`);
    await q.query(`DROP TABLE "ledger_verifications"`);
    await q.query(`DROP FUNCTION "ledger_checkpoint_block"(bigint)`);
    await q.query(`DROP TABLE "ledger_account_checkpoints"`);
    await q.query(`DROP TABLE "ledger_block_checkpoints"`);
  }
}
