import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database/transaction.js';
import type { CampaignEntity, RewardTierEntity } from './campaign.entities.js';
import { CampaignRepository } from './campaign.repository.js';

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
