import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { Money } from '../../common/money/money.js';
import { NOTICES, type NoticeSink } from '../../common/notices/notices.port.js';
import { rulePackConfig, type RulePackConfig } from '../../config/namespaces.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { LedgerService } from '../escrow-ledger/ledger.service.js';
import { PledgeEnding } from './pledge-ending.service.js';
import { PledgeBatchesRepository } from './pledge-batches.repository.js';
import { PledgeRepository } from './pledge.repository.js';
import { PledgeTotalsRepository } from './pledge-totals.repository.js';
import {
  IN_WINDOW_STATUSES,
  LIVE_PLEDGE_STATUSES,
  nextPledgeStatus,
  type PledgeStatus,
  statusesFor,
} from './pledge.state.js';

/** Notices recorded per statement when a settled campaign's investors are told. */
const NOTICE_CHUNK = 2000;

/** A campaign's pledges summed for the settlement rules (DESIGN §6). */
export interface PledgeTotals {
  live: Money;
  active: Money;
  settled: Money;
  /** Pledges still inside a window: a CLOSING campaign waits for them. */
  inWindow: number;
}

/**
 * What the settlement sweeps ask of pledges (settlement orchestrates; the pledge module alone
 * writes pledge rows): windows that end by time, and the batches that settle or refund a campaign.
 * Every status change goes through pledge.state.ts.
 */
/** One investor's part of a settled campaign: their SETTLED pledges' sum and count. */
export interface SettledInvestor {
  investorId: string;
  amount: Money;
  pledges: number;
}

@Injectable()
export class PledgeLifecycle {
  constructor(
    private readonly pledges: PledgeRepository,
    private readonly batches: PledgeBatchesRepository,
    private readonly sums: PledgeTotalsRepository,
    private readonly ending: PledgeEnding,
    private readonly ledger: LedgerService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(NOTICES) private readonly notices: NoticeSink,
    @Inject(rulePackConfig.KEY) private readonly pack: RulePackConfig,
  ) {}

  /** CN-PF-06 -> CN-PF-07: pledges whose cooling-off ended move on (one statement, SKIP LOCKED). */
  async endCoolingOff(now: Date, limit = 10_000): Promise<number> {
    const facts = (confirmationRequired: boolean) =>
      nextPledgeStatus(
        { status: 'COOLING_OFF', confirmationRequired, resumeStatus: null },
        'COOLING_OFF_ENDED',
      );
    const withCall = facts(true);
    const withoutCall = facts(false);
    if (!withCall || !withoutCall) throw new Error('COOLING_OFF_ENDED moves nothing');
    const moved = await this.transactions.run(async (tx) => {
      const rows = await this.pledges.endCoolingOff(
        now,
        limit,
        statusesFor('COOLING_OFF_ENDED'),
        { withCall, withoutCall },
        tx,
      );
      await this.notices.record(
        rows.map((p) => ({
          recipientId: p.investorId,
          type:
            p.status === withCall
              ? ('pledge.confirmation_call_due' as const)
              : ('pledge.cooling_off_ended' as const),
          campaignId: p.campaignId,
          params: {
            pledgeId: p.id,
            status: p.status,
            amount: p.amount,
            currency: p.currency,
            // CN-PF-07: the call must come within the window after cooling-off, or it lapses.
            deadline: new Date(
              p.coolingOffEndsAt.getTime() +
                this.pack.parameters.confirmationCallTimeoutHours * 3_600_000,
            ).toISOString(),
          },
          dedupeKey: `pledge:${p.id}:cooling_off_ended`,
        })),
        tx,
      );
      return rows.length;
    });
    return moved;
  }

