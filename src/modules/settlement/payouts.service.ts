import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { Money } from '../../common/money/money.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import type { PageRequest } from '../../database/keyset-page.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { CampaignQueries } from '../campaign/index.js';
import type { CampaignKind } from '../campaign/campaign.types.js';
import { NOTICES, type NoticeSink, type NoticeType } from '../../common/notices/notices.port.js';
import {
  AccountCodes,
  IdempotencyService,
  LedgerService,
  requestHash,
  transferIdFor,
} from '../escrow-ledger/index.js';
import type { PayoutEntity } from './payout.entity.js';
import {
  MakerCheckerError,
  NothingToPayError,
  PayoutAlreadyDecidedError,
  PayoutAlreadyRequestedError,
  PayoutNotSettledError,
} from './payouts.errors.js';
import { lockFounderPayable, SettlementHandovers } from './settlement-handovers.js';
import { PayoutsRepository } from './payouts.repository.js';

export interface PayoutView {
  id: string;
  campaignId: string;
  founderId: string;
  amount: string;
  currency: string;
  status: PayoutEntity['status'] | 'PAID' | 'FAILED';
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  holdTransferId: string | null;
}

/**
 * Payouts (DESIGN §4, §7): the founder asks for a settled campaign's net; a FINANCE user who is
 * not the requester approves (maker-checker), which places a hold founder payable -> custody cash;
 * the custodian's PAYOUT_SETTLED / PAYOUT_FAILED notice posts or voids it. The payouts table is
 * read and written only through PayoutsRepository; campaigns are read through CampaignQueries.
 */
@Injectable()
export class PayoutsService {
  constructor(
    private readonly payouts: PayoutsRepository,
    private readonly campaigns: CampaignQueries,
    private readonly ledger: LedgerService,
    private readonly handovers: SettlementHandovers,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(NOTICES) private readonly notices: NoticeSink,
  ) {}

  /**
   * A payout of what is left of a settled campaign for its founder: the net less what fulfilment
   * keeps (the holdback not yet released, late refunds paid from the payable and claims paid
   * from it), less earlier payouts not rejected or failed, and never more than the founder's
   * payable has free (after pending payouts and backers' open claims, which are paid first). A
   * campaign is paid in rounds: the released holdback is a further request. One founder's
   * requests are decided one at a time (the payable's lock), one REQUESTED per campaign.
   */
  async request(
    founder: AuthUser,
    campaignId: string,
    key: string,
  ): Promise<{ body: PayoutView; replayed: boolean }> {
    const campaign = await this.campaigns.find(campaignId);
    if (!campaign || campaign.founderId !== founder.id) throw new NotFoundError('Campaign');
    if (campaign.status !== 'SETTLED') throw new PayoutNotSettledError(campaign.status);
    // RW-03: backers' claims on the founder take the payable's money before any payout can.
    await this.handovers.payClaims(founder.id);
    const hash = requestHash({ route: 'POST /payouts', campaignId });
    return this.idempotency.execute(`payout:${founder.id}`, key, hash, async (tx) => {
      await lockFounderPayable(founder.id, tx);
      const left = await this.leftToPay(campaign, tx);
      const payout: PayoutEntity = {
        id: randomUUID(),
        campaignId,
        founderId: founder.id,
        amount: left.toString(),
        currency: left.currency,
        status: 'REQUESTED',
        requestedAt: this.clock.now(),
        decidedBy: null,
        decidedAt: null,
        reason: null,
        holdTransferId: null,
      };
      await this.payouts.insert(payout, tx);
      await this.audit.append(
        {
          occurredAt: payout.requestedAt,
          actorId: founder.id,
          action: 'payout.requested',
          subjectType: 'payout',
          subjectId: payout.id,
          details: { campaignId, amount: payout.amount },
        },
        tx,
      );
      await this.notices.record([this.notice('payout.requested', payout)], tx);
      return this.view(payout, tx);
    });
  }

  /** What may be requested now (the caller holds the founder's payable lock); 4xx when nothing. */
  private async leftToPay(
    campaign: { id: string; founderId: string; kind: CampaignKind },
    tx: Tx,
  ): Promise<Money> {
    const settled = await this.ledger.findTransfer(transferIdFor(`settle:${campaign.id}:net`), tx);
    if (!settled) throw new NothingToPayError();
    const currency = settled.currency;
    const money = (v: string) => Money.fromDecimalString(v, currency);
    let campaignLeft = money(settled.amount).minus(
      await this.handovers.retained({ id: campaign.id, kind: campaign.kind, currency }, tx),
    );
    for (const earlier of await this.payouts.ofCampaign(campaign.id, tx)) {
      if (earlier.status === 'REQUESTED') throw new PayoutAlreadyRequestedError();
      if (earlier.status === 'REJECTED') continue;
      if ((await this.view(earlier, tx)).status === 'FAILED') continue; // its hold was voided
      campaignLeft = campaignLeft.minus(money(earlier.amount));
    }
    const payable = await this.ledger.findAccount(
      AccountCodes.founderPayable(campaign.founderId),
      tx,
    );
    const free = payable
      ? money(payable.creditsPosted)
          .minus(money(payable.debitsPosted))
          .minus(money(payable.debitsPending))
          .minus(money(await this.payouts.requestedTotal(campaign.founderId, tx)))
          .minus(await this.handovers.owedToClaims(campaign.founderId, currency, tx))
      : Money.zero(currency);
    const left = campaignLeft.lessThan(free) ? campaignLeft : free;
    if (left.isZero() || left.isNegative()) throw new NothingToPayError();
    return left;
  }

