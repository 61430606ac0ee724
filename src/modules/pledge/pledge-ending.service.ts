import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import {
  type Notice,
  NOTICES,
  type NoticeSink,
  type NoticeType,
} from '../../common/notices/notices.port.js';
import type { Tx } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { LedgerService } from '../escrow-ledger/ledger.service.js';
import { CampaignLeads } from './campaign-leads.service.js';
import { type DuePledge, PledgeRepository } from './pledge.repository.js';
import {
  nextPledgeStatus,
  type PledgeEvent,
  type PledgeStatus,
  statusesFor,
} from './pledge.state.js';

/** The events that end a live pledge with its money returned. */
export type EndingEvent = Extract<
  PledgeEvent,
  'CANCEL' | 'CALL_RESCINDED' | 'CALL_TIMED_OUT' | 'RECONFIRMATION_EXPIRED' | 'REFUND'
>;

const NOTICE_OF: Record<EndingEvent, NoticeType> = {
  CANCEL: 'pledge.cancelled',
  CALL_RESCINDED: 'pledge.cancelled',
  CALL_TIMED_OUT: 'pledge.cancelled_by_timeout',
  RECONFIRMATION_EXPIRED: 'pledge.cancelled_by_timeout',
  REFUND: 'pledge.refunded',
};

/**
 * Ends live pledges with their money returned (DESIGN §4 flows): the status moves through the
 * state table (`WHERE status = ANY(from)`), the holds of exactly the pledges that moved are voided,
 * the campaign's and tiers' counters are given back, and each investor is told, in one transaction.
 * The caller has locked the pledges and, while their campaign may still take pledges, taken the
 * investors' pledge locks (INV-7).
 */
@Injectable()
export class PledgeEnding {
  constructor(
    private readonly pledges: PledgeRepository,
    private readonly ledger: LedgerService,
    private readonly leads: CampaignLeads,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(NOTICES) private readonly notices: NoticeSink,
  ) {}

  /** Returns the pledges that ended (those still in a status the event applies to). */
  async end(
    due: readonly DuePledge[],
    event: EndingEvent,
    actor: { id: string | null; action: string; reason?: string },
    tx: Tx,
  ): Promise<DuePledge[]> {
    if (due.length === 0) return [];
    const now = this.clock.now();
    const to = this.target(event);
    const moved = new Set(
      await this.pledges.transition(
        due.map((p) => p.id),
        statusesFor(event),
        to,
        now,
        tx,
      ),
    );
    const ended = due.filter((p) => moved.has(p.id));
    if (ended.length === 0) return [];
    await this.ledger.voidMany(
      ended.map((p) => p.holdTransferId),
      tx,
    );
    await this.pledges.releaseCounters(
      ended.map((p) => p.id),
      now,
      tx,
    );
    // Issue 15: a lead's pledge that ends while the raise is open may withdraw the lead (after the
    // campaign row, locked by the counters above, as a follower's pledge takes them).
    if (event !== 'REFUND') await this.leads.afterPledgesEnded(ended, tx);
    const single = ended.length === 1 ? ended[0] : null;
    await this.audit.append(
      {
        occurredAt: now,
        actorId: actor.id,
        action: actor.action,
        subjectType: single ? 'pledge' : 'campaign',
        subjectId: single ? single.id : ended[0].campaignId,
        details: {
          event,
          to,
          campaignId: ended[0].campaignId,
          ...(single ? { from: single.status } : { pledges: ended.map((p) => p.id) }),
          ...(actor.reason ? { reason: actor.reason } : {}),
        },
      },
      tx,
    );
    await this.notices.record(
      ended.map((p): Notice => ({
        recipientId: p.investorId,
        type: NOTICE_OF[event],
        campaignId: p.campaignId,
        params: {
          pledgeId: p.id,
          amount: p.amount,
          currency: p.currency,
          reason: actor.reason ?? event,
        },
        dedupeKey: `pledge:${p.id}:${to}`,
      })),
      tx,
    );
    return ended;
  }

  private target(event: EndingEvent): PledgeStatus {
    const to = nextPledgeStatus(
      { status: statusesFor(event)[0], confirmationRequired: false, resumeStatus: null },
      event,
    );
    if (to === null) throw new Error(`${event} ends nothing`);
    return to;
  }
}
