import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuthUser } from '../../../common/auth/auth.decorators.js';
import { Clock } from '../../../common/clock/clock.js';
import { NotFoundError } from '../../../common/errors/domain-error.js';
import { TransactionRunner, type Tx } from '../../../database/transaction.js';
import { AuditService } from '../../audit/index.js';
import { CampaignSubmitChecks } from '../campaign-submit-checks.js';
import type { CampaignEntity } from '../campaign.entities.js';
import {
  AlreadyLinkedError,
  LinkedDeadlinesDifferError,
  LinkNotAllowedError,
} from '../campaign.errors.js';
import { CampaignRepository } from '../campaign.repository.js';
import { CampaignService } from '../campaign.service.js';
import { InvalidCampaignStateError } from '../campaign.state.js';
import { CAMPAIGN_KINDS } from '../campaign.types.js';
import { CampaignLinksRepository } from './campaign-links.repository.js';
import {
  type CampaignLink,
  LINKABLE,
  linkRefusal,
  submitRefusal,
  UNLINKABLE,
} from './linked-raise.rules.js';

/** A linked raise as the API shows it, from the side of `campaignId`. */
export interface LinkedRaiseView {
  campaignId: string;
  partnerId: string;
  equityCampaignId: string;
  debtCampaignId: string;
  founderId: string;
  linkedAt: string;
}

/** The two campaigns of a linked raise, locked by the settlement sweep. */
export interface LockedPair {
  equity: CampaignEntity;
  debt: CampaignEntity;
}

/**
 * Linked raises (issue 15, 投贷联动): one EQUITY and one DEBT campaign of the same founder that
 * succeed or fail together (RW-01 applied to the pair). The founder links and unlinks while both
 * are DRAFTs; each side goes to review only with its partner's deadline; the settlement sweeps
 * decide and settle the pair in one transaction (settlement/linked-settlement.service.ts).
 */
@Injectable()
export class CampaignLinks implements OnModuleInit {
  constructor(
    private readonly links: CampaignLinksRepository,
    private readonly campaigns: CampaignRepository,
    private readonly reader: CampaignService,
    private readonly submitChecks: CampaignSubmitChecks,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // Every kind: a linked DRAFT's kind can still be edited, and the pair is re-checked at submit.
    for (const kind of CAMPAIGN_KINDS)
      this.submitChecks.register(kind, (campaign, tx) => this.checkAtSubmit(campaign, tx));
  }

  /** Links the founder's EQUITY DRAFT `equityId` with their DEBT DRAFT `debtId`. */
  async link(founderId: string, equityId: string, debtId: string): Promise<LinkedRaiseView> {
    return this.transactions.run(async (tx) => {
      const locked = await this.lockBoth(equityId, debtId, tx);
      const equity = locked.get(equityId);
      const debt = locked.get(debtId);
      // Another founder's campaign is not found: its existence is not theirs to learn.
      if (!equity || equity.founderId !== founderId) throw new NotFoundError('Campaign');
      if (!debt || debt.founderId !== founderId) throw new NotFoundError('Campaign');
      const refusal = linkRefusal(equity, debt);
      if (refusal) throw new LinkNotAllowedError(refusal);
      for (const side of [equity, debt]) {
        if (!LINKABLE.includes(side.status))
          throw new InvalidCampaignStateError(side.status, 'linked');
        if (await this.links.findByCampaign(side.id, tx)) throw new AlreadyLinkedError(side.id);
      }
      const link: CampaignLink = {
        equityCampaignId: equity.id,
        debtCampaignId: debt.id,
        founderId,
        linkedBy: founderId,
        linkedAt: this.clock.now(),
      };
      await this.links.insert(link, tx);
      await this.record('campaign.linked', link, founderId, tx);
      return toView(link, equity.id);
    });
  }

  /** Takes a linked raise apart while neither campaign went to review (DRAFT or CANCELLED). */
  async unlink(founderId: string, campaignId: string): Promise<LinkedRaiseView> {
    return this.transactions.run(async (tx) => {
      const own = await this.campaigns.find(campaignId, tx);
      if (!own || own.founderId !== founderId) throw new NotFoundError('Campaign');
      const link = await this.links.findByCampaign(campaignId, tx);
      if (!link) throw new NotFoundError('Linked raise');
      const locked = await this.lockBoth(link.equityCampaignId, link.debtCampaignId, tx);
      for (const side of locked.values())
        if (!UNLINKABLE.includes(side.status))
          throw new InvalidCampaignStateError(side.status, 'unlinked');
      await this.links.delete(link.equityCampaignId, tx);
      await this.record('campaign.unlinked', link, founderId, tx);
      return toView(link, campaignId);
    });
  }

