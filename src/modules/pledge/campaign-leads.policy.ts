import { ForbiddenError, RuleViolationError } from '../../common/errors/domain-error.js';
import { Money } from '../../common/money/money.js';
import type { LeadStatus } from './campaign-leads.repository.js';

/** Rules that refuse on a lead investor's account (issue 15, 领投 + 跟投). */
export const LEAD_RULES = ['D: lead investor before followers (issue 15, 领投 + 跟投)'];

export const LeadErrors = {
  required: (details: LeadGateDetails) =>
    new RuleViolationError(
      'CAMPAIGN.LEAD_REQUIRED',
      'Followers may pledge once the lead investor has committed its share and published its due-diligence memo.',
      { ...details, rules: LEAD_RULES },
    ),
  notEligible: (reason: string) =>
    new RuleViolationError(
      'CAMPAIGN.LEAD_NOT_ELIGIBLE',
      'A lead investor is a qualified or professional investor, or an organisation flagged institutional.',
      { reason, rules: ['CN-ECF-03', 'CN-PF-02', ...LEAD_RULES] },
    ),
  locked: (status: string, kind: string) =>
    new RuleViolationError(
      'CAMPAIGN.LEAD_LOCKED',
      'A lead is named for an EQUITY campaign while it is a draft.',
      { status, kind },
    ),
  notTheLead: () =>
    new ForbiddenError("Only the campaign's lead investor may do this.", 'CAMPAIGN.NOT_THE_LEAD'),
  withdrawn: () =>
    new RuleViolationError(
      'CAMPAIGN.LEAD_WITHDRAWN',
      'The lead investor has withdrawn from this campaign.',
    ),
};

export interface LeadGateDetails {
  leadStatus: LeadStatus;
  /** What the lead must commit: minShare x target, rounded up to the fen. */
  required: string;
  committed: string;
  memoPublished: boolean;
}

/** Where a pledger stands on a campaign with a lead: the lead itself, or a follower. */
export type LeadGate = { role: 'LEAD' } | ({ role: 'FOLLOWER' } & LeadGateDetails);

/** The lead's commitment: minShare of the target, rounded up to the fen. */
export function requiredCommitment(target: string, minShare: string, currency: string): Money {
  return Money.fromDecimalString(target, currency).times(minShare, 'UP');
}

/** Whether followers may pledge: the lead is in place, has committed its share and its memo. */
export function leadInPlace(gate: LeadGateDetails, currency: string): boolean {
  return (
    gate.leadStatus === 'ACTIVE' &&
    gate.memoPublished &&
    !Money.fromDecimalString(gate.committed, currency).lessThan(
      Money.fromDecimalString(gate.required, currency),
    )
  );
}

/** CAMPAIGN.LEAD_REQUIRED for a follower while the lead is not in place (issue 15). */
export function checkLeadGate(gate: LeadGate | null, currency: string): void {
  if (!gate || gate.role === 'LEAD' || leadInPlace(gate, currency)) return;
  const { leadStatus, required, committed, memoPublished } = gate;
  throw LeadErrors.required({ leadStatus, required, committed, memoPublished });
}
