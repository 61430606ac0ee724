import { RuleViolationError } from '../../common/errors/domain-error.js';

export class CampaignNotOpenError extends RuleViolationError {
  constructor(status: string) {
    super('CAMPAIGN.NOT_OPEN', 'The campaign is not taking pledges.', { status });
  }
}

export class PledgeRuleError extends RuleViolationError {}

export const PledgeErrors = {
  belowMinimum: (minimum: string) =>
    new PledgeRuleError('PLEDGE.BELOW_MINIMUM', `The least you can pledge is ${minimum}.`, {
      minimum,
    }),
  aboveMaximum: (maximum: string) =>
    new PledgeRuleError('PLEDGE.ABOVE_MAXIMUM', `The most you can pledge is ${maximum}.`, {
      maximum,
    }),
  notUnitMultiple: (unitPrice: string) =>
    new PledgeRuleError(
      'PLEDGE.NOT_A_UNIT_MULTIPLE',
      `Equity is bought in whole units of ${unitPrice}.`,
      { unitPrice },
    ),
  hardCap: (remaining: string) =>
    new PledgeRuleError(
      'PLEDGE.HARD_CAP_EXCEEDED',
      'The pledge would take the campaign past its maximum.',
      { remaining },
    ),
  investorCap: (cap: number) =>
    new PledgeRuleError(
      'PLEDGE.INVESTOR_CAP_REACHED',
      'This private offering has all the investors it may have (CN-ECF-04).',
      { cap },
    ),
  soldOut: (tierId: string) =>
    new PledgeRuleError('PLEDGE.REWARD_SOLD_OUT', 'This reward tier is sold out.', {
      rewardTierId: tierId,
    }),
  limit: (details: Record<string, unknown>) =>
    new PledgeRuleError(
      'PLEDGE.LIMIT_EXCEEDED',
      'The pledge exceeds your 12-month investment limit.',
      details,
    ),
  notCancellable: (status: string, reason: string) =>
    new PledgeRuleError('PLEDGE.NOT_CANCELLABLE', reason, { status }),
  specialWarningRequired: (details: Record<string, unknown>) =>
    new PledgeRuleError(
      'SUITABILITY.SPECIAL_WARNING_REQUIRED',
      'The product is riskier than your assessed tolerance: accept the special written warning to continue (CN-SUIT-11).',
      details,
    ),
  blocked: (details: Record<string, unknown>) =>
    new PledgeRuleError(
      'SUITABILITY.BLOCKED',
      'This product is above what your risk category allows (CN-SUIT-12(5)).',
      details,
    ),
  tierRequired: () =>
    new PledgeRuleError(
      'PLEDGE.REWARD_TIER_INVALID',
      "Choose one of this campaign's reward tiers.",
    ),
  callTooEarly: (coolingOffEndsAt: string) =>
    new PledgeRuleError(
      'PLEDGE.CALL_TOO_EARLY',
      'A confirmation call during the cooling-off period is invalid (CN-PF-07).',
      { coolingOffEndsAt },
    ),
  notAwaitingCall: (status: string) =>
    new PledgeRuleError(
      'PLEDGE.NOT_AWAITING_CONFIRMATION',
      'This pledge is not waiting for a confirmation call.',
      { status },
    ),
  notAwaitingReconfirmation: (status: string) =>
    new PledgeRuleError(
      'PLEDGE.NOT_AWAITING_RECONFIRMATION',
      'This pledge is not waiting for a reconfirmation (or the window has closed).',
      { status },
    ),
  underage: () =>
    new PledgeRuleError(
      'IDENTITY.UNDERAGE',
      'Investors must be at least 18 on the day of the pledge (PLAT-02).',
    ),
};
