import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError, RuleViolationError } from '../../common/errors/domain-error.js';
import { TransactionRunner } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { UserDirectory } from '../identity/index.js';
import { RiskDisclosureService } from '../risk-disclosure/risk-disclosure.service.js';
import type {
  AcknowledgementReceipt,
  CampaignDisclosureView,
  ClientInfo,
  DisclosureInput,
} from '../risk-disclosure/risk-disclosure.types.js';
import { CampaignRepository } from './campaign.repository.js';
import { CampaignService } from './campaign.service.js';
import { type CampaignStatus, InvalidCampaignStateError, PUBLISHED } from './campaign.state.js';

const DISCLOSABLE: readonly CampaignStatus[] = ['DRAFT', 'PENDING_REVIEW', 'REJECTED', 'LIVE'];

/**
 * What is said about a campaign: progress updates, disclosure documents (through the
 * risk-disclosure module), its transition log, and charity qualification for donations. Every read
 * goes through CampaignService.visible, so the visibility rules hold here too.
 */
@Injectable()
export class CampaignContentService {
  constructor(
    private readonly campaignService: CampaignService,
    private readonly campaigns: CampaignRepository,
    private readonly users: UserDirectory,
    private readonly disclosures: RiskDisclosureService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async postUpdate(founderId: string, id: string, input: { title: string; body: string }) {
    return this.transactions.run(async (tx) => {
      const campaign = await this.ownLocked(founderId, id, tx);
      if (!PUBLISHED.includes(campaign.status)) {
        throw new RuleViolationError(
          'CAMPAIGN.NOT_PUBLISHED',
          'Progress updates are for published campaigns.',
        );
      }
      const update = {
        id: randomUUID(),
        campaignId: id,
        authorId: founderId,
        title: input.title,
        body: input.body,
        createdAt: this.clock.now(),
      };
      await this.campaigns.insertUpdate(update, tx);
      return { ...update, createdAt: update.createdAt.toISOString() };
    });
  }

  /** One page of progress updates, newest first (issue 16: cursor pages). */
  async updates(viewer: AuthUser, id: string, page: { cursor?: string; limit: number }) {
    await this.campaignService.visible(viewer, id);
    return this.campaigns.updates(id, page, (u) => ({
      id: u.id,
      campaignId: u.campaignId,
      authorId: u.authorId,
      title: u.title,
      body: u.body,
      createdAt: u.createdAt.toISOString(),
    }));
  }

  /** One page of the transition log, oldest first (issue 16: cursor pages). */
  async transitions(viewer: AuthUser, id: string, page: { cursor?: string; limit: number }) {
    await this.campaignService.visible(viewer, id);
    return this.campaigns.transitions(id, page, (t) => ({
      from: t.fromStatus,
      to: t.toStatus,
      actorId: t.actorId,
      reason: t.reason,
      details: t.details,
      occurredAt: t.occurredAt.toISOString(),
    }));
  }

  /** PLAT-08: an ADMIN records that an organisation holds public-fundraising qualification. */
  async qualifyCharity(adminId: string, userId: string, certificateReference: string) {
    const user = await this.users.findUserById(userId);
    if (!user) throw new NotFoundError('User');
    if (user.role !== 'FOUNDER' || user.kind !== 'ORGANIZATION') {
      throw new RuleViolationError(
        'CAMPAIGN.NOT_AN_ORGANIZATION',
        'Only a founder organisation can be a charity (PLAT-08).',
      );
    }
    const now = this.clock.now();
    await this.transactions.run(async (tx) => {
      await this.campaigns.saveCharity(
        { userId, certificateReference, qualifiedBy: adminId, qualifiedAt: now },
        tx,
      );
      await this.audit.append(
        {
          occurredAt: now,
          actorId: adminId,
          action: 'campaign.charity_qualified',
          subjectType: 'user',
          subjectId: userId,
          details: { certificateReference, rules: ['PLAT-08'] },
        },
        tx,
      );
    });
    return { userId, certificateReference, qualifiedBy: adminId, qualifiedAt: now.toISOString() };
  }

  /**
   * A new version of the campaign's disclosure (CN-ECF-07), by its founder, while the campaign is
   * open. A `material` version on a LIVE campaign is announced to the pledge workflow.
   */
  async publishDisclosure(
    founderId: string,
    id: string,
    input: DisclosureInput,
  ): Promise<CampaignDisclosureView> {
    const campaign = await this.campaigns.find(id);
    if (!campaign || campaign.founderId !== founderId) throw new NotFoundError('Campaign');
    if (!DISCLOSABLE.includes(campaign.status))
      throw new InvalidCampaignStateError(campaign.status, 'disclosed');
    return this.disclosures.publishCampaignDisclosure(id, campaign.kind, founderId, {
      ...input,
      material: input.material && campaign.status === 'LIVE',
    });
  }

  async currentDisclosure(viewer: AuthUser, id: string): Promise<CampaignDisclosureView> {
    await this.campaignService.visible(viewer, id);
    return this.disclosures.currentCampaignDisclosure(id);
  }

  /** CN-SUIT-15/16: the investor acknowledges one exact version; a stale one is refused. */
  async acknowledgeDisclosure(
    viewer: AuthUser,
    id: string,
    version: number,
    client: ClientInfo,
  ): Promise<AcknowledgementReceipt> {
    await this.campaignService.visible(viewer, id);
    return this.disclosures.acknowledgeCampaign(viewer.id, id, version, client);
  }

  private async ownLocked(
    founderId: string,
    id: string,
    tx: Parameters<CampaignRepository['lock']>[1],
  ) {
    const campaign = await this.campaigns.lock(id, tx);
    if (!campaign || campaign.founderId !== founderId) throw new NotFoundError('Campaign');
    return campaign;
  }
}
