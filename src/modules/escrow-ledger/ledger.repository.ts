import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { preparedQuery, preparedRead, type Tx } from '../../database/transaction.js';
import { translateWriteError } from './ledger.errors.js';
import {
  ACCOUNT_COLUMNS,
  type AccountRow,
  toAccount,
  toTransfer,
  TRANSFER_COLUMNS,
  TRANSFER_FROM,
  type TransferRow,
} from './ledger-rows.js';
import { BLOCK_COLUMNS, type BlockRow, toBlock } from './ledger-views.js';
import {
  type AccountKind,
  type Block,
  KINDS_SUMMED_BY_REFERENCE,
  type KindSummedByReference,
  type LedgerAccount,
  type NewTransfer,
  type Transfer,
} from './ledger.types.js';

export type { NewTransfer } from './ledger.types.js';

export interface CounterDrift {
  code: string;
  field: 'debitsPosted' | 'creditsPosted' | 'debitsPending' | 'creditsPending';
  stored: string;
  recomputed: string;
}

/**
 * Posted amounts by reference ($1), for the kinds in $2 among those summed by reference, created
 * before $3 when it is set. Exported for the plan test (test/ledger/ledger-reference-index.spec.ts).
 */
export const SUM_POSTED_BY_REFERENCE = `SELECT reference, sum(amount)::numeric(20,2)::text AS total
  FROM ledger_transfers
  WHERE reference = ANY($1::text[])
    AND kind IN (${KINDS_SUMMED_BY_REFERENCE.map((k) => `'${k}'`).join(', ')})
    AND kind = ANY($2::text[]) AND status IN ('POSTED', 'POST')
    AND ($3::timestamptz IS NULL OR created_at < $3)
  GROUP BY reference`;

const ENSURE_ACCOUNT = `WITH inserted AS (
     INSERT INTO ledger_accounts (id, code, kind, currency, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (code) DO NOTHING
     RETURNING ${ACCOUNT_COLUMNS})
   SELECT * FROM inserted
   UNION ALL
   SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts
    WHERE code = $2 AND NOT EXISTS (SELECT 1 FROM inserted)`;

/**
 * All SQL of the escrow ledger. Writes are single statements; the counters move in the database's
 * transfer trigger, and constraint violations come back as domain errors.
 */
