import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { Money } from '../../common/money/money.js';
import { NOTICES, type NoticeSink } from '../../common/notices/notices.port.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import type { PageRequest } from '../../database/keyset-page.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { CampaignQueries } from '../campaign/index.js';
import { AccountCodes, LedgerService } from '../escrow-ledger/index.js';
import { lockFounderPayable, PayoutsService, SettlementHandovers } from '../settlement/index.js';
import { BackerClaimsRepository, type ClaimRow } from './backer-claims.repository.js';
import { payClaimsInOrder } from './fulfilment.rules.js';

export type ClaimStatus = 'OPEN' | 'PAID';

/** A backer's claim on a founder: what a late-delivery refund could not cover (RW-03). */
export interface ClaimView {
  pledgeId: string;
  campaignId: string;
  investorId: string;
  founderId: string;
  currency: string;
  /** The shortfall of the refund: what the claim was for. */
  amount: string;
  paid: string;
  remaining: string;
  status: ClaimStatus;
  createdAt: string;
  settledAt: string | null;
}

export function toClaimView(r: ClaimRow): ClaimView {
  const money = (v: string) => Money.fromDecimalString(v, r.currency);
  const remaining = money(r.shortfall).minus(money(r.claimPaid));
  return {
    pledgeId: r.pledgeId,
    campaignId: r.campaignId,
    investorId: r.investorId,
    founderId: r.founderId,
    currency: r.currency,
    amount: money(r.shortfall).toString(),
    paid: money(r.claimPaid).toString(),
    remaining: remaining.toString(),
    status: remaining.isZero() ? 'PAID' : 'OPEN',
    createdAt: r.requestedAt.toISOString(),
    settledAt: r.claimSettledAt?.toISOString() ?? null,
  };
}

/** A refund's claim as the backer sees it beside the refund (NONE: the refund was covered). */
export interface ClaimState {
  claimStatus: ClaimStatus | 'NONE';
  claimPaid: string;
  claimRemaining: string;
}

export function claimStateOf(r: {
  currency: string;
  shortfall: string;
  claimPaid?: string;
}): ClaimState {
  const money = (v: string) => Money.fromDecimalString(v, r.currency);
  const paid = money(r.claimPaid ?? '0');
  const remaining = money(r.shortfall).minus(paid);
  return {
    claimStatus: money(r.shortfall).isZero() ? 'NONE' : remaining.isZero() ? 'PAID' : 'OPEN',
    claimPaid: paid.toString(),
    claimRemaining: remaining.toString(),
  };
}

/**
 * RW-03 backers' claims: the shortfall of a late-delivery refund is paid from the founder's
 * payable as soon as money reaches it (the holdback released, any later settlement credited, a
 * failed payout returned; and before every payout request), oldest claim first, partially if need
 * be, each payment a REFUND transfer payable -> the backer's wallet, exact to the fen. What the
 * payable has free excludes pending payouts (approved holds and REQUESTED payouts). One founder's
 * payable is decided one transaction at a time (`lockFounderPayable`).
 */
@Injectable()
export class BackerClaims implements OnModuleInit {
  constructor(
    private readonly repo: BackerClaimsRepository,
    private readonly ledger: LedgerService,
    private readonly payouts: PayoutsService,
    private readonly handovers: SettlementHandovers,
    private readonly campaigns: CampaignQueries,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(NOTICES) private readonly notices: NoticeSink,
  ) {}

  onModuleInit(): void {
    this.handovers.registerClaims({
      pay: async (founderId) => {
        await this.pay(founderId);
      },
      owed: (founderId, currency, tx) => this.owed(founderId, currency, tx),
    });
  }

  /** In a transaction of its own: pays what the payable has free toward the founder's claims. */
  async pay(founderId: string): Promise<number> {
    if (!(await this.repo.hasOpen(founderId))) return 0;
    return this.transactions.run(async (tx) => {
      await lockFounderPayable(founderId, tx);
      return this.payOpen(founderId, tx);
    });
  }

