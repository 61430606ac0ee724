import { Injectable } from '@nestjs/common';
import { type QueryRunner } from 'typeorm';
import { ReadReplica } from '../../database/read-replica.js';
import {
  type AccountKind,
  type AccountRow as LedgerAccountRow,
  BLOCK_COLUMNS,
  type Block,
  type BlockRow,
  toBlock,
  type TransferKind,
  type TransferRow as LedgerTransferRow,
  type TransferStatus,
} from '../escrow-ledger/index.js';

/** One ledger transfer as the exports show it: canonical fields plus the block that sealed it. */
export interface JournalTransfer {
  id: string;
  seq: string;
  kind: TransferKind;
  status: TransferStatus;
  debitAccountCode: string;
  creditAccountCode: string;
  amount: string;
  currency: string;
  pendingId: string | null;
  reference: string | null;
  createdAt: Date;
  /** Height of the sealed block holding this transfer; null while it is not sealed yet. */
  blockHeight: string | null;
}

export interface JournalAccount {
  code: string;
  kind: AccountKind;
  currency: string;
  debitsPosted: string;
  creditsPosted: string;
  debitsPending: string;
  creditsPending: string;
}

export interface LedgerCounts {
  transfers: number;
  blocks: number;
  accounts: number;
}

/** What one consistent read of the whole ledger yields, batch by batch (ledger:export). */
export type LedgerSnapshotBatch =
  | { section: 'counts'; counts: LedgerCounts }
  | { section: 'transfers'; rows: JournalTransfer[] }
  | { section: 'blocks'; rows: Block[] }
  | { section: 'accounts'; rows: JournalAccount[] };

export interface JournalRange {
  from?: Date;
  to?: Date;
}

/** The ledger's own rows (ledger-rows.ts), as the journal selects them. */
type TransferRow = Omit<LedgerTransferRow, 'tx_id' | 'debit_account_id' | 'credit_account_id'> & {
  block_height: string | null;
};

type AccountRow = Omit<LedgerAccountRow, 'id' | 'created_at'>;

/**
 * The sealed block of each transfer without a range join per row: the blocks' [fromTxId, toTxId)
 * ranges are contiguous and ordered by height, so one array of their upper bounds and a binary
 * search (`width_bucket`) finds the block; the lower bound is checked too, so a gap between blocks
 * never borrows a neighbour's height. Transfers at or past the last block's end are unsealed (NULL).
 */
const BLOCK_INDEX = `block_index AS (
  SELECT coalesce(array_agg(b.to_tx_id::text::bigint ORDER BY b.height), '{}') AS tos,
         coalesce(array_agg(b.from_tx_id::text::bigint ORDER BY b.height), '{}') AS froms,
         coalesce(array_agg(b.height ORDER BY b.height), '{}') AS heights
  FROM ledger_blocks_view b)`;
const BUCKET = `(width_bucket(t.tx_id::text::bigint, bi.tos) + 1)`;
const BLOCK_HEIGHT = `CASE WHEN t.tx_id::text::bigint >= bi.froms[${BUCKET}]
  THEN bi.heights[${BUCKET}]::text END`;
const TRANSFER_SELECT = `t.id, t.seq::text AS seq, t.kind, t.status, d.code AS debit_code, c.code AS credit_code,
  t.amount::text AS amount, t.currency, t.pending_id, t.reference, t.created_at, ${BLOCK_HEIGHT} AS block_height
  FROM ledger_transfers_view t
  JOIN ledger_accounts_view d ON d.id = t.debit_account_id
  JOIN ledger_accounts_view c ON c.id = t.credit_account_id
  CROSS JOIN block_index bi`;

const toTransfer = (r: TransferRow): JournalTransfer => ({
  id: r.id,
  seq: r.seq,
  kind: r.kind,
  status: r.status,
  debitAccountCode: r.debit_code,
  creditAccountCode: r.credit_code,
  amount: r.amount,
  currency: r.currency,
  pendingId: r.pending_id,
  reference: r.reference,
  createdAt: r.created_at,
  blockHeight: r.block_height,
});

const toAccount = (r: AccountRow): JournalAccount => ({
  code: r.code,
  kind: r.kind,
  currency: r.currency,
  debitsPosted: r.debits_posted,
  creditsPosted: r.credits_posted,
  debitsPending: r.debits_pending,
  creditsPending: r.credits_pending,
});

/**
 * The finance exports' reads. Each export is one REPEATABLE READ, READ ONLY transaction on one
 * dedicated pool connection, read through server-side cursors in batches: memory stays flat however
 * large the ledger, and every row comes from the same snapshot. The caller pulls batches (an async
 * generator), so a slow consumer slows the FETCHes down; stopping early (`return()`, which a
 * destroyed stream triggers) rolls back and gives the connection back to the pool.
 */
