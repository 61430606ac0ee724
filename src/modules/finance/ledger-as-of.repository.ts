import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ReadReplica } from '../../database/read-replica.js';
import type { AccountKind } from '../escrow-ledger/index.js';
import type { AccountCounters, Counters, StatementWindow } from './finance.repository.js';

/**
 * Which transfers a read "as of a moment" must still add to a checkpoint. The ledger keeps, per
 * sealed block, each touched account's counters summed over that block and every earlier one
 * (migration 1765800000000). For a moment `at`:
 *  - the base is the highest block whose transfers, and all earlier blocks' transfers, were all
 *    created by `at` (`through_created_at`, non-decreasing by height): its checkpoint is exact;
 *  - after it, only blocks up to the last one holding a transfer created by `at` can contribute
 *    (`mid`, bounded by tx id and, for one account's index, by seq);
 *  - and the unsealed tail (transfers after the last block), whatever their order.
 * So the work is the accounts plus a few blocks' transfers, however long the history.
 */
interface AsOfPlan {
  baseHeight: string;
  /** Mid range: tx_id in [fromTx, midToTx) (no mid range when midToTx is null), seq in [midLowSeq, midHighSeq]. */
  fromTx: string;
  midToTx: string | null;
  midLowSeq: string | null;
  midHighSeq: string | null;
  /** Tail: tx_id >= tailFromTx, seq >= tailLowSeq (no tail when tailLowSeq is null). */
  tailFromTx: string;
  tailLowSeq: string | null;
}

interface CounterRow {
  dp: string;
  cp: string;
  dq: string;
  cq: string;
}

/** Numeric sums of one side's rows, exactly as the ledger's insert trigger moves counters. */
const NUMERIC_SUMS = `
  coalesce(sum(amount) FILTER (WHERE is_debit AND status IN ('POSTED', 'POST')), 0) AS dp,
  coalesce(sum(amount) FILTER (WHERE NOT is_debit AND status IN ('POSTED', 'POST')), 0) AS cp,
  coalesce(sum(CASE status WHEN 'PENDING' THEN amount ELSE -amount END)
           FILTER (WHERE is_debit AND status <> 'POSTED'), 0) AS dq,
  coalesce(sum(CASE status WHEN 'PENDING' THEN amount ELSE -amount END)
           FILTER (WHERE NOT is_debit AND status <> 'POSTED'), 0) AS cq`;

/** The transfers a plan adds (parameters: $2 fromTx, $3 midToTx, $4 tailFromTx, $5 tailLowSeq). */
const PLAN_RANGE = `((t.tx_id >= $2::xid8 AND t.tx_id < $3::xid8) OR ($5::bigint IS NOT NULL AND t.tx_id >= $4::xid8))`;

@Injectable()
export class LedgerAsOfRepository {
  constructor(private readonly reads: ReadReplica) {}

  /**
   * Every account's counters as they stood at `asOf` (inclusive), from the nearest checkpoint and
   * the transfers created up to then after it: a hold posted or voided after `asOf` is still
   * pending at `asOf`.
   */
  async accountsAsOf(asOf: Date): Promise<AccountCounters[]> {
    return this.reads.snapshot((m) => this.accountsAsOfIn(m, asOf));
  }

