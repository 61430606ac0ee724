import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database/transaction.js';
import { type PledgeFacts, PledgeFactsRepository } from './pledge-facts.repository.js';

export type { PledgeFacts } from './pledge-facts.repository.js';

/**
 * Pledges as the modules above pledge read them (fulfilment ships rewards for settled pledges,
 * charity issues receipts for settled donations): read-only facts, never the admission evidence.
 */
@Injectable()
export class PledgeFactsQueries {
  constructor(private readonly pledges: PledgeFactsRepository) {}

  find(id: string, tx?: Tx): Promise<PledgeFacts | null> {
    return this.pledges.find(id, tx);
  }

  settledOf(campaignId: string, tx?: Tx): Promise<PledgeFacts[]> {
    return this.pledges.settledOf(campaignId, tx);
  }
}