@Injectable()
export class JournalRepository {
  constructor(private readonly reads: ReadReplica) {}

  /** Transfers with from <= createdAt < to, in seq order. */
  async *journal(range: JournalRange, batchSize: number): AsyncGenerator<JournalTransfer[]> {
    yield* this.inSnapshot(async function* (read) {
      const rows = read<TransferRow>(
        `WITH ${BLOCK_INDEX} SELECT ${TRANSFER_SELECT}
         WHERE ($1::timestamptz IS NULL OR t.created_at >= $1)
           AND ($2::timestamptz IS NULL OR t.created_at < $2)
         ORDER BY t.seq`,
        [range.from ?? null, range.to ?? null],
        batchSize,
      );
      for await (const batch of rows) yield batch.map(toTransfer);
    });
  }

  /**
   * The whole ledger in one snapshot: counts, then transfers grouped by block (ascending height,
   * seq order inside a block, unsealed ones last in seq order), then blocks, then accounts.
   */
  async *ledgerSnapshot(batchSize: number): AsyncGenerator<LedgerSnapshotBatch> {
    yield* this.inSnapshot(async function* (read, one) {
      const counts = await one<{ transfers: string; blocks: string; accounts: string }>(
        `SELECT (SELECT count(*) FROM ledger_transfers_view)::text AS transfers,
                (SELECT count(*) FROM ledger_blocks_view)::text AS blocks,
                (SELECT count(*) FROM ledger_accounts_view)::text AS accounts`,
      );
      yield {
        section: 'counts',
        counts: {
          transfers: Number(counts.transfers),
          blocks: Number(counts.blocks),
          accounts: Number(counts.accounts),
        },
      };
      const transfers = read<TransferRow>(
        `WITH ${BLOCK_INDEX}, journal AS (SELECT ${TRANSFER_SELECT})
         SELECT * FROM journal ORDER BY block_height::bigint NULLS LAST, seq::bigint`,
        [],
        batchSize,
      );
      for await (const rows of transfers)
        yield { section: 'transfers', rows: rows.map(toTransfer) };
      const blocks = read<BlockRow>(
        `SELECT ${BLOCK_COLUMNS} FROM ledger_blocks_view b ORDER BY b.height`,
        [],
        batchSize,
      );
      for await (const rows of blocks) yield { section: 'blocks', rows: rows.map(toBlock) };
      const accounts = read<AccountRow>(
        `SELECT code, kind, currency, debits_posted::text AS debits_posted,
           credits_posted::text AS credits_posted, debits_pending::text AS debits_pending,
           credits_pending::text AS credits_pending
         FROM ledger_accounts_view ORDER BY code`,
        [],
        batchSize,
      );
      for await (const rows of accounts) yield { section: 'accounts', rows: rows.map(toAccount) };
    });
  }

  /**
   * Runs `body` inside a REPEATABLE READ READ ONLY transaction on its own connection. `read` opens
   * a server-side cursor and FETCHes `batchSize` rows at a time; `one` runs a single-row query.
   */
  private async *inSnapshot<T>(
    body: (
      read: <R>(sql: string, params: unknown[], batchSize: number) => AsyncGenerator<R[]>,
      one: <R>(sql: string) => Promise<R>,
    ) => AsyncGenerator<T>,
  ): AsyncGenerator<T> {
    const runner: QueryRunner = await this.reads.readRunner(); // connected
    let cursors = 0;
    let open = false;
    try {
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      open = true;
      const read = async function* <R>(
        sql: string,
        params: unknown[],
        batchSize: number,
      ): AsyncGenerator<R[]> {
        const name = `zc_export_${++cursors}`;
        await runner.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, params);
        for (;;) {
          const rows = (await runner.query(`FETCH FORWARD ${batchSize} FROM ${name}`)) as R[];
          if (rows.length === 0) break;
          yield rows;
          if (rows.length < batchSize) break;
        }
        await runner.query(`CLOSE ${name}`);
      };
      const one = async <R>(sql: string): Promise<R> => {
        const rows = (await runner.query(sql)) as R[];
        return rows[0];
      };
      yield* body(read, one);
      await runner.query('COMMIT');
      open = false;
    } finally {
      // Reached too when the consumer stops early (client gone): end the transaction before the
      // connection goes back to the pool. A broken connection fails the ROLLBACK; release anyway.
      if (open) await runner.query('ROLLBACK').catch(() => undefined);
      await runner.release();
    }
  }
}