@Injectable()
export class LedgerRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private q(tx?: Tx) {
    return tx ?? this.dataSource.manager;
  }

  /**
   * Opens the account unless it exists, and returns it: one round trip (the inserted row, or the
   * one already there). An account a concurrent transaction was inserting is not in this
   * statement's snapshot once that transaction commits, so then it is read again.
   */
  async ensureAccount(
    account: { id: string; code: string; kind: AccountKind; currency: string; createdAt: Date },
    tx?: Tx,
  ): Promise<LedgerAccount> {
    // Prepared (planned once per connection): a pledge on a campaign this process has not seen
    // opens its escrow account here, outside the pledge's transaction (issue 18: its planning was
    // 0.17 ms of Postgres CPU for 1,018 of 1,441 pledges across 1,000 campaigns).
    const values = [account.id, account.code, account.kind, account.currency, account.createdAt];
    const rows = tx
      ? await preparedQuery<AccountRow>(tx, 'ledger-account-ensure', ENSURE_ACCOUNT, values)
      : await preparedRead<AccountRow>(
          this.dataSource,
          'ledger-account-ensure',
          ENSURE_ACCOUNT,
          values,
        );
    const found = rows[0] ? toAccount(rows[0]) : await this.findAccountByCode(account.code, tx);
    if (!found) throw new Error(`account ${account.code} vanished after insert`);
    return found;
  }

  /** An account's id, kind and currency by its code, as a prepared read outside a transaction. */
  async findAccountRef(
    code: string,
  ): Promise<{ id: string; kind: AccountKind; currency: string } | null> {
    const rows = await preparedRead<{ id: string; kind: AccountKind; currency: string }>(
      this.dataSource,
      'ledger-account-ref',
      'SELECT id, kind, currency FROM ledger_accounts WHERE code = $1',
      [code],
    );
    return rows[0] ?? null;
  }

  async findAccountByCode(code: string, tx?: Tx): Promise<LedgerAccount | null> {
    const rows: AccountRow[] = await this.q(tx).query(
      `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts WHERE code = $1`,
      [code],
    );
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async listAccounts(tx?: Tx): Promise<LedgerAccount[]> {
    const rows: AccountRow[] = await this.q(tx).query(
      `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts ORDER BY code`,
    );
    return rows.map(toAccount);
  }

  /**
   * Posted amounts (POSTED and POST rows) by reference, for kinds summed by reference. The kinds'
   * list is in the statement as literals, so the planner can use the partial index that holds only
   * those kinds' rows (`SUM_POSTED_BY_REFERENCE`); `kinds` narrows it further.
   */
  async sumPostedByReference(
    references: readonly string[],
    kinds: readonly KindSummedByReference[],
    tx?: Tx,
    before?: Date,
  ): Promise<Map<string, string>> {
    if (references.length === 0) return new Map();
    const rows: { reference: string; total: string }[] = await this.q(tx).query(
      SUM_POSTED_BY_REFERENCE,
      [references, kinds, before ?? null],
    );
    return new Map(rows.map((r) => [r.reference, r.total]));
  }

  /**
   * Inserts transfers in one statement and returns the rows it inserted; rows whose id exists
   * already are skipped (idempotent replays) and not returned. Counters move in the trigger of
   * each inserted row, inside this same statement.
   */
  async insertTransfers(transfers: readonly NewTransfer[], tx?: Tx): Promise<Transfer[]> {
    if (transfers.length === 0) return [];
    const col = <K extends keyof NewTransfer>(k: K) => transfers.map((t) => t[k]);
    try {
      const rows: TransferRow[] = await this.q(tx).query(
        `WITH inserted AS (
           INSERT INTO ledger_transfers
             (id, kind, status, debit_account_id, credit_account_id, amount, currency, pending_id, reference, created_at)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::numeric[],
                                $7::char(3)[], $8::uuid[], $9::text[], $10::timestamptz[])
           ON CONFLICT (id) DO NOTHING
           RETURNING *
         )
         SELECT ${TRANSFER_COLUMNS} FROM inserted t
           JOIN ledger_accounts d ON d.id = t.debit_account_id
           JOIN ledger_accounts c ON c.id = t.credit_account_id`,
        [
          col('id'),
          col('kind'),
          col('status'),
          col('debitAccountId'),
          col('creditAccountId'),
          col('amount'),
          col('currency'),
          col('pendingId'),
          col('reference'),
          col('createdAt'),
        ],
      );
      return rows.map(toTransfer);
    } catch (error) {
      throw translateWriteError(error, transfers);
    }
  }

  /**
   * Posts holds in one statement through the ledger's `ledger_post_holds` (the POST rows built in
   * SQL from their holds, ids from `post:<hold id>`, nothing returned): how many of the holds exist.
   * A replay inserts nothing; a hold that does not exist is TransferNotFoundError, nothing written.
   */
  async postHolds(pendingIds: readonly string[], createdAt: Date, tx: Tx): Promise<number> {
    try {
      const rows: { found: number }[] = await tx.query(
        `SELECT ledger_post_holds($1::uuid[], $2::timestamptz) AS found`,
        [pendingIds, createdAt],
      );
      return rows[0].found;
    } catch (error) {
      throw translateWriteError(error, []);
    }
  }

  async findTransfers(ids: readonly string[], tx?: Tx): Promise<Transfer[]> {
    if (ids.length === 0) return [];
    const rows: TransferRow[] = await this.q(tx).query(
      `SELECT ${TRANSFER_COLUMNS} FROM ${TRANSFER_FROM} WHERE t.id = ANY($1::uuid[]) ORDER BY t.seq`,
      [ids],
    );
    return rows.map(toTransfer);
  }

  /** The POST or VOID row that resolved a hold, if any. */
  async findResolution(pendingId: string, tx?: Tx): Promise<Transfer | null> {
    const rows: TransferRow[] = await this.q(tx).query(
      `SELECT ${TRANSFER_COLUMNS} FROM ${TRANSFER_FROM} WHERE t.pending_id = $1`,
      [pendingId],
    );
    return rows[0] ? toTransfer(rows[0]) : null;
  }

  /** Transfers with from <= tx_id < to, in seq order (one sealed block's content). */
  async transfersInTxRange(fromTxId: string, toTxId: string, tx?: Tx): Promise<Transfer[]> {
    const rows: TransferRow[] = await this.q(tx).query(
      `SELECT ${TRANSFER_COLUMNS} FROM ${TRANSFER_FROM}
       WHERE t.tx_id >= $1::xid8 AND t.tx_id < $2::xid8 ORDER BY t.seq`,
      [fromTxId, toTxId],
    );
    return rows.map(toTransfer);
  }

  /**
   * The commit-safe watermark: every transaction with an id below it has finished, so the set of
   * transfers below it can no longer change.
   */
  async commitHorizon(tx: Tx): Promise<string> {
    const rows: { horizon: string }[] = await tx.query(
      `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon`,
    );
    return rows[0].horizon;
  }

  /** The tx id at which a block of at most `limit` transfers starting at `fromTxId` should end. */
  async blockEnd(fromTxId: string, horizon: string, limit: number, tx: Tx): Promise<string | null> {
    const rows: { tx_id: string }[] = await tx.query(
      `SELECT t.tx_id::text AS tx_id FROM ledger_transfers t
       WHERE t.tx_id >= $1::xid8 AND t.tx_id < $2::xid8 ORDER BY t.tx_id, t.seq OFFSET $3 LIMIT 1`,
      [fromTxId, horizon, limit - 1],
    );
    if (rows[0]) return (BigInt(rows[0].tx_id) + 1n).toString();
    const any: { n: string }[] = await tx.query(
      `SELECT count(*)::text AS n FROM ledger_transfers WHERE tx_id >= $1::xid8 AND tx_id < $2::xid8`,
      [fromTxId, horizon],
    );
    return any[0].n === '0' ? null : horizon;
  }

  /** Serialises sealers across instances for the length of the caller's transaction. */
  async tryLockSealer(tx: Tx): Promise<boolean> {
    const rows: { locked: boolean }[] = await tx.query(
      `SELECT pg_try_advisory_xact_lock(72616162) AS locked`,
    );
    return rows[0].locked;
  }

  async lastBlock(tx?: Tx): Promise<Block | null> {
    const rows: BlockRow[] = await this.q(tx).query(
      `SELECT ${BLOCK_COLUMNS} FROM ledger_blocks b ORDER BY b.height DESC LIMIT 1`,
    );
    return rows[0] ? toBlock(rows[0]) : null;
  }

  async listBlocks(afterHeight: string, limit: number, tx?: Tx): Promise<Block[]> {
    const rows: BlockRow[] = await this.q(tx).query(
      `SELECT ${BLOCK_COLUMNS} FROM ledger_blocks b WHERE b.height > $1 ORDER BY b.height LIMIT $2`,
      [afterHeight, limit],
    );
    return rows.map(toBlock);
  }

  /** The block's balance checkpoints (migration 1765800000000), in the sealing transaction. */
  async checkpointBlock(height: string, tx: Tx): Promise<void> {
    await tx.query(`SELECT ledger_checkpoint_block($1::bigint)`, [height]);
  }

  async insertBlock(block: Block, tx: Tx): Promise<void> {
    await tx.query(
      `INSERT INTO ledger_blocks (height, from_tx_id, to_tx_id, transfer_count, first_seq, last_seq,
         merkle_root, prev_hash, hash, encoding, sealed_at)
       VALUES ($1, $2::xid8, $3::xid8, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        block.height,
        block.fromTxId,
        block.toTxId,
        block.transferCount,
        block.firstSeq,
        block.lastSeq,
        block.merkleRoot,
        block.prevHash,
        block.hash,
        block.encoding,
        block.sealedAt,
      ],
    );
  }

  /** Transfers not yet in any block and created before `before` (INV-11). */
  async unsealedBefore(
    before: Date,
    sealedUpTo: string,
    tx?: Tx,
  ): Promise<{ count: string; oldestSeq: string | null }> {
    const rows: { count: string; oldest: string | null }[] = await this.q(tx).query(
      `SELECT count(*)::text AS count, min(seq)::text AS oldest FROM ledger_transfers
       WHERE tx_id >= $1::xid8 AND created_at < $2`,
      [sealedUpTo, before],
    );
    return { count: rows[0].count, oldestSeq: rows[0].oldest };
  }

  /** INV-4 over the stored counters: debits equal credits, posted and pending separately. */
  async totals(tx?: Tx): Promise<{
    debitsPosted: string;
    creditsPosted: string;
    debitsPending: string;
    creditsPending: string;
    accounts: number;
  }> {
    const rows: { dp: string; cp: string; dq: string; cq: string; n: number }[] = await this.q(
      tx,
    ).query(
      `SELECT coalesce(sum(debits_posted), 0)::numeric(22,2)::text AS dp, coalesce(sum(credits_posted), 0)::numeric(22,2)::text AS cp,
              coalesce(sum(debits_pending), 0)::numeric(22,2)::text AS dq, coalesce(sum(credits_pending), 0)::numeric(22,2)::text AS cq,
              count(*)::int AS n
       FROM ledger_accounts`,
    );
    const r = rows[0];
    return {
      debitsPosted: r.dp,
      creditsPosted: r.cp,
      debitsPending: r.dq,
      creditsPending: r.cq,
      accounts: r.n,
    };
  }

  /** How many transfers belong to transactions from `txId` on (the tail after a sealed block). */
  async countTransfersFrom(txId: string, tx?: Tx): Promise<number> {
    const rows: { n: string }[] = await this.q(tx).query(
      `SELECT count(*)::text AS n FROM ledger_transfers WHERE tx_id >= $1::xid8`,
      [txId],
    );
    return Number(rows[0].n);
  }
}
