import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database/transaction.js';
import type { CampaignEntity, RewardTierEntity } from './campaign.entities.js';
import { CampaignRepository } from './campaign.repository.js';
import type { CampaignStatus } from './campaign.state.js';

/** The statuses in which a DEBT campaign may still settle into a loan. */
export const DEBT_IN_FLIGHT: readonly CampaignStatus[] = [
  'PENDING_REVIEW',
  'LIVE',
  'CLOSING',
  'SUSPENDED',
];

/**
 * The campaign module's reads for other modules (DESIGN §2: the campaigns and reward tiers tables
 * are written only here; others read them through this service, never through the repository).
 * The rows come back as read-only values: a caller that wants a campaign changed asks
 * CampaignService.
 */
/** The campaign as a pledge's admission reads it (CampaignQueries.findForPledge). */
export type PledgeCampaign = Readonly<
  Pick<
    CampaignEntity,
    | 'id'
    | 'kind'
    | 'offering'
    | 'title'
    | 'currency'
    | 'targetAmount'
    | 'minPledge'
    | 'maxPledge'
    | 'unitPrice'
    | 'deadline'
    | 'riskRating'
    | 'status'
  >
>;

@Injectable()
export class CampaignQueries {
  constructor(private readonly campaigns: CampaignRepository) {}

  /** The campaign, or null; with `tx`, read inside the caller's transaction. */
  find(id: string, tx?: Tx): Promise<Readonly<CampaignEntity> | null> {
    return this.campaigns.find(id, tx);
  }

  /**
   * What a pledge's admission decides on, as a prepared statement read on every pledge: 12 of
   * the row's 28 columns (issue 18: every column is a field description the driver parses and
   * a value it converts on each read).
   */
  findForPledge(id: string): Promise<PledgeCampaign | null> {
    return this.campaigns.findForPledge(id);
  }

  /**
   * CN-P2P-02: the founder's other DEBT campaigns that may still become a loan (submitted, live,
   * closing or suspended): their `maxAmount` counts against the borrower caps before any loan
   * exists in the ledger.
   */
  debtInFlight(
    founderId: string,
    exceptId: string,
    tx: Tx,
  ): Promise<readonly Readonly<CampaignEntity>[]> {
    return this.campaigns.debtCampaignsOf(founderId, exceptId, DEBT_IN_FLIGHT, tx);
  }

  /** The campaign's reward tiers in display order. */
  tiers(campaignId: string, tx?: Tx): Promise<readonly Readonly<RewardTierEntity>[]> {
    return this.campaigns.tiers(campaignId, tx);
  }

  /** PLAT-08: the charity qualification an ADMIN recorded for this user, or null. */
  async charityQualification(
    userId: string,
  ): Promise<{ certificateReference: string; qualifiedAt: Date } | null> {
    const charity = await this.campaigns.findCharity(userId);
    return charity
      ? { certificateReference: charity.certificateReference, qualifiedAt: charity.qualifiedAt }
      : null;
  }
}
