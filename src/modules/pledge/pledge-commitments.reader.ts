import { Injectable } from '@nestjs/common';
import { Money } from '../../common/money/money.js';
import type { Tx } from '../../database/transaction.js';
import type { CampaignBackers } from '../campaign/campaign-backers.port.js';
import type { CommitmentsReader } from '../investor-classification/commitments.port.js';
import { PledgeTotalsRepository } from './pledge-totals.repository.js';

/**
 * The pledge module's answers to ports that lower modules define (DESIGN §2: they never import
 * pledge): investor-classification's COMMITMENTS (INV-9 usage) and campaign's CAMPAIGN_BACKERS
 * (who hears of a campaign's transitions).
 */
@Injectable()
export class PledgeCommitmentsReader implements CommitmentsReader, CampaignBackers {
  constructor(private readonly pledges: PledgeTotalsRepository) {}

  async committedSince(userId: string, since: Date, currency: string): Promise<Money> {
    return Money.fromDecimalString(await this.pledges.committedSince(userId, since), currency);
  }

  backers(campaignId: string, tx: Tx): Promise<string[]> {
    return this.pledges.backers(campaignId, tx);
  }
}
