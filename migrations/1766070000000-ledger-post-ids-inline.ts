import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: `ledger_post_holds` made each POST id with `ledger_transfer_id('post:' || id)`, a
 * PL/pgSQL call of 8-13 us (the key built as text, matched by a regular expression, the anchor
 * parsed back from it): 1.5 s more of Postgres's CPU in a settle of 100,000 pledges than the
 * service had spent on the same ids (2026-12-07 02:10 UTC, A/B on a copy of the settle bench's
 * database). The same bytes are now made inline from the hold's id as a UUID, the hash taken once a
 * row (`OFFSET 0` keeps the subquery from being flattened into one hash per byte set): about 4 us.
 * The anchor test is the one `transferIdFor` makes of the key's tail (`uuid`'s validate: version
 * 7, variant 10). Tests: test/ledger-transfer-id-sql.spec.ts (the function) and
 * test/settlement-batches-one-settled-notice-per-investor.e2e.spec.ts (the POST rows' ids are
 * `transferIdFor('post:' + hold)`, for version 7 and version 8 holds).
 */
const BODY = (postId: string, from: string) => `
      DECLARE
        found_holds integer;
        missing uuid;
      BEGIN
        WITH holds AS (
          SELECT h.id, h.kind, h.debit_account_id, h.credit_account_id, h.amount, h.currency, h.reference
            FROM unnest(p_pending) AS w(pending_id)
            JOIN ledger_transfers h ON h.id = w.pending_id
        ), inserted AS (
          INSERT INTO ledger_transfers
            (id, kind, status, debit_account_id, credit_account_id, amount, currency, pending_id, reference, created_at)
          SELECT ${postId}, holds.kind, 'POST', holds.debit_account_id, holds.credit_account_id,
                 holds.amount, holds.currency, holds.id, holds.reference, p_at
            FROM ${from}
          ON CONFLICT (id) DO NOTHING
          RETURNING 1
        ) -- a data-modifying WITH runs to its end whether read or not
        SELECT count(*) INTO found_holds FROM holds;
        IF found_holds <> coalesce(cardinality(p_pending), 0) THEN
          SELECT w.pending_id INTO missing FROM unnest(p_pending) AS w(pending_id)
           WHERE NOT EXISTS (SELECT 1 FROM ledger_transfers h WHERE h.id = w.pending_id) LIMIT 1;
          RAISE EXCEPTION 'hold % does not exist', missing
            USING ERRCODE = 'no_data_found', CONSTRAINT = 'ledger_transfers_hold_found',
                  DETAIL = missing::text;
        END IF;
        RETURN found_holds;
      END
      `;

/** `ledger_transfer_id('post:' || holds.id)`, inline (see above), as `post.id`. */
const POSTS_INLINE = `holds CROSS JOIN LATERAL (
              SELECT encode(set_byte(set_byte(x.b, 6, (get_byte(x.b, 6) & 15) | x.v), 8, (get_byte(x.b, 8) & 63) | 128), 'hex')::uuid AS id
                FROM (SELECT CASE WHEN x7 THEN overlay(substring(hh FROM 1 FOR 16) PLACING substring(u FROM 1 FOR 6) FROM 1 FOR 6)
                                  ELSE substring(hh FROM 1 FOR 16) END AS b,
                             CASE WHEN x7 THEN 112 ELSE 128 END AS v
                        FROM (SELECT sha256(convert_to('zc-ledger:post:' || holds.id::text, 'UTF8')) AS hh, u,
                                     get_byte(u, 6) >> 4 = 7 AND get_byte(u, 8) >> 6 = 2 AS x7
                                FROM (SELECT uuid_send(holds.id) AS u) s OFFSET 0) y) x) post`;

const HEAD = `CREATE OR REPLACE FUNCTION "ledger_post_holds"(p_pending uuid[], p_at timestamptz) RETURNS integer
      LANGUAGE plpgsql AS $$`;

export class LedgerPostIdsInline1766070000000 implements MigrationInterface {
  name = 'LedgerPostIdsInline1766070000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`${HEAD}${BODY('post.id', POSTS_INLINE)}$$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`${HEAD}${BODY(`ledger_transfer_id('post:' || holds.id)`, 'holds')}$$`);
  }
}
