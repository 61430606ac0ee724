import { ConflictError } from '../../common/errors/domain-error.js';
import type { Money } from '../../common/money/money.js';
import type { FundingModel } from './campaign.types.js';

/**
 * The campaign lifecycle (DESIGN §6) as one transition table. Every writer of a campaign's status
 * (the campaign service, the settlement sweeps through it) asks `nextCampaignStatus` and writes
 * with `WHERE status = from`, so no status changes outside this table.
 */
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
  'SUSPENDED',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const CAMPAIGN_EVENTS = [
  'SUBMIT',
  'APPROVE',
  'REJECT',
  'EDIT_AFTER_REJECTION',
  'CANCEL',
  'DEADLINE_TARGET_MET',
  'DEADLINE_TARGET_MISSED',
  'SETTLE',
  'FALL_SHORT',
  'REFUNDS_DONE',
  'SUSPEND',
  'RESUME',
] as const;
export type CampaignEvent = (typeof CAMPAIGN_EVENTS)[number];

const TRANSITIONS: Readonly<
  Record<CampaignEvent, Partial<Record<CampaignStatus, CampaignStatus>>>
> = {
  SUBMIT: { DRAFT: 'PENDING_REVIEW' },
  APPROVE: { PENDING_REVIEW: 'LIVE' }, // CN-SUIT-08/20: the platform rates it here
  REJECT: { PENDING_REVIEW: 'REJECTED' },
  EDIT_AFTER_REJECTION: { REJECTED: 'DRAFT' },
  // ADMIN any time before settlement; the founder only before any pledge (CampaignService).
  CANCEL: {
    DRAFT: 'CANCELLED',
    PENDING_REVIEW: 'CANCELLED',
    LIVE: 'CANCELLED',
    CLOSING: 'CANCELLED',
    SUSPENDED: 'CANCELLED',
  },
  DEADLINE_TARGET_MET: { LIVE: 'CLOSING' }, // RW-01/02: see closeOutcome
  DEADLINE_TARGET_MISSED: { LIVE: 'FAILED' },
  SETTLE: { CLOSING: 'SETTLED' }, // only once no pledge is in a window: see settleOutcome
  FALL_SHORT: { CLOSING: 'FAILED' },
  REFUNDS_DONE: { FAILED: 'REFUNDED' },
  SUSPEND: { LIVE: 'SUSPENDED' }, // PLAT-03: a BLOCKING credit record on the founder
  RESUME: { SUSPENDED: 'LIVE' }, // ADMIN only; lifting the record does not resume it
};

export class InvalidCampaignStateError extends ConflictError {
  constructor(from: CampaignStatus, to: string) {
    super('CAMPAIGN.INVALID_STATE', `A ${from} campaign cannot become ${to}.`, { from, to });
  }
}

/** Where `event` takes a campaign in `from`, or null when the event does not apply there. */
export function nextCampaignStatus(
  from: CampaignStatus,
  event: CampaignEvent,
): CampaignStatus | null {
  return TRANSITIONS[event][from] ?? null;
}

/** The target of `event` from `from`, or 409 CAMPAIGN.INVALID_STATE. */
export function requireCampaignTransition(
  from: CampaignStatus,
  event: CampaignEvent,
): CampaignStatus {
  const to = nextCampaignStatus(from, event);
  if (to === null) throw new InvalidCampaignStateError(from, EVENT_TARGET_NAME[event]);
  return to;
}

const EVENT_TARGET_NAME: Record<CampaignEvent, string> = {
  SUBMIT: 'PENDING_REVIEW',
  APPROVE: 'LIVE',
  REJECT: 'REJECTED',
  EDIT_AFTER_REJECTION: 'DRAFT',
  CANCEL: 'CANCELLED',
  DEADLINE_TARGET_MET: 'CLOSING',
  DEADLINE_TARGET_MISSED: 'FAILED',
  SETTLE: 'SETTLED',
  FALL_SHORT: 'FAILED',
  REFUNDS_DONE: 'REFUNDED',
  SUSPEND: 'SUSPENDED',
  RESUME: 'LIVE',
};

/** Whether some event takes a campaign from `from` to `to`. */
export function canTransition(from: CampaignStatus, to: CampaignStatus): boolean {
  return CAMPAIGN_EVENTS.some((event) => TRANSITIONS[event][from] === to);
}

/** Terms can be edited only before review, or after a rejection (which sends it back to DRAFT). */
export const EDITABLE: readonly CampaignStatus[] = ['DRAFT', 'REJECTED'];

/** Statuses anyone may see (subject to the visibility rules); the rest only owner and staff. */
export const PUBLISHED: readonly CampaignStatus[] = [
  'LIVE',
  'SUSPENDED',
  'CLOSING',
  'SETTLED',
  'FAILED',
  'REFUNDED',
];

/** Only a LIVE campaign takes pledges (a SUSPENDED one does not: PLAT-03). */
export function acceptsPledges(status: CampaignStatus): boolean {
  return status === 'LIVE';
}

/** Campaigns whose ACTIVE reward pledges may still be cancelled before the cut-off (RW, US-CF-12). */
export function acceptsCancellations(status: CampaignStatus): boolean {
  return status === 'LIVE' || status === 'SUSPENDED';
}

/**
 * LIVE past its deadline (RW-01/02): all-or-nothing closes only with the target met by the live
 * pledges; flexible with anything raised at all. Otherwise it failed.
 */
export function closeOutcome(
  fundingModel: FundingModel,
  live: Money,
  target: Money,
): 'DEADLINE_TARGET_MET' | 'DEADLINE_TARGET_MISSED' {
  const succeeds = fundingModel === 'FLEXIBLE' ? !live.isZero() : !live.lessThan(target);
  return succeeds ? 'DEADLINE_TARGET_MET' : 'DEADLINE_TARGET_MISSED';
}

/**
 * A CLOSING campaign (DESIGN §6): it waits while any pledge is still inside a window; then it
 * settles if what resolved to ACTIVE (plus anything already settled in an earlier batch) still
 * meets the rule of its funding model, else it falls short and fails.
 */
export function settleOutcome(input: {
  fundingModel: FundingModel;
  pledgesInWindow: number;
  active: Money;
  settled: Money;
  target: Money;
}): 'WAIT' | 'SETTLE' | 'FALL_SHORT' {
  if (input.pledgesInWindow > 0) return 'WAIT';
  if (!input.settled.isZero()) return 'SETTLE'; // a crash mid-settlement: finish what began
  const gross = input.active.plus(input.settled);
  const enough =
    input.fundingModel === 'FLEXIBLE' ? !gross.isZero() : !gross.lessThan(input.target);
  return enough ? 'SETTLE' : 'FALL_SHORT';
}
