import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { Money } from '../../common/money/money.js';
import { rulePackConfig, type RulePackConfig } from '../../config/namespaces.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { AccountCodes, LedgerService } from '../escrow-ledger/index.js';
import { PledgeFactsQueries } from '../pledge/index.js';
import {
  lockFounderPayable,
  type SettledCampaign,
  SettlementHandovers,
  tryLockFounderPayable,
} from '../settlement/index.js';
import { BackerClaims } from './backer-claims.service.js';
import { FulfilmentRepository, type HoldbackRow } from './fulfilment.repository.js';
import { holdbackOf, holdbackReleaseDueAt } from './fulfilment.rules.js';

/** The escrow sub-account a reward campaign's holdback sits in (RW-03), apart from INV-12's escrow. */
export const holdbackAccount = (campaignId: string): string => `campaign:${campaignId}:holdback`;

export type ReleaseReason = 'DELIVERY_CONFIRMED' | 'DELIVERY_MONTH_PASSED' | 'NOTHING_HELD';

export interface HoldbackView {
  campaignId: string;
  currency: string;
  net: string;
  rate: string;
  amount: string;
  refunded: string;
  released: string;
  /** Still held: amount - refunded - released. */
  held: string;
  status: 'HELD' | 'RELEASED';
  releaseDueAt: string;
  releasedAt: string | null;
  releaseReason: string | null;
}

/**
 * RW-03 holdback: when a reward campaign settles (in settlement's transaction), the pack's
 * `rewardHoldbackRate` of its net moves from the founder's payable into the campaign's holdback
 * account; the payout asks for the rest. It goes back to the payable once every physical reward
 * is confirmed delivered (or refunded), or `holdbackReleaseDays` after the latest delivery month,
 * whichever comes first (a sweep, by the injectable clock). Late-delivery refunds draw on it first.
 */
@Injectable()
export class Holdbacks implements OnModuleInit {
  constructor(
    private readonly repo: FulfilmentRepository,
    private readonly pledges: PledgeFactsQueries,
    private readonly ledger: LedgerService,
    private readonly handovers: SettlementHandovers,
    private readonly claims: BackerClaims,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(rulePackConfig.KEY) private readonly pack: RulePackConfig,
  ) {}

  onModuleInit(): void {
    this.handovers.register('REWARD', (campaign, tx) => this.retain(campaign, tx));
    this.handovers.registerRetention('REWARD', (id, currency, tx) =>
      this.retained(id, currency, tx),
    );
    // RW-03: a settlement credits the founder's payable (after the holdback is kept): backers'
    // open claims on the founder are paid from it at once, in the settling transaction (unless
    // another payable decision holds the founder's lock: then at the next payout request, which
    // always pays the claims first).
    for (const kind of ['EQUITY', 'DEBT', 'REWARD', 'DONATION'] as const)
      this.handovers.register(kind, async (campaign, tx) => {
        if (await tryLockFounderPayable(campaign.founderId, tx))
          await this.claims.payOpen(campaign.founderId, tx);
      });
  }

  /** In the settling transaction: hold back `rate` x net in the campaign's holdback account. */
  async retain(campaign: SettledCampaign, tx: Tx): Promise<void> {
    const rate = this.pack.parameters.rewardHoldbackRate;
    const amount = holdbackOf(campaign.net, rate);
    const plan = await this.repo.planOf(campaign.id, tx);
    const releaseDueAt = holdbackReleaseDueAt(
      plan.map((p) => p.deliveryMonth),
      campaign.settledAt,
      this.pack.parameters.holdbackReleaseDays,
    );
    if (!amount.isZero()) {
      await this.ledger.openAccount(
        holdbackAccount(campaign.id),
        'LIABILITY',
        campaign.currency,
        tx,
      );
      await this.ledger.transfer(
        {
          idempotencyKey: `holdback:${campaign.id}:retain`,
          kind: 'SETTLEMENT',
          debitAccount: AccountCodes.founderPayable(campaign.founderId),
          creditAccount: holdbackAccount(campaign.id),
          amount,
          reference: `holdback:${campaign.id}`,
        },
        tx,
      );
    }
    const nothing = amount.isZero();
    await this.repo.insertHoldback(
      {
        campaignId: campaign.id,
        founderId: campaign.founderId,
        currency: campaign.currency,
        net: campaign.net.toString(),
        rate: String(rate),
        amount: amount.toString(),
        refunded: '0.00',
        released: '0.00',
        status: nothing ? 'RELEASED' : 'HELD',
        settledAt: campaign.settledAt,
        releaseDueAt,
        releasedAt: nothing ? campaign.settledAt : null,
        releaseReason: nothing ? 'NOTHING_HELD' : null,
      },
      tx,
    );
    await this.audit.append(
      {
        occurredAt: campaign.settledAt,
        actorId: null,
        action: 'fulfilment.holdback_retained',
        subjectType: 'campaign',
        subjectId: campaign.id,
        details: {
          net: campaign.net.toString(),
          rate,
          amount: amount.toString(),
          releaseDueAt: releaseDueAt.toISOString(),
          rules: ['RW-03'],
        },
      },
      tx,
    );
  }

