import type { RulePackParameters } from '../../config/rule-packs/rule-pack.js';
import { acceptsCancellations, type CampaignStatus } from '../campaign/campaign.state.js';
import {
  type CampaignKind,
  isFinancialProduct,
  type RiskRating,
} from '../campaign/campaign.types.js';

/**
 * The pledge lifecycle (DESIGN §6) as one transition table, and the named predicates every caller
 * uses (the limit check, the escrow checks, cancellation, settlement). No file writes a pledge's
 * status except through `nextPledgeStatus` with `WHERE status = from`.
 */
export const PLEDGE_STATUSES = [
  'COOLING_OFF',
  'AWAITING_CONFIRMATION',
  'ACTIVE',
  'AWAITING_RECONFIRMATION',
  'SETTLED',
  'CANCELLED',
  'REFUNDED',
] as const;
export type PledgeStatus = (typeof PLEDGE_STATUSES)[number];

/** The statuses a reconfirmation can return a pledge to (the one it had before the change). */
export type ResumableStatus = 'COOLING_OFF' | 'AWAITING_CONFIRMATION' | 'ACTIVE';

export const PLEDGE_EVENTS = [
  'COOLING_OFF_ENDED',
  'CALL_CONFIRMED',
  'CALL_UNREACHABLE',
  'CALL_RESCINDED',
  'CALL_TIMED_OUT',
  'CANCEL',
  'MATERIAL_CHANGE',
  'RECONFIRM',
  'RECONFIRMATION_EXPIRED',
  'SETTLE',
  'REFUND',
] as const;
export type PledgeEvent = (typeof PLEDGE_EVENTS)[number];

/** What a transition may depend on besides the status. */
export interface PledgeFacts {
  status: PledgeStatus;
  confirmationRequired: boolean;
  resumeStatus: ResumableStatus | null;
}

type Target = PledgeStatus | ((p: PledgeFacts) => PledgeStatus);

const LIVE = ['COOLING_OFF', 'AWAITING_CONFIRMATION', 'ACTIVE', 'AWAITING_RECONFIRMATION'] as const;
const all = (statuses: readonly PledgeStatus[], to: Target) =>
  Object.fromEntries(statuses.map((s) => [s, to])) as Partial<Record<PledgeStatus, Target>>;

const TRANSITIONS: Readonly<Record<PledgeEvent, Partial<Record<PledgeStatus, Target>>>> = {
  // CN-PF-06 -> CN-PF-07: the call comes after cooling-off, when one is required.
  COOLING_OFF_ENDED: {
    COOLING_OFF: (p) => (p.confirmationRequired ? 'AWAITING_CONFIRMATION' : 'ACTIVE'),
  },
  // A call may land before the sweep has moved the pledge on (its cooling-off is over by then:
  // `confirmationCallAllowed` checks the time).
  CALL_CONFIRMED: { COOLING_OFF: 'ACTIVE', AWAITING_CONFIRMATION: 'ACTIVE' },
  CALL_UNREACHABLE: {
    COOLING_OFF: 'AWAITING_CONFIRMATION',
    AWAITING_CONFIRMATION: 'AWAITING_CONFIRMATION',
  },
  CALL_RESCINDED: { COOLING_OFF: 'CANCELLED', AWAITING_CONFIRMATION: 'CANCELLED' }, // CN-PF-08
  CALL_TIMED_OUT: { AWAITING_CONFIRMATION: 'CANCELLED' },
  CANCEL: all(LIVE, 'CANCELLED'), // whether it may: `cancellable`
  MATERIAL_CHANGE: all(
    ['COOLING_OFF', 'AWAITING_CONFIRMATION', 'ACTIVE'],
    'AWAITING_RECONFIRMATION',
  ),
  RECONFIRM: { AWAITING_RECONFIRMATION: (p) => p.resumeStatus ?? 'ACTIVE' }, // CN-SUIT-14
  RECONFIRMATION_EXPIRED: { AWAITING_RECONFIRMATION: 'CANCELLED' }, // US-CF-14: silence cancels
  SETTLE: { ACTIVE: 'SETTLED' },
  REFUND: all(LIVE, 'REFUNDED'),
};

