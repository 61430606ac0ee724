import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '../../database/transaction.js';
import { SQL_TRANSFER_LEAF } from './canonical.js';
import type { CounterDrift } from './ledger.repository.js';
import type { Block } from './ledger.types.js';

export interface VerificationRun {
  mode: 'FULL' | 'INCREMENTAL';
  fromHeight: string;
  throughHeight: string;
  throughHash: string | null;
  ok: boolean;
  problems: number;
  transfersChecked: number;
  startedAt: Date;
  finishedAt: Date;
}

/** A page of a block's leaves: concatenated 32-byte transfer hashes in seq order. */
export interface LeafPage {
  count: number;
  firstSeq: string | null;
  lastSeq: string | null;
  leaves: Buffer;
}

/** A checkpoint row (or a block's created_at bounds) that does not match the block's transfers. */
export interface CheckpointDrift {
  /** The account's code; null for the block's own row. */
  account: string | null;
  field: string;
  stored: string;
  recomputed: string;
}

const TRANSFER_FROM = `ledger_transfers t
  JOIN ledger_accounts d ON d.id = t.debit_account_id
  JOIN ledger_accounts c ON c.id = t.credit_account_id`;

/**
 * The sealer's and the verifier's reads of whole blocks (issue 18): transfer hashes computed by
 * Postgres, and the blocks' balance checkpoints against their transfers.
 */