  async totals(campaignId: string, currency: string, tx: Tx): Promise<PledgeTotals> {
    const byStatus = await this.sums.totalsByStatus(campaignId, tx);
    const sum = (statuses: readonly PledgeStatus[]) =>
      statuses.reduce(
        (acc, s) => acc.plus(Money.fromDecimalString(byStatus.get(s)?.total ?? '0', currency)),
        Money.zero(currency),
      );
    return {
      live: sum(LIVE_PLEDGE_STATUSES),
      active: sum(statusesFor('SETTLE')),
      settled: sum(['SETTLED']),
      inWindow: IN_WINDOW_STATUSES.reduce((n, s) => n + (byStatus.get(s)?.count ?? 0), 0),
    };
  }

  /**
   * Each investor's settled principal on a campaign and how many of their pledges settled, by
   * investor id (lending's claims register, issue 14; the settled notice, issue 18). One read of
   * the campaign's pledges, which settlement's last step shares (SettledCampaign.investors).
   */
  async settledByInvestor(
    campaignId: string,
    currency: string,
    tx: Tx,
  ): Promise<SettledInvestor[]> {
    const rows = await this.sums.settledByInvestor(campaignId, tx);
    return rows.map((r) => ({
      investorId: r.investorId,
      amount: Money.fromDecimalString(r.total, currency),
      pledges: r.count,
    }));
  }

  /**
   * Posts one batch of ACTIVE holds and settles those pledges: how many, and their sum. The
   * investors hear of it once per campaign, when the last batch is done (`announceSettled`).
   */
  async settleBatch(
    campaignId: string,
    currency: string,
    limit: number,
    tx: Tx,
  ): Promise<{ count: number; amount: Money }> {
    // One status settles (ACTIVE), so the batch is an index range in created_at order.
    const [from, ...others] = statusesFor('SETTLE');
    if (others.length > 0) throw new Error('SETTLE from more than one status');
    const to = nextPledgeStatus(
      { status: from, confirmationRequired: false, resumeStatus: null },
      'SETTLE',
    );
    if (to === null) throw new Error('SETTLE moves nothing');
    // In the same statement: the pledges are SETTLED exactly when their holds are posted.
    const moved = await this.batches
      .moveOldestPostingHolds(campaignId, from, to, limit, this.clock.now(), tx)
      .catch((error: unknown) => {
        throw this.ledger.translateWriteError(error, []);
      });
    return { count: moved.count, amount: Money.fromDecimalString(moved.total, currency) };
  }

  /**
   * Pledges of a campaign inside a window (cooling-off, a call, a reconfirmation): a CLOSING
   * campaign waits for them. Counted from the index alone, without summing every pledge.
   */
  inWindow(campaignId: string, tx: Tx): Promise<number> {
    return this.sums.countInStatuses(campaignId, IN_WINDOW_STATUSES, tx);
  }

  /**
   * One `pledge.settled` notice per investor of a settled campaign, with how many of their pledges
   * settled and their sum (issue 18: one notice per investor, not one per pledge; an investor with
   * 40 pledges hears once). In the settling transaction, so it commits with SETTLED. `investors`:
   * `settledByInvestor` of the campaign, read once by the caller.
   */
  async announceSettled(
    campaignId: string,
    currency: string,
    investors: readonly SettledInvestor[],
    tx: Tx,
  ): Promise<number> {
    for (let i = 0; i < investors.length; i += NOTICE_CHUNK) {
      await this.notices.record(
        investors.slice(i, i + NOTICE_CHUNK).map((r) => ({
          recipientId: r.investorId,
          type: 'pledge.settled' as const,
          campaignId,
          params: { pledges: r.pledges, amount: r.amount.toString(), currency },
          dedupeKey: `campaign:${campaignId}:settled`,
        })),
        tx,
      );
    }
    return investors.length;
  }

  /** Voids one batch of live holds of a failed or cancelled campaign; how many it refunded. */
  async refundBatch(campaignId: string, limit: number, tx: Tx): Promise<number> {
    const batch = await this.batches.lockBatch(campaignId, statusesFor('REFUND'), limit, tx);
    const ended = await this.ending.end(
      batch,
      'REFUND',
      { id: null, action: 'pledge.refunded', reason: 'campaign failed or cancelled' },
      tx,
    );
    return ended.length;
  }
}