  /** The link of a campaign `viewer` may read (the campaign's own visibility rules). */
  async view(viewer: AuthUser, campaignId: string): Promise<LinkedRaiseView> {
    await this.reader.visible(viewer, campaignId);
    const link = await this.links.findByCampaign(campaignId);
    if (!link) throw new NotFoundError('Linked raise');
    return toView(link, campaignId);
  }

  /** For the settlement sweeps: the link `campaignId` is on, or null. */
  linkOf(campaignId: string): Promise<CampaignLink | null> {
    return this.links.findByCampaign(campaignId);
  }

  /**
   * Both campaigns of `link` locked in one fixed order (by id), or null when another sweeper holds
   * either (SKIP LOCKED: it is deciding the pair; nobody waits, so nobody deadlocks).
   */
  async lockPairForSweep(link: CampaignLink, tx: Tx): Promise<LockedPair | null> {
    const locked = new Map<string, CampaignEntity>();
    for (const id of [link.equityCampaignId, link.debtCampaignId].sort()) {
      const campaign = await this.campaigns.lockAnyForSweep(id, tx);
      if (!campaign) return null;
      locked.set(id, campaign);
    }
    const equity = locked.get(link.equityCampaignId);
    const debt = locked.get(link.debtCampaignId);
    return equity && debt ? { equity, debt } : null;
  }

  /**
   * At submission (the campaign row locked): a linked campaign still pairs an EQUITY and a DEBT
   * all-or-nothing campaign of its founder, and has its partner's deadline, so the pair is decided
   * at one moment. The partner's deadline changes only while it is a DRAFT (or REJECTED), and the
   * partner is checked against this one when it is submitted in turn.
   */
  private async checkAtSubmit(campaign: Readonly<CampaignEntity>, tx: Tx): Promise<void> {
    const link = await this.links.findByCampaign(campaign.id, tx);
    if (!link) return;
    const partnerId =
      link.equityCampaignId === campaign.id ? link.debtCampaignId : link.equityCampaignId;
    const partner = await this.campaigns.find(partnerId, tx);
    if (!partner) throw new NotFoundError('Campaign');
    const [equity, debt] =
      link.equityCampaignId === campaign.id ? [campaign, partner] : [partner, campaign];
    const refusal = submitRefusal(equity, debt);
    if (refusal === 'DEADLINES_DIFFER')
      throw new LinkedDeadlinesDifferError(partner.id, partner.deadline);
    if (refusal) throw new LinkNotAllowedError(refusal);
  }

  /** Both rows locked for a change, in id order (every writer of a pair takes them so). */
  private async lockBoth(a: string, b: string, tx: Tx): Promise<Map<string, CampaignEntity>> {
    const locked = new Map<string, CampaignEntity>();
    for (const id of [...new Set([a, b])].sort()) {
      const campaign = await this.campaigns.lock(id, tx);
      if (campaign) locked.set(id, campaign);
    }
    return locked;
  }

  private async record(action: string, link: CampaignLink, actorId: string, tx: Tx) {
    for (const campaignId of [link.equityCampaignId, link.debtCampaignId]) {
      await this.audit.append(
        {
          occurredAt: this.clock.now(),
          actorId,
          action,
          subjectType: 'campaign',
          subjectId: campaignId,
          details: {
            campaignId,
            equityCampaignId: link.equityCampaignId,
            debtCampaignId: link.debtCampaignId,
            rules: ['RW-01'],
          },
        },
        tx,
      );
    }
  }
}

function toView(link: CampaignLink, campaignId: string): LinkedRaiseView {
  return {
    campaignId,
    partnerId: link.equityCampaignId === campaignId ? link.debtCampaignId : link.equityCampaignId,
    equityCampaignId: link.equityCampaignId,
    debtCampaignId: link.debtCampaignId,
    founderId: link.founderId,
    linkedAt: link.linkedAt.toISOString(),
  };
}