@Injectable()
export class LedgerSealsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private q(tx?: Tx) {
    return tx ?? this.dataSource.manager;
  }

  /**
   * A read of a whole block, on its own, in a transaction planned without parallel workers (issue
   * 18): the verifier already reads several blocks at once, a connection each, and on 2 cores the
   * workers Postgres added to each read only added a Gather Merge and a sort per worker (a verify of
   * 1,000,000 transfers took 3.16-3.43 s without them against 3.48-4.13 s with them, alternating on
   * one database, 2026-12-07 06:55 UTC). In a caller's transaction the read runs as it is.
   */
  private wholeBlockRead<T>(tx: Tx | undefined, read: (q: Tx) => Promise<T>): Promise<T> {
    if (tx) return read(tx);
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL max_parallel_workers_per_gather = 0');
      return read(manager);
    });
  }

  /**
   * One page of a block's transfer hashes, hashed by Postgres (`SQL_TRANSFER_LEAF`), after
   * `afterSeq` in seq order: the concatenated 32-byte leaves in one value, with the page's count and
   * first and last seq. A page of 50,000 transfers is one row of 1.6 MB.
   */
  async leavesInTxRangePage(
    fromTxId: string,
    toTxId: string,
    afterSeq: string,
    limit: number,
    tx?: Tx,
  ): Promise<LeafPage> {
    const rows: {
      count: number;
      first_seq: string | null;
      last_seq: string | null;
      leaves: Buffer | null;
    }[] = await this.wholeBlockRead(tx, (q) =>
      q.query(
        `SELECT count(*)::int AS count, min(seq)::text AS first_seq, max(seq)::text AS last_seq,
              string_agg(leaf, ''::bytea ORDER BY seq) AS leaves
       FROM (SELECT t.seq, ${SQL_TRANSFER_LEAF} AS leaf FROM ${TRANSFER_FROM}
             WHERE t.tx_id >= $1::xid8 AND t.tx_id < $2::xid8 AND t.seq > $3::bigint
             ORDER BY t.seq LIMIT $4) page`,
        [fromTxId, toTxId, afterSeq, limit],
      ),
    );
    const r = rows[0];
    return {
      count: r.count,
      firstSeq: r.first_seq,
      lastSeq: r.last_seq,
      leaves: r.leaves ?? Buffer.alloc(0),
    };
  }

  /**
   * The seq just before the first transfer of the range (`'0'` when it has none): where paging
   * through a block starts. Paging from `'0'` made Postgres walk the seq index from the ledger's
   * first transfer, filtering out every earlier block's (issue 18: the 20th block of 1,000,000
   * transfers read 950,000 rows for its first page). `min(seq + 0)` is read from the
   * (tx_id, seq) index over the range; a plain `min(seq)` is planned as that same walk.
   */
  async seqBeforeTxRange(fromTxId: string, toTxId: string, tx?: Tx): Promise<string> {
    const rows: { s: string }[] = await this.q(tx).query(
      `SELECT coalesce(min(seq + 0) - 1, 0)::text AS s FROM ledger_transfers
        WHERE tx_id >= $1::xid8 AND tx_id < $2::xid8`,
      [fromTxId, toTxId],
    );
    return rows[0].s;
  }

  /**
   * A block's balance checkpoints against its transfers (issue 18): each touched account's row must
   * be its previous checkpoint plus this block's sums, no other account may have a row, and the
   * block's created_at bounds must be its transfers'. Returns what differs. The block's transfers
   * are read once, summed by (debit, credit, status) with their time bounds, and the sides and
   * bounds come from those groups (issue 18: two scans for the sides and a third for the bounds
   * were 323 ms a block of 50,000 in a verify of 1,000,000; on 200,000 transfers one scan took
   * 99-184 ms against 263-451 ms, 2026-12-07 04:25 UTC).
   */
  async checkpointDrift(block: Block, tx?: Tx): Promise<CheckpointDrift[]> {
    const rows: CheckpointDrift[] = await this.wholeBlockRead(tx, (q) =>
      q.query(
        `WITH g AS (
         SELECT debit_account_id AS da, credit_account_id AS ca, status, sum(amount) AS total,
                min(created_at) AS lo, max(created_at) AS hi
           FROM ledger_transfers WHERE tx_id >= $2::xid8 AND tx_id < $3::xid8
          GROUP BY debit_account_id, credit_account_id, status
       ), d AS (
         SELECT account_id, sum(dp) AS dp, sum(cp) AS cp, sum(dq) AS dq, sum(cq) AS cq
         FROM (
           SELECT da AS account_id,
                  CASE WHEN status IN ('POSTED', 'POST') THEN total ELSE 0 END AS dp, 0 AS cp,
                  CASE status WHEN 'PENDING' THEN total WHEN 'POSTED' THEN 0 ELSE -total END AS dq, 0 AS cq
           FROM g
           UNION ALL
           SELECT ca, 0, CASE WHEN status IN ('POSTED', 'POST') THEN total ELSE 0 END,
                  0, CASE status WHEN 'PENDING' THEN total WHEN 'POSTED' THEN 0 ELSE -total END
           FROM g
         ) sides GROUP BY account_id
       ), k AS (
         SELECT * FROM ledger_account_checkpoints WHERE height = $1::bigint
       ), compared AS (
         SELECT coalesce(d.account_id, k.account_id) AS account_id,
                ARRAY[k.debits_posted, k.credits_posted, k.debits_pending, k.credits_pending] AS stored,
                CASE WHEN d.account_id IS NULL THEN NULL ELSE
                  ARRAY[coalesce(p.debits_posted, 0) + d.dp, coalesce(p.credits_posted, 0) + d.cp,
                        coalesce(p.debits_pending, 0) + d.dq, coalesce(p.credits_pending, 0) + d.cq] END AS recomputed
         FROM d FULL JOIN k ON k.account_id = d.account_id
         LEFT JOIN LATERAL (
           SELECT c.debits_posted, c.credits_posted, c.debits_pending, c.credits_pending
           FROM ledger_account_checkpoints c
           WHERE c.account_id = coalesce(d.account_id, k.account_id) AND c.height < $1::bigint
           ORDER BY c.height DESC LIMIT 1
         ) p ON true
       )
       SELECT a.code AS account, f.field,
              coalesce(c.stored[f.i]::text, 'missing') AS stored,
              coalesce(c.recomputed[f.i]::text, 'none') AS recomputed
       FROM compared c JOIN ledger_accounts a ON a.id = c.account_id,
            (VALUES (1, 'debitsPosted'), (2, 'creditsPosted'), (3, 'debitsPending'), (4, 'creditsPending')) f(i, field)
       WHERE c.stored[f.i] IS DISTINCT FROM c.recomputed[f.i]
       UNION ALL
       SELECT NULL, 'createdAtBounds', coalesce(k.min_created_at::text || '..' || k.through_created_at::text, 'missing'),
              coalesce(t.lo::text || '..' || greatest(p.through_created_at, t.hi)::text, 'none')
       FROM (SELECT min(lo) AS lo, max(hi) AS hi FROM g) t
       LEFT JOIN ledger_block_checkpoints k ON k.height = $1::bigint
       LEFT JOIN ledger_block_checkpoints p ON p.height = $1::bigint - 1
       WHERE k.height IS NULL OR k.min_created_at IS DISTINCT FROM t.lo OR k.max_created_at IS DISTINCT FROM t.hi
          OR k.through_created_at IS DISTINCT FROM greatest(p.through_created_at, t.hi)
       LIMIT 100`,
        [block.height, block.fromTxId, block.toTxId],
      ),
    );
    return rows;
  }

  /** INV-3: each account's stored counters against the sums recomputed from its transfers. */
  async counterDrift(tx?: Tx): Promise<CounterDrift[]> {
    const rows: {
      code: string;
      field: CounterDrift['field'];
      stored: string;
      recomputed: string;
    }[] = await this.q(tx).query(`
      WITH sides AS (
        SELECT debit_account_id AS account_id, 'debit' AS side, status, amount FROM ledger_transfers
        UNION ALL
        SELECT credit_account_id, 'credit', status, amount FROM ledger_transfers
      ), sums AS (
        SELECT account_id,
          coalesce(sum(amount) FILTER (WHERE side = 'debit' AND status IN ('POSTED', 'POST')), 0) AS dp,
          coalesce(sum(amount) FILTER (WHERE side = 'credit' AND status IN ('POSTED', 'POST')), 0) AS cp,
          coalesce(sum(CASE WHEN status = 'PENDING' THEN amount WHEN status IN ('POST', 'VOID') THEN -amount END)
                   FILTER (WHERE side = 'debit'), 0) AS dq,
          coalesce(sum(CASE WHEN status = 'PENDING' THEN amount WHEN status IN ('POST', 'VOID') THEN -amount END)
                   FILTER (WHERE side = 'credit'), 0) AS cq
        FROM sides GROUP BY account_id
      ), compared AS (
        SELECT a.code,
          ARRAY[a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending] AS stored,
          ARRAY[coalesce(s.dp, 0), coalesce(s.cp, 0), coalesce(s.dq, 0), coalesce(s.cq, 0)] AS recomputed
        FROM ledger_accounts a LEFT JOIN sums s ON s.account_id = a.id
      )
      SELECT code, (ARRAY['debitsPosted', 'creditsPosted', 'debitsPending', 'creditsPending'])[i] AS field,
             stored[i]::numeric(20,2)::text AS stored, recomputed[i]::numeric(20,2)::text AS recomputed
      FROM compared, generate_series(1, 4) AS i
      WHERE stored[i] <> recomputed[i]
      ORDER BY code, i`);
    return rows;
  }

  /**
   * INV-3 from the checkpoints: each account's stored counters against its checkpoint at block
   * `throughHeight` (0: none) plus its transfers after that block. Exact when the checkpoints up to
   * that block are verified (every block's rows equal the previous ones plus its transfers), with a
   * scan of the transfers after it only. A block sealed while a run is under way is in that tail.
   */
  async counterDriftFromCheckpoints(throughHeight: string, tx?: Tx): Promise<CounterDrift[]> {
    const rows: CounterDrift[] = await this.q(tx).query(
      `
      WITH last AS (
        SELECT $1::bigint AS height,
               coalesce((SELECT to_tx_id FROM ledger_blocks WHERE height = $1::bigint), '1'::xid8) AS tail_from
      ), tail AS (
        SELECT account_id, sum(dp) AS dp, sum(cp) AS cp, sum(dq) AS dq, sum(cq) AS cq
        FROM (
          SELECT debit_account_id AS account_id,
                 CASE WHEN status IN ('POSTED', 'POST') THEN amount ELSE 0 END AS dp, 0 AS cp,
                 CASE status WHEN 'PENDING' THEN amount WHEN 'POSTED' THEN 0 ELSE -amount END AS dq, 0 AS cq
          FROM ledger_transfers, last WHERE tx_id >= last.tail_from
          UNION ALL
          SELECT credit_account_id, 0, CASE WHEN status IN ('POSTED', 'POST') THEN amount ELSE 0 END,
                 0, CASE status WHEN 'PENDING' THEN amount WHEN 'POSTED' THEN 0 ELSE -amount END
          FROM ledger_transfers, last WHERE tx_id >= last.tail_from
        ) sides GROUP BY account_id
      ), compared AS (
        SELECT a.code,
          ARRAY[a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending] AS stored,
          ARRAY[coalesce(k.debits_posted, 0) + coalesce(t.dp, 0), coalesce(k.credits_posted, 0) + coalesce(t.cp, 0),
                coalesce(k.debits_pending, 0) + coalesce(t.dq, 0), coalesce(k.credits_pending, 0) + coalesce(t.cq, 0)] AS recomputed
        FROM ledger_accounts a CROSS JOIN last
        LEFT JOIN LATERAL (
          SELECT c.debits_posted, c.credits_posted, c.debits_pending, c.credits_pending
          FROM ledger_account_checkpoints c WHERE c.account_id = a.id AND c.height <= last.height
          ORDER BY c.height DESC LIMIT 1
        ) k ON true
        LEFT JOIN tail t ON t.account_id = a.id
      )
      SELECT code, (ARRAY['debitsPosted', 'creditsPosted', 'debitsPending', 'creditsPending'])[i] AS field,
             stored[i]::numeric(20,2)::text AS stored, recomputed[i]::numeric(20,2)::text AS recomputed
      FROM compared, generate_series(1, 4) AS i
      WHERE stored[i] <> recomputed[i]
      ORDER BY code, i`,
      [throughHeight],
    );
    return rows;
  }

  /** The last verification that found nothing wrong, if its last block is still the same block. */
  async lastCleanVerification(tx?: Tx): Promise<{ throughHeight: string } | null> {
    const rows: { through_height: string }[] = await this.q(tx).query(
      `SELECT v.through_height::text AS through_height FROM ledger_verifications v
       LEFT JOIN ledger_blocks b ON b.height = v.through_height
       WHERE v.ok AND (v.through_height = 0 OR b.hash = v.through_hash)
       ORDER BY v.through_height DESC, v.finished_at DESC LIMIT 1`,
    );
    return rows[0] ? { throughHeight: rows[0].through_height } : null;
  }

  async recordVerification(run: VerificationRun, tx?: Tx): Promise<void> {
    await this.q(tx).query(
      `INSERT INTO ledger_verifications (id, mode, from_height, through_height, through_hash, ok,
         problems, transfers_checked, started_at, finished_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        run.mode,
        run.fromHeight,
        run.throughHeight,
        run.throughHash,
        run.ok,
        run.problems,
        run.transfersChecked,
        run.startedAt,
        run.finishedAt,
      ],
    );
  }
}
