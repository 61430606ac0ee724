import { ConflictError } from '../../common/errors/domain-error.js';

/** DESIGN §6 campaign lifecycle. */
export const CAMPAIGN_STATUSES = [
  'DRAFT',
  'PENDING_REVIEW',
  'LIVE',
  'REJECTED',
  'CLOSING',
  'SETTLED',
  'FAILED',
  'REFUNDED',
  'CANCELLED',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

const ALLOWED: Record<CampaignStatus, readonly CampaignStatus[]> = {
  DRAFT: ['PENDING_REVIEW', 'CANCELLED'],
  PENDING_REVIEW: ['LIVE', 'REJECTED', 'CANCELLED'],
  REJECTED: ['DRAFT'],
  LIVE: ['CLOSING', 'FAILED', 'CANCELLED'],
  CLOSING: ['SETTLED', 'FAILED', 'CANCELLED'],
  FAILED: ['REFUNDED'],
  SETTLED: [],
  REFUNDED: [],
  CANCELLED: [],
};

export class InvalidCampaignStateError extends ConflictError {
  constructor(from: CampaignStatus, to: string) {
    super('CAMPAIGN.INVALID_STATE', `A ${from} campaign cannot become ${to}.`, { from, to });
  }
}

export function canTransition(from: CampaignStatus, to: CampaignStatus): boolean {
  return ALLOWED[from].includes(to);
}

export function assertTransition(from: CampaignStatus, to: CampaignStatus): void {
  if (!canTransition(from, to)) throw new InvalidCampaignStateError(from, to);
}

/** Terms can be edited only before review, or after a rejection (which sends it back to DRAFT). */
export const EDITABLE: readonly CampaignStatus[] = ['DRAFT', 'REJECTED'];

/** Statuses anyone authenticated may see (subject to the visibility rules); the rest only owner and staff. */
export const PUBLISHED: readonly CampaignStatus[] = [
  'LIVE',
  'CLOSING',
  'SETTLED',
  'FAILED',
  'REFUNDED',
];
