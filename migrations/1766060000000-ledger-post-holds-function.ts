import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: settlement posts a batch of holds in the same statement that settles their pledges, so
 * no hold id and no post id travels between the service and Postgres (settling 100,000 pledges
 * spent 1.9 s of the service's CPU on the 2,000-row answers, the ids and the sums, on a machine of
 * two cores that Postgres needs; 2026-12-07).
 *
 * `ledger_transfer_id(key)` is `transferIdFor(key)` of ledger.service.ts, byte for byte (checked
 * by test/ledger-post-holds-function.e2e.spec.ts): the SHA-256 of `zc-ledger:<key>` as a version 8
 * UUID, or, where the key ends with a version 7 UUID, that UUID's 48-bit time then the hash as a
 * version 7 UUID. PL/pgSQL so the hash is taken once a call (an SQL function would be inlined with
 * the hash repeated in each byte it sets: 11 us a call against about 1.5).
 *
 * `ledger_post_holds(ids, at)` is `LedgerService.postHolds`: a POST row for each hold (ids from
 * `post:<hold id>`, so a replay inserts nothing: ON CONFLICT on the id), the counters moved by the
 * statement trigger as for any transfer (INV-3, INV-6), and a hold that does not exist refused
 * (P0002, `ledger_transfers_hold_found`, the id in DETAIL) with nothing written.
 */
export class LedgerPostHoldsFunction1766060000000 implements MigrationInterface {
  name = 'LedgerPostHoldsFunction1766060000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION "ledger_transfer_id"(p_key text) RETURNS uuid
      LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
      DECLARE
        tail text := right(p_key, 36);
        b bytea := substring(sha256(convert_to('zc-ledger:' || p_key, 'UTF8')) FROM 1 FOR 16);
        v integer := 128;
      BEGIN
        IF tail ~* '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' THEN
          b := overlay(b PLACING substring(uuid_send(tail::uuid) FROM 1 FOR 6) FROM 1 FOR 6);
          v := 112;
        END IF;
        RETURN encode(set_byte(set_byte(b, 6, (get_byte(b, 6) & 15) | v), 8, (get_byte(b, 8) & 63) | 128), 'hex')::uuid;
      END
      $$`);
    await q.query(`
      CREATE FUNCTION "ledger_post_holds"(p_pending uuid[], p_at timestamptz) RETURNS integer
      LANGUAGE plpgsql AS $$
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
          SELECT ledger_transfer_id('post:' || id), kind, 'POST', debit_account_id, credit_account_id,
                 amount, currency, id, reference, p_at
            FROM holds
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
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION "ledger_post_holds"(uuid[], timestamptz)`);
    await q.query(`DROP FUNCTION "ledger_transfer_id"(text)`);
  }
}
