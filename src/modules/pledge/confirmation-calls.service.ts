import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { NOTICES, type NoticeSink } from '../../common/notices/notices.port.js';
import {
  ledgerConfig,
  type LedgerConfig,
  rulePackConfig,
  type RulePackConfig,
} from '../../config/namespaces.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import type { PageRequest } from '../../database/keyset-page.js';
import { TransactionRunner } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { PledgeEnding } from './pledge-ending.service.js';
import { PledgeErrors } from './pledge.errors.js';
import { ConfirmationCallsRepository } from './confirmation-calls.repository.js';
import { PledgeRepository, toDuePledge } from './pledge.repository.js';
import { confirmationCallCheck, nextPledgeStatus, statusesFor } from './pledge.state.js';
import { type PledgeView, toPledgeView } from './pledge.view.js';

const HOUR_MS = 3_600_000;

export type CallOutcome = 'CONFIRMED' | 'RESCINDED' | 'UNREACHABLE';

/** One entry of ADMIN's call queue (issue 17): who to call, from when, and by when. */
export interface CallQueueEntry {
  pledgeId: string;
  campaignId: string;
  investorId: string;
  amount: string;
  currency: string;
  status: string;
  /** The call may be made from here on (the end of cooling-off, CN-PF-06). */
  callableFrom: string;
  /** Without a CONFIRMED call by then, the sweep cancels the pledge, money back (CN-PF-07/08). */
  dueBy: string;
  lastCall: { outcome: string; calledAt: string } | null;
}

/**
 * The confirmation call (回访, CN-PF-07/08): recorded by ADMIN only after cooling-off; CONFIRMED
 * makes the pledge ACTIVE, RESCINDED cancels it with a full refund, UNREACHABLE is recorded and
 * the pledge keeps waiting until the call window times out (then it is cancelled, money back).
 */
@Injectable()
export class ConfirmationCalls {
  constructor(
    private readonly pledges: PledgeRepository,
    private readonly callLog: ConfirmationCallsRepository,
    private readonly ending: PledgeEnding,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(rulePackConfig.KEY) private readonly pack: RulePackConfig,
    @Inject(ledgerConfig.KEY) private readonly config: LedgerConfig,
    @Inject(NOTICES) private readonly notices: NoticeSink,
  ) {}

  async record(
    adminId: string,
    pledgeId: string,
    input: { outcome: CallOutcome; notes: string },
  ): Promise<PledgeView> {
    return this.transactions.run(async (tx) => {
      const pledge = await this.pledges.lock(pledgeId, tx);
      if (!pledge) throw new NotFoundError('Pledge');
      const now = this.clock.now();
      const check = confirmationCallCheck(pledge, now);
      if (check === 'TOO_EARLY')
        throw PledgeErrors.callTooEarly(pledge.coolingOffEndsAt?.toISOString() ?? '');
      if (check === 'NOT_AWAITING') throw PledgeErrors.notAwaitingCall(pledge.status);
      await this.callLog.insertCall(
        {
          id: randomUUID(),
          pledgeId,
          adminId,
          outcome: input.outcome,
          notes: input.notes,
          calledAt: now,
        },
        tx,
      );
      if (input.outcome === 'RESCINDED') {
        await this.pledges.lockInvestors([pledge.investorId], tx); // INV-7, before money moves
        await this.ending.end(
          [toDuePledge(pledge)],
          'CALL_RESCINDED',
          { id: adminId, action: 'pledge.rescinded', reason: 'RESCINDED at the confirmation call' },
          tx,
        );
      } else {
        const event = input.outcome === 'CONFIRMED' ? 'CALL_CONFIRMED' : 'CALL_UNREACHABLE';
        const to = nextPledgeStatus(pledge, event);
        if (to !== null && to !== pledge.status)
          await this.pledges.transition([pledgeId], statusesFor(event), to, now, tx);
      }
      await this.audit.append(
        {
          occurredAt: now,
          actorId: adminId,
          action: 'pledge.confirmation_call',
          subjectType: 'pledge',
          subjectId: pledgeId,
          details: {
            outcome: input.outcome,
            campaignId: pledge.campaignId,
            rules: ['CN-PF-07', 'CN-PF-08'],
          },
        },
        tx,
      );
      await this.notices.record(
        [
          {
            recipientId: pledge.investorId,
            type: 'pledge.confirmation_call_recorded',
            campaignId: pledge.campaignId,
            params: {
              pledgeId,
              outcome: input.outcome,
              amount: pledge.amount,
              currency: pledge.currency,
            },
            dedupeKey: `pledge:${pledgeId}:call:${now.toISOString()}`,
          },
        ],
        tx,
      );
      const after = await this.pledges.find(pledgeId, tx);
      if (!after) throw new NotFoundError('Pledge');
      return toPledgeView(after);
    });
  }

  /** Pledges that need the call (the statuses CALL_CONFIRMED applies to), earliest due first. */
  /** ADMIN's call queue, the earliest cooling-off end first, in cursor pages (issue 16). */
  queue(page: PageRequest): Promise<Page<CallQueueEntry>> {
    const window = this.pack.parameters.confirmationCallTimeoutHours * HOUR_MS;
    return this.callLog.queue(statusesFor('CALL_CONFIRMED'), page, (r) => ({
      pledgeId: r.id,
      campaignId: r.campaignId,
      investorId: r.investorId,
      amount: r.amount,
      currency: r.currency,
      status: r.status,
      callableFrom: r.coolingOffEndsAt.toISOString(),
      dueBy: new Date(r.coolingOffEndsAt.getTime() + window).toISOString(),
      lastCall:
        r.lastOutcome && r.lastCalledAt
          ? { outcome: r.lastOutcome, calledAt: r.lastCalledAt.toISOString() }
          : null,
    }));
  }

  /** Sweep (CN-PF-07/08): pledges left unconfirmed past the call window are cancelled, money back. */
  async cancelUnconfirmed(now: Date): Promise<number> {
    const confirmBefore = new Date(
      now.getTime() - this.pack.parameters.confirmationCallTimeoutHours * HOUR_MS,
    );
    let cancelled = 0;
    for (;;) {
      const n = await this.transactions.run(async (tx) => {
        const due = await this.pledges.lockUnconfirmed(
          statusesFor('CALL_TIMED_OUT'),
          confirmBefore,
          this.config.settlementBatchSize,
          tx,
        );
        if (due.length === 0) return 0;
        // INV-7: the campaign may be LIVE, so a pledge by one of these investors may be committing.
        await this.pledges.lockInvestors(
          due.map((p) => p.investorId),
          tx,
        );
        await this.ending.end(
          due,
          'CALL_TIMED_OUT',
          {
            id: null,
            action: 'pledge.confirmation_timed_out',
            reason: 'no confirmation call in time',
          },
          tx,
        );
        return due.length;
      });
      cancelled += n;
      if (n < this.config.settlementBatchSize) return cancelled;
    }
  }
}
