import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { ReadReplica } from '../../database/read-replica.js';
import {
  type AccountKind,
  BLOCK_COLUMNS,
  type Block,
  type BlockRow,
  toBlock,
  type TransferKind,
  type TransferStatus,
} from '../escrow-ledger/index.js';
import { LIVE_PLEDGE_STATUSES } from '../pledge/index.js';

/** The four counters of an account (DESIGN §4), as exact decimal strings. */
export interface Counters {
  debitsPosted: string;
  creditsPosted: string;
  debitsPending: string;
  creditsPending: string;
}

export interface AccountCounters extends Counters {
  code: string;
  kind: AccountKind;
  currency: string;
}

export interface DailyFlowRow {
  /** YYYY-MM-DD in Asia/Shanghai. */
  day: string;
  kind: TransferKind;
  amount: string;
}

export interface StatementAccount {
  id: string;
  code: string;
  kind: AccountKind;
  currency: string;
}

/** One transfer seen from one account's side. */
export interface StatementRow {
  transferId: string;
  seq: string;
  txId: string;
  kind: TransferKind;
  status: TransferStatus;
  direction: 'DEBIT' | 'CREDIT';
  counterparty: string;
  amount: string;
  pendingId: string | null;
  reference: string | null;
  createdAt: Date;
}

export interface StatementWindow {
  accountId: string;
  /** Only transfers of finished transactions (tx_id below the commit horizon) are shown. */
  horizon: string;
  from: Date | null;
  to: Date | null;
}

export interface CampaignEscrowFigures {
  campaign: {
    id: string;
    status: string;
    currency: string;
    targetAmount: string;
    maxAmount: string;
    committed: string;
    feeRate: string;
  };
  escrowCode: string;
  escrow: Counters;
  voided: string;
  fee: string;
  net: string;
  paidOut: string;
  payoutHeld: string;
  pledges: { status: string; count: number; amount: string }[];
}

interface CounterRow {
  dp: string;
  cp: string;
  dq: string;
  cq: string;
}

const toCounters = (r: CounterRow | undefined): Counters => ({
  debitsPosted: r?.dp ?? '0.00',
  creditsPosted: r?.cp ?? '0.00',
  debitsPending: r?.dq ?? '0.00',
  creditsPending: r?.cq ?? '0.00',
});

const LIVE = LIVE_PLEDGE_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * The finance office's SQL (DESIGN §2: finance reads the whole ledger and the campaigns it funds).
 * It reads other modules' data only through the views their migrations define (the ledger's
 * `ledger_*_view`, `campaigns_finance_view`, `pledges_finance_view`, `payouts_finance_view`;
 * test/finance/finance-reads-through-views.spec.ts keeps it so).
 * Reads only; every multi-statement read runs in one REPEATABLE READ transaction so its figures
 * come from one snapshot.
 */
@Injectable()
export class FinanceRepository {
  constructor(private readonly reads: ReadReplica) {}

