import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { Money } from '../../common/money/money.js';
import { ledgerConfig, type LedgerConfig } from '../../config/namespaces.js';
import { TransactionRunner } from '../../database/transaction.js';
import { CampaignReview } from '../campaign/campaign-review.service.js';
import { CampaignTransitions } from '../campaign/campaign-transitions.service.js';
import type { CampaignEntity } from '../campaign/campaign.entities.js';
import { closeOutcome, settleOutcome } from '../campaign/campaign.state.js';
import { CampaignLinks } from '../campaign/linked-raise/campaign-links.service.js';
import { ConfirmationCalls } from '../pledge/confirmation-calls.service.js';
import { PledgeLifecycle } from '../pledge/pledge-lifecycle.service.js';
import { PledgeReconfirmations } from '../pledge/pledge-reconfirmation.service.js';
import { LinkedSettlement } from './linked-settlement.service.js';
import { SettlementCompletion } from './settlement-completion.js';

/** Pledges posted under the exclusive lock before a run's batches go parallel (see settle()). */
const FIRST_BATCH = 1;

export interface SweepReport {
  /** Material disclosure changes no in-process event had applied (CN-SUIT-14). */
  materialChangesApplied: number;
  /** LIVE campaigns suspended because their founder's BLOCKING record came into force (PLAT-03). */
  suspended: number;
  coolingOffEnded: number;
  reconfirmationsExpired: number;
  unconfirmedCancelled: number;
  closed: number;
  settled: number;
  failed: number;
  refunded: number;
}

/**
 * The time-driven side of DESIGN §6, as idempotent sweeps: settlement orchestrates, the pledge and
 * campaign modules change their own rows through their state tables. Every step is one short
 * transaction that locks its rows with SKIP LOCKED, so several instances can run them side by side,
 * and a crash at any point leaves work that the next run finishes exactly once (ledger posts and
 * voids are idempotent by key; pledge rows change status in the same transaction as their money).
 */
@Injectable()
export class SettlementService {
  constructor(
    private readonly campaigns: CampaignTransitions,
    private readonly review: CampaignReview,
    private readonly pledges: PledgeLifecycle,
    private readonly calls: ConfirmationCalls,
    private readonly reconfirmations: PledgeReconfirmations,
    private readonly completion: SettlementCompletion,
    private readonly links: CampaignLinks,
    private readonly linked: LinkedSettlement,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(ledgerConfig.KEY) private readonly config: LedgerConfig,
  ) {}

  async runOnce(): Promise<SweepReport> {
    const now = this.clock.now();
    const report: SweepReport = {
      materialChangesApplied: await this.reconfirmations.applyMissed(),
      suspended: await this.review.suspendBlockedFounders(),
      coolingOffEnded: await this.pledges.endCoolingOff(now),
      unconfirmedCancelled: await this.calls.cancelUnconfirmed(now),
      reconfirmationsExpired: await this.reconfirmations.cancelExpired(),
      closed: 0,
      settled: 0,
      failed: 0,
      refunded: 0,
    };
    for (const id of await this.campaigns.idsInStatus('LIVE', now, 500)) {
      // Issue 15: the two sides of a linked raise close together (LinkedSettlement).
      const link = await this.links.linkOf(id);
      if (link) report.closed += await this.linked.close(link, id, now);
      else if (await this.close(id, now)) report.closed++;
    }
    for (const id of await this.campaigns.idsInStatus('CLOSING', null, 500)) {
      const link = await this.links.linkOf(id);
      if (link) {
        const decided = await this.linked.settle(link, id);
        report.settled += decided.settled;
        report.failed += decided.failed;
        continue;
      }
      const outcome = await this.settle(id);
      if (outcome === 'SETTLED') report.settled++;
      if (outcome === 'FAILED') report.failed++;
    }
    for (const status of ['FAILED', 'CANCELLED'] as const) {
      for (const id of await this.campaigns.idsInStatus(status, null, 500)) {
        if (await this.refund(id, status)) report.refunded++;
      }
    }
    return report;
  }

  /** LIVE past its deadline -> CLOSING if it may still succeed, else FAILED (RW-01/02). */
  private close(id: string, now: Date): Promise<boolean> {
    return this.transactions.run(async (tx) => {
      const campaign = await this.campaigns.lockForSweep(id, 'LIVE', tx);
      if (!campaign || campaign.deadline > now) return false;
      const { live } = await this.pledges.totals(id, campaign.currency, tx);
      const event = closeOutcome(
        campaign.fundingModel,
        live,
        this.money(campaign, campaign.targetAmount),
      );
      await this.campaigns.apply(
        campaign,
        { event, actorId: null, reason: `deadline reached with ${live.toString()} committed` },
        tx,
      );
      return true;
    });
  }

