import type { Tx } from '../../database/transaction.js';

/**
 * Who backs a campaign (investors with a live or settled pledge on it), for the notices its
 * transitions send. The campaign module never reads pledges (DESIGN §2); the pledge module fills
 * this port (wired in app.module's PortsModule).
 */
export const CAMPAIGN_BACKERS = Symbol('CAMPAIGN_BACKERS');

export interface CampaignBackers {
  backers(campaignId: string, tx: Tx): Promise<string[]>;
}
