import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { Money } from '../../common/money/money.js';
import {
  ledgerConfig,
  type LedgerConfig,
  rulePackConfig,
  type RulePackConfig,
} from '../../config/namespaces.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import type { CampaignStatus } from '../campaign/campaign.state.js';
import { LedgerService } from '../escrow-ledger/ledger.service.js';
import { AccountCodes } from '../escrow-ledger/ledger.types.js';
import { LIVE_PLEDGE_STATUSES } from '../pledge/pledge.entity.js';
import { PledgeRepository } from '../pledge/pledge.repository.js';
import { PledgeService } from '../pledge/pledge.service.js';
import {
  type DuePledge,
  SettlementRepository,
  type SettlingCampaign,
} from './settlement.repository.js';

const HOUR_MS = 3_600_000;
/** Pledges still inside a window: a closing campaign waits for them (DESIGN §6). */
const IN_WINDOW = ['COOLING_OFF', 'AWAITING_CONFIRMATION', 'AWAITING_RECONFIRMATION'] as const;

export interface SweepReport {
  /** Material disclosure changes no in-process event had applied (CN-SUIT-14). */
  materialChangesApplied: number;
  coolingOffEnded: number;
  reconfirmationsExpired: number;
  unconfirmedCancelled: number;
  closed: number;
  settled: number;
  failed: number;
  refunded: number;
}

/**
 * The time-driven side of DESIGN §6, as idempotent sweeps: every step is one short transaction
 * that locks its rows with SKIP LOCKED, so several instances can run them side by side, and a
 * crash at any point leaves work that the next run finishes exactly once (ledger posts and voids
 * are idempotent by key; pledge rows change status in the same transaction as their money).
 */
@Injectable()
export class SettlementService {
  private readonly logger = new Logger('Settlement');

  constructor(
    private readonly sweeps: SettlementRepository,
    private readonly pledges: PledgeRepository,
    private readonly pledgeService: PledgeService,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(rulePackConfig.KEY) private readonly pack: RulePackConfig,
    @Inject(ledgerConfig.KEY) private readonly config: LedgerConfig,
  ) {}

  async runOnce(): Promise<SweepReport> {
    const report: SweepReport = {
      materialChangesApplied: 0,
      coolingOffEnded: 0,
      unconfirmedCancelled: 0,
      reconfirmationsExpired: 0,
      closed: 0,
      settled: 0,
      failed: 0,
      refunded: 0,
    };
    const now = this.clock.now();
    report.materialChangesApplied = await this.pledgeService.applyMissedMaterialChanges();
    report.coolingOffEnded = await this.sweeps.endCoolingOff(now, 10_000);
    report.unconfirmedCancelled = await this.cancelUnconfirmed(now);
    report.reconfirmationsExpired = await this.pledgeService.cancelExpiredReconfirmations();
    for (const id of await this.sweeps.campaignIds('LIVE', now, 500)) {
      const to = await this.close(id, now);
      if (to) report.closed++;
    }
    for (const id of await this.sweeps.campaignIds('CLOSING', null, 500)) {
      const outcome = await this.settle(id);
      if (outcome === 'SETTLED') report.settled++;
      if (outcome === 'FAILED') report.failed++;
    }
    for (const status of ['FAILED', 'CANCELLED'] as const) {
      for (const id of await this.sweeps.campaignIds(status, null, 500)) {
        if (await this.refund(id, status)) report.refunded++;
      }
    }
    return report;
  }

  /** CN-PF-07/08: a pledge not confirmed within the window after cooling-off is cancelled, money back. */
  private async cancelUnconfirmed(now: Date): Promise<number> {
    const confirmBefore = new Date(
      now.getTime() - this.pack.parameters.confirmationCallTimeoutHours * HOUR_MS,
    );
    let cancelled = 0;
    for (;;) {
      const n = await this.transactions.run(async (tx) => {
        const due = await this.sweeps.lockUnconfirmed(
          confirmBefore,
          this.config.settlementBatchSize,
          tx,
        );
        if (due.length === 0) return 0;
        // INV-7: the campaign is LIVE, so a pledge by one of these investors may be committing
        await this.pledges.lockInvestors(
          due.map((p) => p.investorId),
          tx,
        );
        await this.releasePledges(due, 'CANCELLED', tx);
        return due.length;
      });
      cancelled += n;
      if (n < this.config.settlementBatchSize) return cancelled;
    }
  }

  /** LIVE past its deadline -> CLOSING if it may still succeed, else FAILED (RW-01/02). */
  private close(id: string, now: Date): Promise<CampaignStatus | null> {
    return this.transactions.run(async (tx) => {
      const campaign = await this.sweeps.lockCampaign(id, 'LIVE', tx);
      if (!campaign) return null;
      const totals = await this.sweeps.pledgeTotals(id, tx);
      const live = this.sum(campaign, totals, LIVE_PLEDGE_STATUSES);
      const succeeds =
        campaign.fundingModel === 'FLEXIBLE'
          ? !live.isZero()
          : !live.lessThan(this.money(campaign, campaign.targetAmount));
      const to: CampaignStatus = succeeds ? 'CLOSING' : 'FAILED';
      await this.move(campaign, to, `deadline reached with ${live.toString()} committed`, now, tx);
      return to;
    });
  }