/** Where `event` takes the pledge, or null when it does not apply to its status. */
export function nextPledgeStatus(p: PledgeFacts, event: PledgeEvent): PledgeStatus | null {
  const target = TRANSITIONS[event][p.status];
  if (target === undefined) return null;
  return typeof target === 'function' ? target(p) : target;
}

/** The statuses from which `event` applies (for set-based writes: `WHERE status = ANY(...)`). */
export function statusesFor(event: PledgeEvent): PledgeStatus[] {
  return PLEDGE_STATUSES.filter((s) => TRANSITIONS[event][s] !== undefined);
}

export const TERMINAL_STATUSES: readonly PledgeStatus[] = PLEDGE_STATUSES.filter((s) =>
  PLEDGE_EVENTS.every((e) => TRANSITIONS[e][s] === undefined),
);

/**
 * INV-8 / DESIGN §6: a pledge whose hold is still pending in the campaign's escrow, counted in the
 * campaign's committed total and investor count: every non-terminal status.
 */
export function liveForEscrow(status: PledgeStatus): boolean {
  return !TERMINAL_STATUSES.includes(status);
}
export const LIVE_PLEDGE_STATUSES: readonly PledgeStatus[] = PLEDGE_STATUSES.filter(liveForEscrow);

/** Still inside a window (cooling-off, the call, a reconfirmation): a CLOSING campaign waits. */
export function inWindow(status: PledgeStatus): boolean {
  return (
    status === 'COOLING_OFF' ||
    status === 'AWAITING_CONFIRMATION' ||
    status === 'AWAITING_RECONFIRMATION'
  );
}
export const IN_WINDOW_STATUSES: readonly PledgeStatus[] = PLEDGE_STATUSES.filter(inWindow);

/**
 * INV-9: an equity or debt pledge counts toward the investor's rolling limit while it is live and
 * after it SETTLED (money invested is invested); not once cancelled or refunded. Reward and
 * donation pledges are not investments and never count (PLAT-09).
 */
export function countsTowardLimit(p: { status: PledgeStatus; financial: boolean }): boolean {
  return p.financial && p.status !== 'CANCELLED' && p.status !== 'REFUNDED';
}
/** The statuses whose financial pledges count toward the limit (for the SQL that sums them). */
export const LIMIT_COUNTING_STATUSES: readonly PledgeStatus[] = PLEDGE_STATUSES.filter((status) =>
  countsTowardLimit({ status, financial: true }),
);

export type CancelRefusal = { cancellable: false; reason: string } | { cancellable: true };

/**
 * Whether the investor may cancel now (DESIGN §6; the pack decides for ACTIVE pledges):
 * - inside cooling-off: always, free (CN-PF-06);
 * - awaiting the confirmation call: rescission with a full refund (CN-PF-08);
 * - awaiting reconfirmation after a material change: always (CN-SUIT-14, US-CF-12/14);
 * - ACTIVE equity/debt: only where the pack allows it (US_REGCF, US-CF-12; CN: never), and then
 *   like a reward pledge: until `rewardCancelCutoffHours` before the deadline, while the campaign
 *   is LIVE or SUSPENDED;
 * - ended pledges: never.
 */
export function cancellable(
  pledge: { status: PledgeStatus },
  campaign: { kind: CampaignKind; status: CampaignStatus; deadline: Date },
  pack: Pick<RulePackParameters, 'rewardCancelCutoffHours' | 'activeFinancialPledgeCancellable'>,
  now: Date,
): CancelRefusal {
  switch (pledge.status) {
    case 'COOLING_OFF':
    case 'AWAITING_CONFIRMATION':
    case 'AWAITING_RECONFIRMATION':
      return { cancellable: true };
    case 'ACTIVE': {
      if (isFinancialProduct(campaign.kind) && !pack.activeFinancialPledgeCancellable) {
        return {
          cancellable: false,
          reason:
            'An equity or debt pledge is binding once its cooling-off and confirmation call are over (CN-PF-06, CN-PF-08).',
        };
      }
      const cutoff = campaign.deadline.getTime() - pack.rewardCancelCutoffHours * 3_600_000;
      if (acceptsCancellations(campaign.status) && now.getTime() < cutoff)
        return { cancellable: true };
      return {
        cancellable: false,
        reason: `Pledges can be cancelled until ${pack.rewardCancelCutoffHours} hours before the deadline (US-CF-12).`,
      };
    }
    default:
      return { cancellable: false, reason: 'This pledge has ended.' };
  }
}