  /**
   * CLOSING -> SETTLED once no pledge is inside a window: post every ACTIVE hold in batches, then
   * SettlementCompletion pays out, hands over and settles; escrow ends at exactly zero (INV-12).
   * Or -> FAILED if the resolved windows left it short.
   */
  private async settle(id: string): Promise<'SETTLED' | 'FAILED' | null> {
    // What this run's committed batches settled. Once it is not zero, settleOutcome can only
    // answer SETTLE or WAIT, so a batch counts the pledges in a window (from the index) instead of
    // summing all the campaign's pledges again (issue 18: 100,000 pledges are 50 batches).
    let settledByThisRun: Money | null = null;
    for (;;) {
      const step = await this.transactions.run(async (tx) => {
        const campaign = await this.campaigns.lockForSweep(id, 'CLOSING', tx);
        if (!campaign) return { step: 'DONE' as const };
        const totals =
          settledByThisRun === null
            ? await this.pledges.totals(id, campaign.currency, tx)
            : {
                inWindow: await this.pledges.inWindow(id, tx),
                active: Money.zero(campaign.currency),
                settled: settledByThisRun,
              };
        const outcome = settleOutcome({
          fundingModel: campaign.fundingModel,
          pledgesInWindow: totals.inWindow,
          active: totals.active,
          settled: totals.settled,
          target: this.money(campaign, campaign.targetAmount),
        });
        if (outcome === 'WAIT') return { step: 'DONE' as const };
        if (outcome === 'FALL_SHORT') {
          const gross = totals.active.plus(totals.settled);
          await this.campaigns.apply(
            campaign,
            {
              event: 'FALL_SHORT',
              actorId: null,
              reason: `windows resolved with ${gross.toString()} committed`,
            },
            tx,
          );
          return { step: 'FAILED' as const };
        }
        // The first batch of a run only has to make the outcome final (settled > 0): one pledge,
        // so the campaign's other batches run side by side in drain() sooner (issue 18: a whole
        // batch here was 0.16 s of 100,000 pledges' settle with one worker busy).
        const batch = await this.completion.settleBatch(
          campaign,
          tx,
          settledByThisRun === null ? FIRST_BATCH : undefined,
        );
        if (batch.count > 0) return { step: 'MORE' as const, amount: batch.amount };
        // Every hold is posted: completion sums the gross from the campaign's pledges, once.
        await this.completion.complete(campaign, tx);
        return { step: 'SETTLED' as const };
      });
      if (step.step === 'MORE') {
        settledByThisRun = (settledByThisRun ?? Money.zero(step.amount.currency)).plus(step.amount);
        // The outcome is decided (it can only be SETTLE or WAIT now): the other batches run side
        // by side; the loop then finishes under the exclusive lock.
        settledByThisRun = settledByThisRun.plus(await this.drain(id, step.amount.currency));
        continue;
      }
      return step.step === 'DONE' ? null : step.step;
    }
  }

  /**
   * Issue 18: a CLOSING campaign's remaining batches, `settlementWorkers` transactions at once, each
   * holding the campaign's row FOR SHARE (so no transition and no other row lock comes between, as
   * under the exclusive lock) and stopping at the first batch that finds nothing to post or a pledge
   * in a window (the exclusive loop then waits). Batches never overlap: each locks its pledges SKIP
   * LOCKED. The sum of what they settled.
   */
  private async drain(id: string, currency: string): Promise<Money> {
    const worker = async (): Promise<Money> => {
      let settled = Money.zero(currency);
      for (;;) {
        const amount = await this.transactions.run(async (tx) => {
          const campaign = await this.campaigns.shareForSweep(id, 'CLOSING', tx);
          if (!campaign || (await this.pledges.inWindow(id, tx)) > 0) return null;
          const batch = await this.completion.settleBatch(campaign, tx);
          return batch.count > 0 ? batch.amount : null;
        });
        if (amount === null) return settled;
        settled = settled.plus(amount);
      }
    };
    const workers = await Promise.allSettled(
      Array.from({ length: this.config.settlementWorkers }, worker),
    );
    const failed = workers.find((w) => w.status === 'rejected');
    if (failed) throw failed.reason;
    return Money.sum(
      workers.map((w) => (w.status === 'fulfilled' ? w.value : Money.zero(currency))),
      currency,
    );
  }

  /** FAILED -> REFUNDED (and CANCELLED campaigns): void every live hold, batch by batch. */
  private async refund(id: string, status: 'FAILED' | 'CANCELLED'): Promise<boolean> {
    for (;;) {
      const step = await this.transactions.run(async (tx) => {
        const campaign = await this.campaigns.lockForSweep(id, status, tx);
        if (!campaign) return 'DONE' as const;
        if ((await this.pledges.refundBatch(id, this.config.settlementBatchSize, tx)) > 0)
          return 'MORE' as const;
        if (status === 'FAILED') {
          await this.campaigns.apply(
            campaign,
            { event: 'REFUNDS_DONE', actorId: null, reason: 'every hold voided' },
            tx,
          );
          return 'REFUNDED' as const;
        }
        return 'DONE' as const;
      });
      if (step === 'MORE') continue;
      return step === 'REFUNDED';
    }
  }

  private money(campaign: CampaignEntity, v: string): Money {
    return Money.fromDecimalString(v, campaign.currency);
  }
}