  private async accountsAsOfIn(m: EntityManager, asOf: Date): Promise<AccountCounters[]> {
    const plan = await this.plan(m, asOf, true);
    const rows: (CounterRow & { code: string; kind: AccountKind; currency: string })[] =
      await m.query(
        `WITH recent AS (
           SELECT t.debit_account_id, t.credit_account_id, t.status, t.amount
           FROM ledger_transfers_view t
           WHERE t.created_at <= $1 AND ${PLAN_RANGE}
         ), sides AS (
           SELECT debit_account_id AS account_id, true AS is_debit, status, amount FROM recent
           UNION ALL
           SELECT credit_account_id, false, status, amount FROM recent
         ), sums AS (
           SELECT account_id, ${NUMERIC_SUMS} FROM sides GROUP BY account_id
         )
         SELECT a.code, a.kind, a.currency,
                (coalesce(c.debits_posted, 0) + coalesce(s.dp, 0))::numeric(20,2)::text AS dp,
                (coalesce(c.credits_posted, 0) + coalesce(s.cp, 0))::numeric(20,2)::text AS cp,
                (coalesce(c.debits_pending, 0) + coalesce(s.dq, 0))::numeric(20,2)::text AS dq,
                (coalesce(c.credits_pending, 0) + coalesce(s.cq, 0))::numeric(20,2)::text AS cq
         FROM ledger_accounts_view a
         LEFT JOIN LATERAL (
           SELECT k.account_id, k.debits_posted, k.credits_posted, k.debits_pending, k.credits_pending
           FROM ledger_account_checkpoints_view k
           WHERE k.account_id = a.id AND k.height <= $6::bigint
           ORDER BY k.height DESC LIMIT 1
         ) c ON true
         LEFT JOIN sums s ON s.account_id = a.id
         WHERE a.created_at <= $1 OR s.account_id IS NOT NULL OR c.account_id IS NOT NULL
         ORDER BY a.code`,
        [
          asOf,
          plan.fromTx,
          plan.midToTx ?? plan.fromTx,
          plan.tailFromTx,
          plan.tailLowSeq,
          plan.baseHeight,
        ],
      );
    return rows.map((r) => ({ code: r.code, kind: r.kind, currency: r.currency, ...counters(r) }));
  }

  /** The account's counters from every transfer below the horizon created before `from`. */
  async openingCounters(window: StatementWindow): Promise<Counters> {
    const from = window.from;
    if (!from) return counters(undefined);
    return this.reads.snapshot((m) => this.openingIn(m, window, from));
  }

  private async openingIn(
    m: EntityManager,
    window: StatementWindow,
    from: Date,
  ): Promise<Counters> {
    const plan = await this.plan(m, from, false);
    const rows: CounterRow[] = await m.query(
      `WITH recent AS (
         SELECT true AS is_debit, t.status, t.amount, t.tx_id, t.created_at FROM ledger_transfers_view t
         WHERE t.debit_account_id = $1
           AND ((t.seq BETWEEN $7::bigint AND $8::bigint) OR t.seq >= $5::bigint) AND ${PLAN_RANGE}
         UNION ALL
         SELECT false, t.status, t.amount, t.tx_id, t.created_at FROM ledger_transfers_view t
         WHERE t.credit_account_id = $1
           AND ((t.seq BETWEEN $7::bigint AND $8::bigint) OR t.seq >= $5::bigint) AND ${PLAN_RANGE}
       ), sums AS (
         SELECT ${NUMERIC_SUMS} FROM recent WHERE tx_id < $9::xid8 AND created_at < $10
       )
       SELECT (coalesce(c.debits_posted, 0) + s.dp)::numeric(20,2)::text AS dp,
              (coalesce(c.credits_posted, 0) + s.cp)::numeric(20,2)::text AS cp,
              (coalesce(c.debits_pending, 0) + s.dq)::numeric(20,2)::text AS dq,
              (coalesce(c.credits_pending, 0) + s.cq)::numeric(20,2)::text AS cq
       FROM sums s
       LEFT JOIN LATERAL (
         SELECT k.debits_posted, k.credits_posted, k.debits_pending, k.credits_pending
         FROM ledger_account_checkpoints_view k
         WHERE k.account_id = $1 AND k.height <= $6::bigint
         ORDER BY k.height DESC LIMIT 1
       ) c ON true`,
      [
        window.accountId,
        plan.fromTx,
        plan.midToTx ?? plan.fromTx,
        plan.tailFromTx,
        plan.tailLowSeq,
        plan.baseHeight,
        plan.midLowSeq ?? '0',
        plan.midHighSeq ?? '-1',
        window.horizon,
        from,
      ],
    );
    return counters(rows[0]);
  }