  /**
   * CLOSING -> SETTLED once no pledge is inside a window: post every ACTIVE hold in batches, then
   * pay the founder the net and the platform the fee (fee = gross x rate, half-up to the fen);
   * escrow ends at exactly zero (INV-12). Or -> FAILED if the resolved windows left it short.
   */
  private async settle(id: string): Promise<'SETTLED' | 'FAILED' | null> {
    for (;;) {
      const step = await this.transactions.run(async (tx) => {
        const campaign = await this.sweeps.lockCampaign(id, 'CLOSING', tx);
        if (!campaign) return 'DONE' as const;
        const totals = await this.sweeps.pledgeTotals(id, tx);
        if (IN_WINDOW.some((s) => (totals.get(s)?.count ?? 0) > 0)) return 'DONE' as const; // wait for the windows
        const now = this.clock.now();
        const active = this.sum(campaign, totals, ['ACTIVE']);
        const settled = this.sum(campaign, totals, ['SETTLED']);
        const gross = active.plus(settled);
        const target = this.money(campaign, campaign.targetAmount);
        if (
          settled.isZero() &&
          (campaign.fundingModel === 'FLEXIBLE' ? gross.isZero() : gross.lessThan(target))
        ) {
          await this.move(
            campaign,
            'FAILED',
            `windows resolved with ${gross.toString()} committed`,
            now,
            tx,
          );
          return 'FAILED' as const;
        }
        const batch = await this.sweeps.lockPledges(
          id,
          ['ACTIVE'],
          this.config.settlementBatchSize,
          tx,
        );
        if (batch.length > 0) {
          await this.ledger.postMany(
            batch.map((p) => p.holdTransferId),
            tx,
          );
          await this.sweeps.endPledges(
            batch.map((p) => p.id),
            'SETTLED',
            now,
            tx,
          );
          return 'MORE' as const;
        }
        await this.payOut(campaign, gross, tx);
        await this.move(campaign, 'SETTLED', `settled ${gross.toString()}`, now, tx);
        return 'SETTLED' as const;
      });
      if (step === 'MORE') continue;
      return step === 'DONE' ? null : step;
    }
  }

  private async payOut(campaign: SettlingCampaign, gross: Money, tx: Tx): Promise<void> {
    const fee = gross.times(campaign.feeRate, 'HALF_UP');
    const net = gross.minus(fee);
    const escrow = AccountCodes.campaignEscrow(campaign.id);
    const payable = AccountCodes.founderPayable(campaign.founderId);
    await this.ledger.openAccount(payable, 'LIABILITY', campaign.currency, tx);
    if (!net.isZero()) {
      await this.ledger.transfer(
        {
          idempotencyKey: `settle:${campaign.id}:net`,
          kind: 'SETTLEMENT',
          debitAccount: escrow,
          creditAccount: payable,
          amount: net,
          reference: `campaign:${campaign.id}`,
        },
        tx,
      );
    }
    if (!fee.isZero()) {
      await this.ledger.transfer(
        {
          idempotencyKey: `settle:${campaign.id}:fee`,
          kind: 'FEE',
          debitAccount: escrow,
          creditAccount: AccountCodes.platformFees,
          amount: fee,
          reference: `campaign:${campaign.id}`,
        },
        tx,
      );
    }
    await this.audit.append(
      {
        occurredAt: this.clock.now(),
        actorId: null,
        action: 'campaign.settled',
        subjectType: 'campaign',
        subjectId: campaign.id,
        details: {
          gross: gross.toString(),
          feeRate: campaign.feeRate,
          fee: fee.toString(),
          net: net.toString(),
          rules: ['RW-01', 'INV-12'],
        },
      },
      tx,
    );
  }

  /** FAILED -> REFUNDED (and CANCELLED campaigns): void every live hold, batch by batch. */
  private async refund(id: string, status: 'FAILED' | 'CANCELLED'): Promise<boolean> {
    for (;;) {
      const step = await this.transactions.run(async (tx) => {
        const campaign = await this.sweeps.lockCampaign(id, status, tx);
        if (!campaign) return 'DONE' as const;
        const batch = await this.sweeps.lockPledges(
          id,
          LIVE_PLEDGE_STATUSES,
          this.config.settlementBatchSize,
          tx,
        );
        if (batch.length > 0) {
          await this.releasePledges(batch, 'REFUNDED', tx);
          return 'MORE' as const;
        }
        if (status === 'FAILED') {
          await this.move(campaign, 'REFUNDED', 'every hold voided', this.clock.now(), tx);
          return 'REFUNDED' as const;
        }
        return 'DONE' as const;
      });
      if (step === 'MORE') continue;
      return step === 'REFUNDED';
    }
  }

  /** Voids the holds and gives the campaign and tier counters back; pledges end in `status`. */
  private async releasePledges(
    pledges: DuePledge[],
    status: 'CANCELLED' | 'REFUNDED',
    tx: Tx,
  ): Promise<void> {
    const now = this.clock.now();
    await this.ledger.voidMany(
      pledges.map((p) => p.holdTransferId),
      tx,
    );
    await this.sweeps.endPledges(
      pledges.map((p) => p.id),
      status,
      now,
      tx,
    );
    await this.pledges.releaseCounters(
      pledges.map((p) => p.id),
      now,
      tx,
    );
  }

  private async move(
    campaign: SettlingCampaign,
    to: CampaignStatus,
    reason: string,
    now: Date,
    tx: Tx,
  ): Promise<void> {
    await this.sweeps.setCampaignStatus(campaign.id, to, now, tx);
    await this.sweeps.recordTransition(campaign.id, campaign.status, to, reason, now, tx);
    this.logger.log({ campaignId: campaign.id, from: campaign.status, to }, 'campaign transition');
    campaign.status = to;
  }

  private sum(
    campaign: SettlingCampaign,
    totals: Map<string, { total: string }>,
    statuses: readonly string[],
  ): Money {
    return statuses.reduce(
      (acc, s) => acc.plus(this.money(campaign, totals.get(s)?.total ?? '0')),
      Money.zero(campaign.currency),
    );
  }

  private money(campaign: SettlingCampaign, v: string): Money {
    return Money.fromDecimalString(v, campaign.currency);
  }
}