  private snapshot<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.reads.snapshot(work);
  }

  /** Every account with its live counters, in one statement (one snapshot). */
  async liveAccounts(): Promise<AccountCounters[]> {
    const rows: (CounterRow & { code: string; kind: AccountKind; currency: string })[] =
      await this.reads.query(
        `SELECT code, kind, currency, debits_posted::text AS dp, credits_posted::text AS cp,
                debits_pending::text AS dq, credits_pending::text AS cq
         FROM ledger_accounts_view ORDER BY code`,
      );
    return rows.map((r) => ({
      code: r.code,
      kind: r.kind,
      currency: r.currency,
      ...toCounters(r),
    }));
  }

  /**
   * Money that started moving, per Shanghai calendar day and transfer kind, since `since`: each
   * transfer row that moves money on its own (POSTED) or places a hold (PENDING); the POST/VOID
   * rows that resolve a hold are not counted again.
   */
  async dailyFlows(since: Date, kinds: readonly TransferKind[]): Promise<DailyFlowRow[]> {
    return this.reads.query(
      `SELECT to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, kind,
              sum(amount)::numeric(20,2)::text AS amount
       FROM ledger_transfers_view
       WHERE created_at >= $1 AND kind = ANY($2::text[]) AND status IN ('POSTED', 'PENDING')
         -- a reward campaign's holdback (RW-03) moves money already settled to the founder
         -- between the founder's payable and the holdback account: not a new settlement
         AND (reference IS NULL OR reference NOT LIKE 'holdback:%')
       GROUP BY 1, 2 ORDER BY 1, 2`,
      [since, kinds],
    );
  }

  async findAccount(code: string): Promise<StatementAccount | null> {
    const rows: StatementAccount[] = await this.reads.query(
      `SELECT id, code, kind, currency FROM ledger_accounts_view WHERE code = $1`,
      [code],
    );
    return rows[0] ?? null;
  }

  /**
   * The commit-safe watermark (the sealer's): every transaction with an id below it has finished,
   * so the set of transfers below it can never change again.
   */
  async commitHorizon(): Promise<string> {
    const rows: { horizon: string }[] = await this.reads.query(
      `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon`,
    );
    return rows[0].horizon;
  }

  /**
   * One page of the account's transfers in ledger order (tx_id, seq) after the given position.
   * The order is the sealer's: a transfer that commits later always has a tx_id at or above the
   * horizon, so it can only ever appear after everything already shown.
   */
  async statementPage(
    window: StatementWindow,
    after: { txId: string; seq: string } | null,
    limit: number,
    /** No transfer of the window has a lower seq (LedgerAsOfRepository.firstSeqFrom); null: none known. */
    lowSeq: string | null = null,
  ): Promise<StatementRow[]> {
    const rows: {
      id: string;
      seq: string;
      tx_id: string;
      kind: TransferKind;
      status: TransferStatus;
      is_debit: boolean;
      counterparty: string;
      amount: string;
      pending_id: string | null;
      reference: string | null;
      created_at: Date;
    }[] = await this.reads.query(
      `SELECT t.id, t.seq::text AS seq, t.tx_id::text AS tx_id, t.kind, t.status,
              t.debit_account_id = $1 AS is_debit, o.code AS counterparty, t.amount::text AS amount,
              t.pending_id, t.reference, t.created_at
       FROM ledger_transfers_view t
       JOIN ledger_accounts_view o
         ON o.id = CASE WHEN t.debit_account_id = $1 THEN t.credit_account_id ELSE t.debit_account_id END
       WHERE (t.debit_account_id = $1 OR t.credit_account_id = $1)
         AND t.tx_id < $2::xid8
         AND ($3::timestamptz IS NULL OR t.created_at >= $3)
         AND ($4::timestamptz IS NULL OR t.created_at < $4)
         AND ($5::xid8 IS NULL OR (t.tx_id, t.seq) > ($5::xid8, $6::bigint))
         AND t.seq >= $8::bigint
       ORDER BY t.tx_id, t.seq
       LIMIT $7`,
      [
        window.accountId,
        window.horizon,
        window.from,
        window.to,
        after?.txId ?? null,
        after?.seq ?? null,
        limit,
        lowSeq ?? '0',
      ],
    );
    return rows.map((r) => ({
      transferId: r.id,
      seq: r.seq,
      txId: r.tx_id,
      kind: r.kind,
      status: r.status,
      direction: r.is_debit ? 'DEBIT' : 'CREDIT',
      counterparty: r.counterparty,
      amount: r.amount,
      pendingId: r.pending_id,
      reference: r.reference,
      createdAt: r.created_at,
    }));
  }

  /** Sealed blocks above `afterHeight`, lowest first (GET /finance/seals). */
  async blocksAfter(afterHeight: string, limit: number): Promise<Block[]> {
    const rows: BlockRow[] = await this.reads.query(
      `SELECT ${BLOCK_COLUMNS} FROM ledger_blocks_view b WHERE b.height > $1 ORDER BY b.height LIMIT $2`,
      [afterHeight, limit],
    );
    return rows.map(toBlock);
  }

  /** A campaign's money as the ledger and the pledges show it, from one snapshot. */
  async campaignEscrow(campaignId: string): Promise<CampaignEscrowFigures | null> {
    return this.snapshot(async (m) => {
      const campaigns: {
        id: string;
        status: string;
        currency: string;
        target_amount: string;
        max_amount: string;
        committed: string;
        fee_rate: string;
      }[] = await m.query(
        `SELECT id, status, currency, target_amount::text, max_amount::text, committed::text,
                fee_rate::text FROM campaigns_finance_view WHERE id = $1`,
        [campaignId],
      );
      const c = campaigns[0];
      if (!c) return null;
      const escrowCode = `campaign:${c.id}:escrow`;
      const escrow: CounterRow[] = await m.query(
        `SELECT debits_posted::text AS dp, credits_posted::text AS cp, debits_pending::text AS dq,
                credits_pending::text AS cq FROM ledger_accounts_view WHERE code = $1`,
        [escrowCode],
      );
      // Voids of holds placed into escrow; fee and net leave escrow as POSTED transfers.
      const moved: { voided: string; fee: string; net: string }[] = await m.query(
        `SELECT
           coalesce((SELECT sum(t.amount) FROM ledger_transfers_view t
                     WHERE t.credit_account_id = a.id AND t.status = 'VOID'), 0)::numeric(20,2)::text AS voided,
           coalesce((SELECT sum(t.amount) FROM ledger_transfers_view t
                     WHERE t.debit_account_id = a.id AND t.kind = 'FEE' AND t.status IN ('POSTED', 'POST')), 0)::numeric(20,2)::text AS fee,
           coalesce((SELECT sum(t.amount) FROM ledger_transfers_view t
                     WHERE t.debit_account_id = a.id AND t.kind = 'SETTLEMENT' AND t.status IN ('POSTED', 'POST')), 0)::numeric(20,2)::text AS net
         FROM (SELECT id FROM ledger_accounts_view WHERE code = $1) a`,
        [escrowCode],
      );
      const payouts: { paid: string; held: string }[] = await m.query(
        `SELECT coalesce(sum(p.amount) FILTER (WHERE r.status = 'POST'), 0)::numeric(20,2)::text AS paid,
                coalesce(sum(p.amount) FILTER (WHERE r.id IS NULL), 0)::numeric(20,2)::text AS held
         FROM payouts_finance_view p LEFT JOIN ledger_transfers_view r ON r.pending_id = p.hold_transfer_id
         WHERE p.campaign_id = $1 AND p.status = 'APPROVED'`,
        [campaignId],
      );
      const pledges: { status: string; count: number; amount: string }[] = await m.query(
        `SELECT status, count(*)::int AS count, sum(amount)::numeric(20,2)::text AS amount
         FROM pledges_finance_view WHERE campaign_id = $1 GROUP BY status ORDER BY status`,
        [campaignId],
      );
      return {
        campaign: {
          id: c.id,
          status: c.status,
          currency: c.currency,
          targetAmount: c.target_amount,
          maxAmount: c.max_amount,
          committed: c.committed,
          feeRate: c.fee_rate,
        },
        escrowCode,
        escrow: toCounters(escrow[0]),
        voided: moved[0]?.voided ?? '0.00',
        fee: moved[0]?.fee ?? '0.00',
        net: moved[0]?.net ?? '0.00',
        paidOut: payouts[0].paid,
        payoutHeld: payouts[0].held,
        pledges,
      };
    });
  }
}

/** SQL list of the statuses in which a pledge still counts toward its campaign (DESIGN §6). */
export const LIVE_PLEDGE_STATUS_SQL = LIVE;
