import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database/transaction.js';
import type { CampaignEntity } from './campaign.entities.js';
import type { CampaignKind } from './campaign.types.js';

/**
 * What a module above campaign requires before a campaign of a kind may go to review (DESIGN §2:
 * campaign never imports them). Lending, for example, requires loan terms and checks the
 * borrower's caps (CN-P2P-02). A check throws a DomainError to refuse; it runs inside the
 * submission's transaction, with the campaign row locked.
 */
export type CampaignSubmitCheck = (campaign: Readonly<CampaignEntity>, tx: Tx) => Promise<void>;

@Injectable()
export class CampaignSubmitChecks {
  private readonly byKind = new Map<CampaignKind, CampaignSubmitCheck[]>();

  register(kind: CampaignKind, check: CampaignSubmitCheck): void {
    const list = this.byKind.get(kind) ?? [];
    list.push(check);
    this.byKind.set(kind, list);
  }

  async run(campaign: Readonly<CampaignEntity>, tx: Tx): Promise<void> {
    for (const check of this.byKind.get(campaign.kind) ?? []) await check(campaign, tx);
  }
}