  /**
   * What of the campaign's net is not in the founder's payable because of fulfilment: the
   * holdback not yet released, plus late-delivery refunds and backers' claims paid from the
   * payable.
   */
  async retained(campaignId: string, currency: string, tx?: Tx): Promise<Money> {
    const holdback = await this.repo.findHoldback(campaignId, tx);
    const refunds = await this.repo.refundsOf(campaignId, tx);
    const money = (v: string) => Money.fromDecimalString(v, currency);
    let total = Money.zero(currency);
    if (holdback) total = total.plus(money(holdback.amount)).minus(money(holdback.released));
    for (const r of refunds) total = total.plus(money(r.fromPayable));
    return total.plus(await this.claims.paidFor(campaignId, currency, tx));
  }

  async view(campaignId: string): Promise<HoldbackView | null> {
    const row = await this.repo.findHoldback(campaignId);
    return row ? toHoldbackView(row) : null;
  }

  /** The sweep: releases every holdback whose delivery is complete or whose time has come. */
  async releaseDue(limit = 500): Promise<number> {
    let released = 0;
    for (const id of await this.repo.heldIds(limit)) {
      const done = await this.transactions.run(async (tx) => {
        // The founder's payable first, as every payable decision takes it (no lock cycle).
        await this.lockPayableOf(id, tx);
        const row = await this.repo.lockHeldSkipLocked(id, tx);
        if (!row) return false;
        if (this.clock.now().getTime() >= row.releaseDueAt.getTime())
          return this.release(row, 'DELIVERY_MONTH_PASSED', tx);
        if (await this.deliveryComplete(row.campaignId, tx))
          return this.release(row, 'DELIVERY_CONFIRMED', tx);
        return false;
      });
      if (done) released++;
    }
    return released;
  }

  /** Takes the campaign founder's payable lock (first, as every payable decision does). */
  async lockPayableOf(campaignId: string, tx: Tx): Promise<void> {
    const founderId = (await this.repo.findHoldback(campaignId, tx))?.founderId;
    if (founderId) await lockFounderPayable(founderId, tx);
  }

  /** After a backer confirms receipt, in that transaction: release if that completed delivery. */
  async releaseIfDelivered(campaignId: string, tx: Tx): Promise<boolean> {
    await this.lockPayableOf(campaignId, tx);
    const row = await this.repo.lockHoldback(campaignId, tx);
    if (!row || row.status !== 'HELD') return false;
    if (!(await this.deliveryComplete(campaignId, tx))) return false;
    return this.release(row, 'DELIVERY_CONFIRMED', tx);
  }

  /** Every settled pledge to a physical tier is confirmed delivered or was refunded as late. */
  private async deliveryComplete(campaignId: string, tx: Tx): Promise<boolean> {
    // One transaction is one connection: its reads go one after the other (pg 9 refuses overlap).
    const plan = await this.repo.planOf(campaignId, tx);
    const pledges = await this.pledges.settledOf(campaignId, tx);
    const shipments = await this.repo.shipmentsOf(campaignId, tx);
    const refunds = await this.repo.refundsOf(campaignId, tx);
    const physical = new Set(plan.filter((p) => p.physical).map((p) => p.tierId));
    const owed = pledges.filter((p) => p.rewardTierId !== null && physical.has(p.rewardTierId));
    if (owed.length === 0) return false;
    const delivered = new Set(
      shipments.filter((s) => s.status === 'DELIVERED').map((s) => s.pledgeId),
    );
    const refunded = new Set(refunds.map((r) => r.pledgeId));
    return owed.every((p) => delivered.has(p.id) || refunded.has(p.id));
  }

  private async release(row: HoldbackRow, reason: ReleaseReason, tx: Tx): Promise<boolean> {
    const money = (v: string) => Money.fromDecimalString(v, row.currency);
    const rest = money(row.amount).minus(money(row.refunded));
    if (!rest.isZero()) {
      await this.ledger.transfer(
        {
          idempotencyKey: `holdback:${row.campaignId}:release`,
          kind: 'SETTLEMENT',
          debitAccount: holdbackAccount(row.campaignId),
          creditAccount: AccountCodes.founderPayable(row.founderId),
          amount: rest,
          reference: `holdback:${row.campaignId}`,
        },
        tx,
      );
    }
    const now = this.clock.now();
    await this.repo.markReleased(row.campaignId, rest.toString(), reason, now, tx);
    await this.audit.append(
      {
        occurredAt: now,
        actorId: null,
        action: 'fulfilment.holdback_released',
        subjectType: 'campaign',
        subjectId: row.campaignId,
        details: { released: rest.toString(), reason, rules: ['RW-03'] },
      },
      tx,
    );
    // The released money is on the payable: backers' open claims are paid from it first.
    await this.claims.payOpen(row.founderId, tx);
    return true;
  }
}

export function toHoldbackView(row: HoldbackRow): HoldbackView {
  const money = (v: string) => Money.fromDecimalString(v, row.currency);
  return {
    campaignId: row.campaignId,
    currency: row.currency,
    net: money(row.net).toString(),
    rate: row.rate,
    amount: money(row.amount).toString(),
    refunded: money(row.refunded).toString(),
    released: money(row.released).toString(),
    held: money(row.amount).minus(money(row.refunded)).minus(money(row.released)).toString(),
    status: row.status,
    releaseDueAt: row.releaseDueAt.toISOString(),
    releasedAt: row.releasedAt?.toISOString() ?? null,
    releaseReason: row.releaseReason,
  };
}
