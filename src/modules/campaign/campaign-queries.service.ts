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
@Injectable()
export class CampaignQueries {
  constructor(private readonly campaigns: CampaignRepository) {}

  /** The campaign, or null; with `tx`, read inside the caller's transaction. */
  find(id: string, tx?: Tx): Promise<Readonly<CampaignEntity> | null> {
    return this.campaigns.find(id, tx);
  }

  /** The same row as `find`, as a prepared statement (a hot path reads it on every request). */
  findPrepared(id: string): Promise<Readonly<CampaignEntity> | null> {
    return this.campaigns.findPrepared(id);
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