/** CN-SUIT-14 / US-CF-14: a reconfirmation counts only inside its window. */
export function canReconfirm(
  pledge: { status: PledgeStatus; reconfirmBy: Date | null },
  now: Date,
): boolean {
  return (
    pledge.status === 'AWAITING_RECONFIRMATION' &&
    pledge.reconfirmBy !== null &&
    now.getTime() < pledge.reconfirmBy.getTime()
  );
}

/**
 * CN-PF-07: a confirmation call is valid only after the cooling-off period, on a pledge that needs
 * one and is still waiting for it.
 */
export function confirmationCallCheck(
  pledge: { status: PledgeStatus; confirmationRequired: boolean; coolingOffEndsAt: Date | null },
  now: Date,
): 'OK' | 'TOO_EARLY' | 'NOT_AWAITING' {
  if (pledge.coolingOffEndsAt && now.getTime() < pledge.coolingOffEndsAt.getTime())
    return 'TOO_EARLY';
  if (
    !pledge.confirmationRequired ||
    nextPledgeStatus({ ...pledge, resumeStatus: null }, 'CALL_CONFIRMED') === null
  )
    return 'NOT_AWAITING';
  return 'OK';
}

/** How a new pledge starts: its status, when its cooling-off ends, whether it needs the call. */
export interface PledgeWindows {
  status: ResumableStatus;
  coolingOffEndsAt: Date | null;
  confirmationRequired: boolean;
}

/**
 * The windows of a new pledge (CN-PF-06, CN-PF-07, CN-PF-10, CN-SUIT-13):
 * - reward and donation pledges have none (not financial products, PLAT-09);
 * - every ordinary investor, person or organisation, gets the cooling-off and (where the pack has
 *   calls) the confirmation call; a PROFESSIONAL or QUALIFIED investor is excused from each only
 *   where the pack says so;
 * - an R4/R5 product always gets the call where the pack has calls (CN-SUIT-13);
 * - the call comes after cooling-off, so a pledge needing a call without a cooling-off of its own
 *   waits for the call at once.
 */
export function initialWindows(
  investor: { professionalOrQualified: boolean },
  product: { kind: CampaignKind; riskRating: RiskRating | null },
  pack: Pick<
    RulePackParameters,
    | 'coolingOffHours'
    | 'confirmationCallRequired'
    | 'professionalCoolingOffExempt'
    | 'professionalConfirmationCallExempt'
  >,
  now: Date,
): PledgeWindows {
  if (!isFinancialProduct(product.kind))
    return { status: 'ACTIVE', coolingOffEndsAt: null, confirmationRequired: false };
  const excused = investor.professionalOrQualified;
  const highRisk = product.riskRating === 'R4' || product.riskRating === 'R5';
  const coolingOff = pack.coolingOffHours > 0 && !(excused && pack.professionalCoolingOffExempt);
  const call =
    pack.confirmationCallRequired &&
    (highRisk || !(excused && pack.professionalConfirmationCallExempt));
  // With a call but no cooling-off of its own, the call window starts now (and times out from now).
  const coolingOffEndsAt = coolingOff
    ? new Date(now.getTime() + pack.coolingOffHours * 3_600_000)
    : call
      ? now
      : null;
  const status: ResumableStatus = coolingOff
    ? 'COOLING_OFF'
    : call
      ? 'AWAITING_CONFIRMATION'
      : 'ACTIVE';
  return { status, coolingOffEndsAt, confirmationRequired: call };
}
