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
  PayoutNotSettledError,
} from './payouts.errors.js';
import { SettlementHandovers } from './settlement-handovers.js';
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

  async request(
    founder: AuthUser,
    campaignId: string,
    key: string,
  ): Promise<{ body: PayoutView; replayed: boolean }> {
    const campaign = await this.campaigns.find(campaignId);
    if (!campaign || campaign.founderId !== founder.id) throw new NotFoundError('Campaign');
    if (campaign.status !== 'SETTLED') throw new PayoutNotSettledError(campaign.status);
    const settled = await this.ledger.findTransfer(transferIdFor(`settle:${campaignId}:net`));
    if (!settled) throw new NothingToPayError();
    // RW-03: what a module above still keeps (the reward holdback) is not paid out now.
    const retained = await this.handovers.retained(campaign);
    const payable = Money.fromDecimalString(settled.amount, settled.currency).minus(retained);
    if (payable.isZero() || payable.isNegative()) throw new NothingToPayError();
    const net = { amount: payable.toString(), currency: settled.currency };
    const hash = requestHash({ route: 'POST /payouts', campaignId });
    return this.idempotency.execute(`payout:${founder.id}`, key, hash, async (tx) => {
      const payout: PayoutEntity = {
        id: randomUUID(),
        campaignId,
        founderId: founder.id,
        amount: net.amount,
        currency: net.currency,
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