  async approve(checker: AuthUser, payoutId: string): Promise<PayoutView> {
    return this.transactions.run(async (tx) => {
      const requested = await this.lockRequested(payoutId, checker, tx);
      const now = this.clock.now();
      const hold = await this.ledger.hold(
        {
          idempotencyKey: `payout:${requested.id}`,
          kind: 'PAYOUT',
          debitAccount: AccountCodes.founderPayable(requested.founderId),
          creditAccount: AccountCodes.custodyCash,
          amount: Money.fromDecimalString(requested.amount, requested.currency),
          reference: `payout:${requested.id}`,
        },
        tx,
      );
      const payout = await this.payouts.decide(
        requested,
        { status: 'APPROVED', decidedBy: checker.id, decidedAt: now, holdTransferId: hold.id },
        tx,
      );
      await this.audit.append(
        {
          occurredAt: now,
          actorId: checker.id,
          action: 'payout.approved',
          subjectType: 'payout',
          subjectId: payout.id,
          details: { holdTransferId: hold.id },
        },
        tx,
      );
      await this.notices.record([this.notice('payout.approved', payout)], tx);
      return this.view(payout, tx);
    });
  }

  async reject(checker: AuthUser, payoutId: string, reason: string): Promise<PayoutView> {
    return this.transactions.run(async (tx) => {
      const requested = await this.lockRequested(payoutId, checker, tx);
      const now = this.clock.now();
      const payout = await this.payouts.decide(
        requested,
        { status: 'REJECTED', decidedBy: checker.id, decidedAt: now, reason },
        tx,
      );
      await this.audit.append(
        {
          occurredAt: now,
          actorId: checker.id,
          action: 'payout.rejected',
          subjectType: 'payout',
          subjectId: payout.id,
          details: { reason },
        },
        tx,
      );
      await this.notices.record([this.notice('payout.rejected', payout, { reason })], tx);
      return this.view(payout, tx);
    });
  }

  /** What the founder is told about their payout (issue 13). */
  private notice(type: NoticeType, p: PayoutEntity, extra: Record<string, string> = {}) {
    return {
      recipientId: p.founderId,
      type,
      campaignId: p.campaignId,
      params: { amount: p.amount, currency: p.currency, ...extra },
    };
  }

  private async lockRequested(id: string, checker: AuthUser, tx: Tx): Promise<PayoutEntity> {
    const payout = await this.payouts.lockForDecision(id, tx);
    if (!payout) throw new NotFoundError('Payout');
    if (payout.founderId === checker.id) throw new MakerCheckerError();
    if (payout.status !== 'REQUESTED') throw new PayoutAlreadyDecidedError(payout.status);
    return payout;
  }

  /** APPROVED shows as PAID or FAILED once the custodian's notice resolved the hold. */
  private async view(p: PayoutEntity, tx?: Tx): Promise<PayoutView> {
    let status: PayoutView['status'] = p.status;
    if (p.status === 'APPROVED' && p.holdTransferId) {
      const resolution = await this.ledger.findResolution(p.holdTransferId, tx);
      if (resolution) status = resolution.status === 'POST' ? 'PAID' : 'FAILED';
    }
    return {
      id: p.id,
      campaignId: p.campaignId,
      founderId: p.founderId,
      amount: p.amount,
      currency: p.currency,
      status,
      requestedAt: p.requestedAt.toISOString(),
      decidedBy: p.decidedBy,
      decidedAt: p.decidedAt?.toISOString() ?? null,
      reason: p.reason,
      holdTransferId: p.holdTransferId,
    };
  }

  /** What the founder's REQUESTED payouts ask for (fulfilment leaves it on the payable). */
  requestedTotal(founderId: string, tx: Tx): Promise<string> {
    return this.payouts.requestedTotal(founderId, tx);
  }

  /** FINANCE's queue (issue 17): payouts in one decision state, oldest request first. */
  /** Payouts in one decision state, oldest request first, in cursor pages (issue 16). */
  async list(status: PayoutEntity['status'], page: PageRequest): Promise<Page<PayoutView>> {
    const { items, nextCursor } = await this.payouts.listByStatus(status, page);
    return { items: await Promise.all(items.map((p) => this.view(p))), nextCursor };
  }

  async get(viewer: AuthUser, id: string): Promise<PayoutView> {
    const payout = await this.payouts.find(id);
    if (!payout || (viewer.role === 'FOUNDER' && payout.founderId !== viewer.id))
      throw new NotFoundError('Payout');
    return this.view(payout);
  }
}
