import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError, ValidationFailedError } from '../../common/errors/domain-error.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { CreditService } from '../credit/credit.service.js';
import { CampaignTransitions } from './campaign-transitions.service.js';
import type { CampaignEntity } from './campaign.entities.js';
import { DeadlinePassedError, HasPledgesError, SelfApprovalError } from './campaign.errors.js';
import { decideRating } from './campaign.rating.js';
import { CampaignRepository } from './campaign.repository.js';
import { requireCampaignTransition } from './campaign.state.js';
import type { RiskRating } from './campaign.types.js';
import { type CampaignView, toCampaignView } from './campaign.view.js';

/**
 * The platform's side of a campaign (DESIGN §6): ADMIN approves with the final risk rating
 * (CN-SUIT-08/20) or rejects; ADMIN (or the founder before any pledge) cancels; a BLOCKING credit
 * record on the founder suspends every LIVE campaign of theirs (PLAT-03) until ADMIN resumes or
 * cancels it. Every status change goes through CampaignTransitions.
 */
@Injectable()
export class CampaignReview implements OnModuleInit {
  private readonly logger = new Logger('CampaignReview');

  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly transitions: CampaignTransitions,
    private readonly credit: CreditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** PLAT-03: a BLOCKING record lands on a founder -> their LIVE campaigns are suspended with it. */
  onModuleInit(): void {
    this.credit.onBlockingRecord((record, tx) =>
      this.suspendFounders([record.userId], { recordId: record.id, kind: record.kind }, tx).then(
        () => undefined,
      ),
    );
  }

  async approve(
    adminId: string,
    id: string,
    input: { riskRating?: RiskRating; ratingReason?: string } = {},
  ): Promise<CampaignView> {
    return this.transactions.run(async (tx) => {
      const campaign = await this.locked(id, tx);
      if (campaign.founderId === adminId) throw new SelfApprovalError();
      requireCampaignTransition(campaign.status, 'APPROVE');
      if (campaign.deadline <= this.clock.now()) throw new DeadlinePassedError();
      const riskRating = decideRating(campaign.kind, campaign.offering, input.riskRating);
      if (riskRating === null) {
        throw new ValidationFailedError([
          {
            field: 'riskRating',
            problems: ['reward and donation campaigns are not financial products: R1 (CN-SUIT-20)'],
          },
        ]);
      }
      const ratingReason =
        input.ratingReason ??
        (input.riskRating
          ? 'rated by the platform at approval'
          : `platform default for ${campaign.kind.toLowerCase()} campaigns (CN-SUIT-20)`);
      await this.transitions.apply(
        campaign,
        {
          event: 'APPROVE',
          actorId: adminId,
          reason: ratingReason,
          fields: { riskRating, ratingReason, publishedAt: this.clock.now() },
          details: {
            riskRating,
            proposedRiskRating: campaign.proposedRiskRating,
            ratingReason,
            ratingDefaulted: input.riskRating === undefined,
            rules: ['CN-SUIT-08', 'CN-SUIT-20'],
          },
        },
        tx,
      );
      return this.view(campaign, tx);
    });
  }

  async reject(adminId: string, id: string, reason: string): Promise<CampaignView> {
    return this.transactions.run(async (tx) => {
      const campaign = await this.locked(id, tx);
      if (campaign.founderId === adminId) throw new SelfApprovalError();
      await this.transitions.apply(
        campaign,
        { event: 'REJECT', actorId: adminId, reason, fields: { rejectionReason: reason } },
        tx,
      );
      return this.view(campaign, tx);
    });
  }

  /**
   * Founder: own campaign, before any pledge. ADMIN: any campaign not yet settled (a SUSPENDED one
   * included); settlement's sweep refunds every hold of a cancelled campaign.
   */
  async cancel(actor: AuthUser, id: string, reason: string | null): Promise<CampaignView> {
    return this.transactions.run(async (tx) => {
      const campaign = await this.locked(id, tx);
      if (actor.role !== 'ADMIN' && campaign.founderId !== actor.id)
        throw new NotFoundError('Campaign');
      requireCampaignTransition(campaign.status, 'CANCEL');
      if (actor.role !== 'ADMIN' && (campaign.investorCount > 0 || campaign.committed !== '0.00'))
        throw new HasPledgesError();
      await this.transitions.apply(campaign, { event: 'CANCEL', actorId: actor.id, reason }, tx);
      return this.view(campaign, tx);
    });
  }

  /** ADMIN: a SUSPENDED campaign goes back to LIVE (lifting the credit record never does this). */
  async resume(adminId: string, id: string, reason: string | null): Promise<CampaignView> {
    return this.transactions.run(async (tx) => {
      const campaign = await this.locked(id, tx);
      await this.transitions.apply(
        campaign,
        { event: 'RESUME', actorId: adminId, reason, details: { rules: ['PLAT-03'] } },
        tx,
      );
      return this.view(campaign, tx);
    });
  }

  /**
   * Sweep (PLAT-03): LIVE campaigns whose founder has a BLOCKING record in force now (one that
   * became effective later than it was recorded, or one whose in-transaction suspension was
   * missed) are suspended. Returns how many.
   */
  async suspendBlockedFounders(): Promise<number> {
    const founders = await this.campaigns.foundersInStatus('LIVE');
    const blocked = await this.credit.blockedAmong(founders);
    if (blocked.size === 0) return 0;
    return this.transactions.run((tx) =>
      this.suspendFounders([...blocked.keys()], null, tx, blocked),
    );
  }

  private async suspendFounders(
    founderIds: readonly string[],
    record: { recordId: string; kind: string } | null,
    tx: Tx,
    records?: ReadonlyMap<string, { recordId: string; kind: string }>,
  ): Promise<number> {
    const live = await this.campaigns.lockOfFounders(founderIds, 'LIVE', tx);
    for (const campaign of live) {
      const cause = record ?? records?.get(campaign.founderId) ?? null;
      await this.transitions.apply(
        campaign,
        {
          event: 'SUSPEND',
          actorId: null,
          reason: 'a BLOCKING credit record on the founder (PLAT-03)',
          details: {
            creditRecordId: cause?.recordId ?? null,
            creditKind: cause?.kind ?? null,
            rules: ['PLAT-03'],
          },
        },
        tx,
      );
    }
    if (live.length > 0)
      this.logger.log({ campaigns: live.length }, 'campaigns suspended (PLAT-03)');
    return live.length;
  }

  private async locked(id: string, tx: Tx): Promise<CampaignEntity> {
    const campaign = await this.campaigns.lock(id, tx);
    if (!campaign) throw new NotFoundError('Campaign');
    return campaign;
  }

  private async view(campaign: CampaignEntity, tx: Tx): Promise<CampaignView> {
    return toCampaignView(campaign, await this.campaigns.tiers(campaign.id, tx));
  }
}
