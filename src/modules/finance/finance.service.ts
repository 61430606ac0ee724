import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { Decimal } from '../../common/money/decimal.js';
import { ACCOUNT_KINDS, type AccountKind, type Block } from '../escrow-ledger/index.js';
import { AsOfInFutureError, FinanceCampaignNotFoundError } from './finance.errors.js';
import { type AccountCounters, type Counters, FinanceRepository } from './finance.repository.js';
import { LedgerAsOfRepository } from './ledger-as-of.repository.js';

export interface KindTotals extends Counters {
  accounts: number;
  /** Posted balance on the kind's normal side (ASSET debit, the others credit). */
  balance: string;
}

export interface TrialBalance {
  /** The instant the figures are for; null for the live counters. */
  asOf: string | null;
  accounts: AccountCounters[];
  totals: Counters;
  byKind: Record<AccountKind, KindTotals>;
  postedBalanced: boolean;
  pendingBalanced: boolean;
  /** Debits equal credits, posted and pending separately (INV-4). */
  balanced: boolean;
}

export interface SealsPage {
  blocks: (Omit<Block, 'sealedAt'> & { sealedAt: string })[];
  nextAfter: number | null;
}

const PLEDGE_STATUSES = [
  'COOLING_OFF',
  'AWAITING_CONFIRMATION',
  'ACTIVE',
  'AWAITING_RECONFIRMATION',
  'SETTLED',
  'CANCELLED',
  'REFUNDED',
] as const;

export interface CampaignEscrowReport {
  campaignId: string;
  status: string;
  currency: string;
  escrowAccount: string;
  /** The campaign's committed counter (live pledges; the gross once settled). */
  committed: string;
  /** Holds still pending in escrow. */
  held: string;
  /** Holds posted into escrow (the settled gross). */
  posted: string;
  /** Holds voided (cancelled, rescinded, refunded). */
  voided: string;
  fee: string;
  net: string;
  /** Payouts of the net the custodian confirmed; `payoutHeld` is approved but not yet confirmed. */
  paidOut: string;
  payoutHeld: string;
  /** credits - debits on escrow, posted only and with pending. */
  escrowBalance: string;
  /** INV-12: escrow is exactly 0, posted and pending (required once SETTLED or REFUNDED). */
  escrowZero: boolean;
  pledges: Record<(typeof PLEDGE_STATUSES)[number], { count: number; amount: string }>;
}

const D = (s: string) => new Decimal(s);
const sum = (values: string[]) => values.reduce((acc, v) => acc.plus(v), D('0')).toFixed(2);

/** The finance office's reads (DESIGN §7): trial balance, seals, campaign escrow. */
@Injectable()
export class FinanceService {
  constructor(
    private readonly finance: FinanceRepository,
    private readonly asOf: LedgerAsOfRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Without `asOf`: the live counters. With it: every account recomputed from the transfers
   * created up to that instant (inclusive). A future instant is refused (its figures could still
   * change).
   */
  async trialBalance(asOf?: string): Promise<TrialBalance> {
    let at: Date | null = null;
    if (asOf !== undefined) {
      at = new Date(asOf);
      const now = this.clock.now();
      if (at > now) throw new AsOfInFutureError(at.toISOString(), now.toISOString());
    }
    const accounts = at ? await this.asOf.accountsAsOf(at) : await this.finance.liveAccounts();
    const totals = totalsOf(accounts);
    const byKind = Object.fromEntries(
      ACCOUNT_KINDS.map((kind) => {
        const ofKind = accounts.filter((a) => a.kind === kind);
        const t = totalsOf(ofKind);
        const balance =
          kind === 'ASSET'
            ? D(t.debitsPosted).minus(t.creditsPosted)
            : D(t.creditsPosted).minus(t.debitsPosted);
        return [kind, { accounts: ofKind.length, ...t, balance: balance.toFixed(2) }];
      }),
    ) as Record<AccountKind, KindTotals>;
    const postedBalanced = D(totals.debitsPosted).eq(totals.creditsPosted);
    const pendingBalanced = D(totals.debitsPending).eq(totals.creditsPending);
    return {
      asOf: at?.toISOString() ?? null,
      accounts,
      totals,
      byKind,
      postedBalanced,
      pendingBalanced,
      balanced: postedBalanced && pendingBalanced,
    };
  }

  async seals(after: number, limit: number): Promise<SealsPage> {
    const blocks = await this.finance.blocksAfter(String(after), limit);
    return {
      blocks: blocks.map((b) => ({ ...b, sealedAt: b.sealedAt.toISOString() })),
      nextAfter: blocks.length === limit ? Number(blocks.at(-1)?.height) : null,
    };
  }

  async campaignEscrow(campaignId: string): Promise<CampaignEscrowReport> {
    const f = await this.finance.campaignEscrow(campaignId);
    if (!f) throw new FinanceCampaignNotFoundError(campaignId);
    const e = f.escrow;
    const postedBalance = D(e.creditsPosted).minus(e.debitsPosted);
    const withPending = postedBalance.plus(e.creditsPending).minus(e.debitsPending);
    const pledges = Object.fromEntries(
      PLEDGE_STATUSES.map((status) => {
        const row = f.pledges.find((p) => p.status === status);
        return [status, { count: row?.count ?? 0, amount: row?.amount ?? '0.00' }];
      }),
    ) as CampaignEscrowReport['pledges'];
    return {
      campaignId: f.campaign.id,
      status: f.campaign.status,
      currency: f.campaign.currency,
      escrowAccount: f.escrowCode,
      committed: f.campaign.committed,
      held: e.creditsPending,
      posted: e.creditsPosted,
      voided: f.voided,
      fee: f.fee,
      net: f.net,
      paidOut: f.paidOut,
      payoutHeld: f.payoutHeld,
      escrowBalance: withPending.toFixed(2),
      escrowZero:
        postedBalance.isZero() && D(e.creditsPending).isZero() && D(e.debitsPending).isZero(),
      pledges,
    };
  }
}

function totalsOf(accounts: readonly Counters[]): Counters {
  return {
    debitsPosted: sum(accounts.map((a) => a.debitsPosted)),
    creditsPosted: sum(accounts.map((a) => a.creditsPosted)),
    debitsPending: sum(accounts.map((a) => a.debitsPending)),
    creditsPending: sum(accounts.map((a) => a.creditsPending)),
  };
}
