import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import {
  type Notice,
  NOTICES,
  type NoticeSink,
  type NoticeType,
} from '../../common/notices/notices.port.js';
import type { Tx } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { CAMPAIGN_BACKERS, type CampaignBackers } from './campaign-backers.port.js';
import type { CampaignEntity } from './campaign.entities.js';
import { CampaignRepository } from './campaign.repository.js';
import {
  type CampaignEvent,
  type CampaignStatus,
  InvalidCampaignStateError,
  requireCampaignTransition,
} from './campaign.state.js';

/** Who must hear of a transition: the founder, and everyone backing it (live or settled pledges). */
const NOTICE_OF: Partial<Record<CampaignEvent, NoticeType>> = {
  DEADLINE_TARGET_MET: 'campaign.succeeded',
  DEADLINE_TARGET_MISSED: 'campaign.failed',
  FALL_SHORT: 'campaign.failed',
  SETTLE: 'campaign.settled',
  SUSPEND: 'campaign.suspended',
  RESUME: 'campaign.resumed',
  CANCEL: 'campaign.cancelled',
};

export interface TransitionInput {
  event: CampaignEvent;
  actorId: string | null;
  reason: string | null;
  /** Recorded with the transition (e.g. the rating and why, the credit record behind a suspension). */
  details?: Record<string, unknown>;
  /**
   * Who backs the campaign (its notice's recipients besides the founder), when the caller has just
   * read them under the campaign's lock: settlement's settled investors (issue 18: a second read of
   * 100,000 pledges otherwise). Read from the pledges when absent.
   */
  backers?: readonly string[];
  /** Columns the transition sets with the status. */
  fields?: Partial<
    Pick<CampaignEntity, 'riskRating' | 'ratingReason' | 'publishedAt' | 'rejectionReason'>
  >;
}

/**
 * The one writer of a campaign's status (DESIGN §6): the target comes from campaign.state.ts, the
 * write is `WHERE status = from`, and the transition row, the audit event and the notices are
 * written in the same transaction. Settlement moves campaigns only through here.
 */
@Injectable()
export class CampaignTransitions {
  private readonly logger = new Logger('Campaigns');

  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(NOTICES) private readonly notices: NoticeSink,
    @Inject(CAMPAIGN_BACKERS) private readonly backers: CampaignBackers,
  ) {}

  /** Moves the (locked) campaign by `event`; updates `campaign` in place and returns the target. */
  async apply(campaign: CampaignEntity, input: TransitionInput, tx: Tx): Promise<CampaignStatus> {
    const from = campaign.status;
    const to = requireCampaignTransition(from, input.event);
    const now = this.clock.now();
    const fields = input.fields ?? {};
    if (!(await this.campaigns.changeStatus(campaign.id, from, to, now, fields, tx)))
      throw new InvalidCampaignStateError(from, to); // it moved under us: the caller's lock was not held
    Object.assign(campaign, fields, { status: to, updatedAt: now });
    await this.record(campaign.id, from, to, input, now, tx);
    await this.notify(campaign, input, tx);
    this.logger.log(
      { campaignId: campaign.id, from, to, event: input.event },
      'campaign transition',
    );
    return to;
  }

  /** Ids of campaigns in `status` (due by `dueBefore`), for the sweeps; each is then locked alone. */
  idsInStatus(status: CampaignStatus, dueBefore: Date | null, limit: number): Promise<string[]> {
    return this.campaigns.idsInStatus(status, dueBefore, limit);
  }

  /** Locks a campaign still in `status` unless another sweeper holds it (SKIP LOCKED). */
  lockForSweep(id: string, status: CampaignStatus, tx: Tx): Promise<CampaignEntity | null> {
    return this.campaigns.lockForSweep(id, status, tx);
  }

  /** Shares the campaign's row lock with other sweepers' batches (no status change under it). */
  shareForSweep(id: string, status: CampaignStatus, tx: Tx): Promise<CampaignEntity | null> {
    return this.campaigns.shareForSweep(id, status, tx);
  }

  /** The first transition of a new campaign (it is created in DRAFT). */
  async created(campaign: CampaignEntity, actorId: string, tx: Tx): Promise<void> {
    await this.record(
      campaign.id,
      null,
      campaign.status,
      { actorId, reason: null },
      this.clock.now(),
      tx,
    );
  }

  private async record(
    campaignId: string,
    from: CampaignStatus | null,
    to: CampaignStatus,
    input: Pick<TransitionInput, 'actorId' | 'reason' | 'details'>,
    occurredAt: Date,
    tx: Tx,
  ): Promise<void> {
    const details = input.details ?? {};
    await this.campaigns.recordTransition(
      {
        campaignId,
        fromStatus: from,
        toStatus: to,
        actorId: input.actorId,
        reason: input.reason,
        details,
        occurredAt,
      },
      tx,
    );
    await this.audit.append(
      {
        occurredAt,
        actorId: input.actorId,
        action: 'campaign.transition',
        subjectType: 'campaign',
        subjectId: campaignId,
        details: { from, to, reason: input.reason, campaignId, ...details },
      },
      tx,
    );
  }

  private async notify(campaign: CampaignEntity, input: TransitionInput, tx: Tx): Promise<void> {
    const type = NOTICE_OF[input.event];
    if (!type) return;
    const reason = input.reason;
    const recipients = new Set([
      campaign.founderId,
      ...(input.backers ?? (await this.backers.backers(campaign.id, tx))),
    ]);
    await this.notices.record(
      [...recipients].map((recipientId): Notice => ({
        recipientId,
        type,
        campaignId: campaign.id,
        params: {
          campaignTitle: campaign.title,
          status: campaign.status,
          reason,
          committed: campaign.committed,
          currency: campaign.currency,
        },
        dedupeKey: `campaign:${campaign.id}:${campaign.status}:${recipientId}:${campaign.updatedAt.toISOString()}`,
      })),
      tx,
    );
  }
}