  /**
   * A lower bound on the seq of every transfer created at or after `from` (null: none can be), for
   * a statement's pages from a moment (issue 18): every block up to the plan's base holds only
   * transfers created before `from`, so those created since are in later blocks or the unsealed
   * tail, whose lowest seq bounds them. The pages then read the account's index from there, not
   * from the account's first transfer (custody:cash holds most of the ledger).
   */
  async firstSeqFrom(from: Date): Promise<string | null> {
    return this.reads.snapshot(async (m) => {
      const plan = await this.plan(m, from, false);
      const rows: { low: string | null }[] = await m.query(
        `SELECT LEAST((SELECT min(b.first_seq) FROM ledger_blocks_view b WHERE b.height > $1::bigint),
                      $2::bigint)::text AS low`,
        [plan.baseHeight, plan.tailLowSeq],
      );
      return rows[0].low;
    });
  }

  /**
   * The checkpoint and the ranges to add for a moment. `inclusive`: transfers created at the moment
   * count (trial balance `asOf`); otherwise only those created before it (a statement's opening).
   */
  private async plan(m: EntityManager, at: Date, inclusive: boolean): Promise<AsOfPlan> {
    const by = inclusive ? '<=' : '<';
    const rows: {
      base_height: string;
      from_tx: string;
      mid_to_tx: string | null;
      mid_low_seq: string | null;
      mid_high_seq: string | null;
      tail_from_tx: string;
    }[] = await m.query(
      `WITH base AS (
         SELECT k.height, b.to_tx_id FROM ledger_block_checkpoints_view k
         JOIN ledger_blocks_view b ON b.height = k.height
         WHERE coalesce(k.through_created_at, '-infinity') ${by} $1
         ORDER BY k.height DESC LIMIT 1
       ), start AS (
         SELECT coalesce((SELECT height FROM base), 0) AS height,
                coalesce((SELECT to_tx_id FROM base), '1'::xid8) AS from_tx
       ), mid AS (
         SELECT max(k.height) AS height FROM ledger_block_checkpoints_view k, start
         WHERE k.height > start.height AND k.min_created_at ${by} $1
       )
       SELECT start.height::text AS base_height, start.from_tx::text AS from_tx,
              (SELECT b.to_tx_id::text FROM ledger_blocks_view b WHERE b.height = mid.height) AS mid_to_tx,
              (SELECT min(b.first_seq)::text FROM ledger_blocks_view b
                WHERE b.height > start.height AND b.height <= mid.height) AS mid_low_seq,
              (SELECT max(b.last_seq)::text FROM ledger_blocks_view b
                WHERE b.height > start.height AND b.height <= mid.height) AS mid_high_seq,
              coalesce((SELECT b.to_tx_id FROM ledger_blocks_view b ORDER BY b.height DESC LIMIT 1),
                       '1'::xid8)::text AS tail_from_tx
       FROM start, mid`,
      [at],
    );
    const r = rows[0];
    const tail: { low: string | null }[] = await m.query(
      `SELECT min(seq)::text AS low FROM ledger_transfers_view WHERE tx_id >= $1::xid8`,
      [r.tail_from_tx],
    );
    return {
      baseHeight: r.base_height,
      fromTx: r.from_tx,
      midToTx: r.mid_to_tx,
      midLowSeq: r.mid_low_seq,
      midHighSeq: r.mid_high_seq,
      tailFromTx: r.tail_from_tx,
      tailLowSeq: tail[0].low,
    };
  }
}

const counters = (r: CounterRow | undefined): Counters => ({
  debitsPosted: r?.dp ?? '0.00',
  creditsPosted: r?.cp ?? '0.00',
  debitsPending: r?.dq ?? '0.00',
  creditsPending: r?.cq ?? '0.00',
});
