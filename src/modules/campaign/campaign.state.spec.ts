import { describe, expect, it } from '@jest/globals';
import { CAMPAIGN_STATUSES, type CampaignStatus, canTransition } from './campaign.state.js';

/** DESIGN §6, written out: every pair not listed here must be refused. */
const LEGAL: [CampaignStatus, CampaignStatus][] = [
  ['DRAFT', 'PENDING_REVIEW'],
  ['DRAFT', 'CANCELLED'],
  ['PENDING_REVIEW', 'LIVE'],
  ['PENDING_REVIEW', 'REJECTED'],
  ['PENDING_REVIEW', 'CANCELLED'],
  ['REJECTED', 'DRAFT'],
  ['LIVE', 'CLOSING'],
  ['LIVE', 'FAILED'],
  ['LIVE', 'CANCELLED'],
  ['CLOSING', 'SETTLED'],
  ['CLOSING', 'FAILED'],
  ['CLOSING', 'CANCELLED'],
  ['FAILED', 'REFUNDED'],
];

describe('campaign lifecycle (DESIGN §6)', () => {
  const pairs = CAMPAIGN_STATUSES.flatMap((from) =>
    CAMPAIGN_STATUSES.map((to) => [from, to] as const),
  );
  it.each(pairs)('%s -> %s', (from, to) => {
    const legal = LEGAL.some(([f, t]) => f === from && t === to);
    expect(canTransition(from, to)).toBe(legal);
  });
});
