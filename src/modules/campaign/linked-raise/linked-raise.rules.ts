import type { CampaignEntity } from '../campaign.entities.js';
import type { CampaignStatus } from '../campaign.state.js';

/** A row of `campaign_links` (migration 1765926000000): one EQUITY and one DEBT campaign. */
export interface CampaignLink {
  equityCampaignId: string;
  debtCampaignId: string;
  founderId: string;
  linkedBy: string;
  linkedAt: Date;
}

/** What a linked raise needs of its two campaigns, as columns (issue 15, 投贷联动). */
export type LinkSide = Pick<
  CampaignEntity,
  'id' | 'founderId' | 'kind' | 'fundingModel' | 'status' | 'deadline'
>;

/** Why two campaigns cannot be (or stay) a linked raise; `details.reason` of the 422. */
export type LinkRefusal =
  'SAME_CAMPAIGN' | 'NOT_EQUITY_AND_DEBT' | 'FLEXIBLE' | 'DIFFERENT_FOUNDER' | 'DEADLINES_DIFFER';

/**
 * Whether `equity` and `debt` may form a linked raise: two different campaigns of one founder,
 * an EQUITY and a DEBT one, both all-or-nothing (a FLEXIBLE side would "succeed" with anything
 * raised, which cannot be tied to the other side's target; RW-01). The deadline is checked at
 * submission (`deadlineRefusal`), since a DRAFT's deadline may still be edited.
 */
export function linkRefusal(equity: LinkSide, debt: LinkSide): LinkRefusal | null {
  if (equity.id === debt.id) return 'SAME_CAMPAIGN';
  if (equity.kind !== 'EQUITY' || debt.kind !== 'DEBT') return 'NOT_EQUITY_AND_DEBT';
  if (equity.fundingModel !== 'ALL_OR_NOTHING' || debt.fundingModel !== 'ALL_OR_NOTHING')
    return 'FLEXIBLE';
  if (equity.founderId !== debt.founderId) return 'DIFFERENT_FOUNDER';
  return null;
}

/** At submission: the pair still qualifies and both sides share one deadline (decided together). */
export function submitRefusal(equity: LinkSide, debt: LinkSide): LinkRefusal | null {
  return (
    linkRefusal(equity, debt) ??
    (equity.deadline.getTime() === debt.deadline.getTime() ? null : 'DEADLINES_DIFFER')
  );
}

/** A linked raise is set up only while both campaigns are DRAFTs. */
export const LINKABLE: readonly CampaignStatus[] = ['DRAFT'];

/**
 * ...and taken apart only while neither has gone to review: each side a DRAFT, or CANCELLED (a
 * cancelled draft raises nothing, so its partner is set free; once a side went to review the
 * pair's fate is tied).
 */
export const UNLINKABLE: readonly CampaignStatus[] = ['DRAFT', 'CANCELLED'];

/**
 * What the deadline sweep does with the linked side `self` (LIVE and due) given its partner
 * (RW-01, issue 15): close the pair together when the partner is LIVE and due too; wait while the
 * partner is not yet due or SUSPENDED (an administrator resumes or cancels it); let `self` close on
 * its own when the partner closed already (the settlement step then decides the pair); else the
 * partner can no longer succeed (never went live, cancelled, failed), so `self` fails.
 */
export function linkedCloseStep(
  partner: Pick<LinkSide, 'status' | 'deadline'>,
  now: Date,
): 'CLOSE_PAIR' | 'WAIT' | 'CLOSE_ALONE' | 'FAIL' {
  if (partner.status === 'LIVE') return partner.deadline > now ? 'WAIT' : 'CLOSE_PAIR';
  if (partner.status === 'SUSPENDED') return 'WAIT';
  if (partner.status === 'CLOSING') return 'CLOSE_ALONE';
  return 'FAIL';
}

/**
 * What the settlement sweep does with the linked side `self` (CLOSING) given its partner: decide
 * the pair together when the partner is CLOSING too; wait while the partner has not closed
 * (LIVE or SUSPENDED); else the partner failed, was cancelled or never went live, so `self` fails.
 */
export function linkedSettleStep(
  partner: Pick<LinkSide, 'status'>,
): 'DECIDE_PAIR' | 'WAIT' | 'FAIL' {
  if (partner.status === 'CLOSING') return 'DECIDE_PAIR';
  if (partner.status === 'LIVE' || partner.status === 'SUSPENDED') return 'WAIT';
  return 'FAIL';
}