  /** In the caller's transaction, after money reached the payable (takes the payable's lock). */
  async payOpen(founderId: string, tx: Tx): Promise<number> {
    await lockFounderPayable(founderId, tx);
    const open = await this.repo.lockOpen(founderId, tx);
    if (open.length === 0) return 0;
    const currency = open[0].currency;
    const money = (v: string) => Money.fromDecimalString(v, currency);
    const available = await this.freePayable(founderId, currency, tx);
    const byPledge = new Map(open.map((c) => [c.pledgeId, c]));
    const payments = payClaimsInOrder(
      available,
      open.map((c) => ({
        pledgeId: c.pledgeId,
        remaining: money(c.shortfall).minus(money(c.claimPaid)),
      })),
    );
    const now = this.clock.now();
    for (const payment of payments) {
      const claim = byPledge.get(payment.pledgeId);
      if (!claim) continue;
      const paidBefore = money(claim.claimPaid);
      const paid = paidBefore.plus(payment.amount);
      const remaining = money(claim.shortfall).minus(paid);
      const wallet = AccountCodes.investorAvailable(claim.investorId);
      await this.ledger.openAccount(wallet, 'LIABILITY', currency, tx);
      const transfer = await this.ledger.transfer(
        {
          idempotencyKey: `backer-claim:${claim.pledgeId}:${paidBefore.toString()}`,
          kind: 'REFUND',
          debitAccount: AccountCodes.founderPayable(founderId),
          creditAccount: wallet,
          amount: payment.amount,
          reference: `pledge:${claim.pledgeId}`,
        },
        tx,
      );
      await this.repo.markPaid(claim.pledgeId, paid.toString(), now, tx);
      await this.audit.append(
        {
          occurredAt: now,
          actorId: null,
          action: 'fulfilment.claim_paid',
          subjectType: 'pledge',
          subjectId: claim.pledgeId,
          details: {
            campaignId: claim.campaignId,
            founderId,
            amount: payment.amount.toString(),
            paid: paid.toString(),
            remaining: remaining.toString(),
            transferId: transfer.id,
            rules: ['RW-03'],
          },
        },
        tx,
      );
      const campaign = await this.campaigns.find(claim.campaignId);
      await this.notices.record(
        [
          {
            recipientId: claim.investorId,
            type: 'delivery.claim_paid',
            campaignId: claim.campaignId,
            params: {
              pledgeId: claim.pledgeId,
              campaignTitle: campaign?.title ?? '',
              amount: payment.amount.toString(),
              remaining: remaining.toString(),
              currency,
            },
            dedupeKey: `backer-claim:${claim.pledgeId}:${paidBefore.toString()}`,
          },
        ],
        tx,
      );
    }
    return payments.length;
  }

  /** What the founder's open claims still ask for. */
  async owed(founderId: string, currency: string, tx?: Tx): Promise<Money> {
    return Money.fromDecimalString(await this.repo.owed(founderId, tx), currency);
  }

  /** What claims paid of the campaign's refunds (from the payable: part of what it keeps). */
  async paidFor(campaignId: string, currency: string, tx?: Tx): Promise<Money> {
    return Money.fromDecimalString(await this.repo.paidFor(campaignId, tx), currency);
  }

  /** FINANCE: claims by status, oldest first, one cursor page (issue 16's list contract). */
  async list(status: ClaimStatus | undefined, page: PageRequest): Promise<Page<ClaimView>> {
    const rows = await this.repo.page(status, page);
    return { items: rows.items.map(toClaimView), nextCursor: rows.nextCursor };
  }

  /** The payable's posted balance less its pending debits and the REQUESTED payouts. */
  private async freePayable(founderId: string, currency: string, tx: Tx): Promise<Money> {
    const money = (v: string) => Money.fromDecimalString(v, currency);
    const payable = await this.ledger.findAccount(AccountCodes.founderPayable(founderId), tx);
    if (!payable) return Money.zero(currency);
    return money(payable.creditsPosted)
      .minus(money(payable.debitsPosted))
      .minus(money(payable.debitsPending))
      .minus(money(await this.payouts.requestedTotal(founderId, tx)));
  }
}
