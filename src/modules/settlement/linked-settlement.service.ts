import { Injectable } from '@nestjs/common';
import { Money } from '../../common/money/money.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { CampaignTransitions } from '../campaign/campaign-transitions.service.js';
import type { CampaignEntity } from '../campaign/campaign.entities.js';
import { closeOutcome, settleOutcome } from '../campaign/campaign.state.js';
import { CampaignLinks, type LockedPair } from '../campaign/linked-raise/campaign-links.service.js';
import {
  type CampaignLink,
  linkedCloseStep,
  linkedSettleStep,
} from '../campaign/linked-raise/linked-raise.rules.js';
import { PledgeLifecycle, type PledgeTotals } from '../pledge/pledge-lifecycle.service.js';
import { SettlementCompletion } from './settlement-completion.js';

export interface PairDecision {
  settled: number;
  failed: number;
}

const NOTHING: PairDecision = { settled: 0, failed: 0 };

/**
 * The sweeps of a linked raise (issue 15, 投贷联动): one EQUITY and one DEBT campaign that succeed
 * or fail together (RW-01 applied to the pair). Each step is ONE transaction that locks both
 * campaign rows in id order (SKIP LOCKED: a pair another sweeper holds is left to it):
 * - at the deadline both close together: both CLOSING if both met their targets, else both FAILED
 *   (the side that met it names its partner in the reason); a partner that never went live, was
 *   cancelled or failed fails this side too; a SUSPENDED partner makes the pair wait;
 * - in CLOSING the pair waits while either side has pledges in a window; a side that falls short
 *   fails both; when both may settle, every hold of both is posted, both are paid out, handed over
 *   (lending's loan, holdings' register) and SETTLED in the one transaction, so a crash leaves
 *   neither settled or both (INV-12 for each).
 * FAILED sides refund as any failed campaign does (SettlementService.refund).
 */
@Injectable()
export class LinkedSettlement {
  constructor(
    private readonly links: CampaignLinks,
    private readonly campaigns: CampaignTransitions,
    private readonly pledges: PledgeLifecycle,
    private readonly completion: SettlementCompletion,
    private readonly transactions: TransactionRunner,
  ) {}

  /** `id` (LIVE) is past its deadline: how many campaigns of the pair left LIVE. */
  close(link: CampaignLink, id: string, now: Date): Promise<number> {
    return this.transactions.run(async (tx) => {
      const pair = await this.links.lockPairForSweep(link, tx);
      if (!pair) return 0;
      const { self, partner } = sides(pair, id);
      if (self.status !== 'LIVE' || self.deadline > now) return 0;
      const step = linkedCloseStep(partner, now);
      if (step === 'WAIT') return 0;
      if (step === 'FAIL') {
        await this.move(self, 'DEADLINE_TARGET_MISSED', partnerReason(partner), tx);
        return 1;
      }
      const both = step === 'CLOSE_PAIR' ? byId(pair) : [self];
      const live = new Map<string, Money>();
      for (const c of both) live.set(c.id, (await this.pledges.totals(c.id, c.currency, tx)).live);
      const met = (c: CampaignEntity) =>
        closeOutcome(c.fundingModel, amount(live, c), money(c, c.targetAmount)) ===
        'DEADLINE_TARGET_MET';
      const allMet = both.every(met);
      for (const c of both) {
        const committed = `deadline reached with ${amount(live, c).toString()} committed`;
        if (allMet) await this.move(c, 'DEADLINE_TARGET_MET', `${committed} (linked raise)`, tx);
        else if (!met(c)) await this.move(c, 'DEADLINE_TARGET_MISSED', committed, tx);
        else await this.move(c, 'DEADLINE_TARGET_MISSED', missedBy(other(pair, c), 'missed'), tx);
      }
      return both.length;
    });
  }

  /** `id` is CLOSING: decide the pair (wait, fail both, or settle both in this transaction). */
  settle(link: CampaignLink, id: string): Promise<PairDecision> {
    return this.transactions.run(async (tx) => {
      const pair = await this.links.lockPairForSweep(link, tx);
      if (!pair) return NOTHING;
      const { self, partner } = sides(pair, id);
      if (self.status !== 'CLOSING') return NOTHING;
      const step = linkedSettleStep(partner);
      if (step === 'WAIT') return NOTHING;
      if (step === 'FAIL') {
        await this.move(self, 'FALL_SHORT', partnerReason(partner), tx);
        return { settled: 0, failed: 1 };
      }
      const both = byId(pair);
      const totals = new Map<string, PledgeTotals>();
      for (const c of both) totals.set(c.id, await this.pledges.totals(c.id, c.currency, tx));
      const gross = (c: CampaignEntity) => {
        const t = totalsOf(totals, c);
        return t.active.plus(t.settled);
      };
      const outcome = (c: CampaignEntity) => {
        const t = totalsOf(totals, c);
        return settleOutcome({
          fundingModel: c.fundingModel,
          pledgesInWindow: t.inWindow,
          active: t.active,
          settled: t.settled,
          target: money(c, c.targetAmount),
        });
      };
      if (both.some((c) => outcome(c) === 'FALL_SHORT')) {
        for (const c of both) {
          const reason =
            outcome(c) === 'FALL_SHORT'
              ? `windows resolved with ${gross(c).toString()} committed`
              : missedBy(other(pair, c), 'fell short of');
          await this.move(c, 'FALL_SHORT', reason, tx);
        }
        return { settled: 0, failed: 2 };
      }
      if (both.some((c) => outcome(c) === 'WAIT')) return NOTHING;
      // Both settle, all of it in this transaction: every batch of both sides, both pay-outs,
      // both hand-overs (the loan, the register) and both SETTLE transitions.
      for (const c of both) {
        while ((await this.completion.settleBatch(c, tx)).count > 0);
        await this.completion.complete(c, tx);
      }
      return { settled: 2, failed: 0 };
    });
  }

  private async move(
    campaign: CampaignEntity,
    event: 'DEADLINE_TARGET_MET' | 'DEADLINE_TARGET_MISSED' | 'FALL_SHORT',
    reason: string,
    tx: Tx,
  ): Promise<void> {
    await this.campaigns.apply(campaign, { event, actorId: null, reason }, tx);
  }
}

function sides(pair: LockedPair, id: string) {
  return pair.equity.id === id
    ? { self: pair.equity, partner: pair.debt }
    : { self: pair.debt, partner: pair.equity };
}

function other(pair: LockedPair, c: CampaignEntity): CampaignEntity {
  return c.id === pair.equity.id ? pair.debt : pair.equity;
}

/** The pair in one fixed order (by id), as every writer of a pair takes it. */
function byId(pair: LockedPair): CampaignEntity[] {
  return [pair.equity, pair.debt].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function partnerReason(partner: CampaignEntity): string {
  return `linked raise: the ${partner.kind} campaign ${partner.id} is ${partner.status}`;
}

function missedBy(partner: CampaignEntity, what: string): string {
  return `linked raise: the ${partner.kind} campaign ${partner.id} ${what} its target`;
}

function money(c: CampaignEntity, v: string): Money {
  return Money.fromDecimalString(v, c.currency);
}

function amount(map: Map<string, Money>, c: CampaignEntity): Money {
  return map.get(c.id) ?? Money.zero(c.currency);
}

function totalsOf(map: Map<string, PledgeTotals>, c: CampaignEntity): PledgeTotals {
  const t = map.get(c.id);
  if (!t) throw new Error(`no totals for campaign ${c.id}`);
  return t;
}
