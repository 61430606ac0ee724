import { RuleViolationError } from '../../common/errors/domain-error.js';

export class NotADonationCampaignError extends RuleViolationError {
  constructor(kind: string) {
    super(
      'CHARITY.NOT_A_DONATION_CAMPAIGN',
      'Fund-use plans, receipts and reports are for donation campaigns only.',
      { kind },
    );
  }
}

export class CharityPlanLockedError extends RuleViolationError {
  constructor(status: string) {
    super(
      'CHARITY.PLAN_LOCKED',
      'The charity and fund-use plan can change only while the campaign is a draft or was rejected.',
      { status },
    );
  }
}

/** PLAT-08: the named charity must be the qualified, verified organisation running the campaign. */
export class CharityNotRegisteredError extends RuleViolationError {
  constructor(reason: 'NOT_QUALIFIED' | 'USCC_MISMATCH') {
    super(
      'CHARITY.NOT_REGISTERED',
      "The USCC does not name the campaign's qualified charity (PLAT-08).",
      { reason, rule: 'PLAT-08' },
    );
  }
}

export class CharityPlanRequiredError extends RuleViolationError {
  constructor() {
    super(
      'CHARITY.PLAN_REQUIRED',
      'Name the registered charity and the fund-use plan first: PUT /campaigns/:id/charity-plan (PLAT-08).',
      { rule: 'PLAT-08' },
    );
  }
}

export class CharityPlanTooSmallError extends RuleViolationError {
  constructor(target: string, planned: string) {
    super(
      'CHARITY.PLAN_TOO_SMALL',
      'The fund-use plan must account for at least the target amount.',
      { target, planned },
    );
  }
}

export class DonationNotSettledError extends RuleViolationError {
  constructor(status: string) {
    super('CHARITY.NOT_SETTLED', 'The donation campaign has not settled.', { status });
  }
}

export class UnknownPurposeError extends RuleViolationError {
  constructor(purposes: string[]) {
    super('CHARITY.UNKNOWN_PURPOSE', 'A purpose is not in the fund-use plan.', { purposes });
  }
}

export class SpentExceedsRaisedError extends RuleViolationError {
  constructor(raised: string, spent: string) {
    super(
      'CHARITY.SPENT_EXCEEDS_RAISED',
      'The reports would account for more than the charity received.',
      { raised, spent },
    );
  }
}
