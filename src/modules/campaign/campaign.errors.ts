import { ForbiddenError, RuleViolationError } from '../../common/errors/domain-error.js';

export class RealNameRequiredError extends ForbiddenError {
  constructor() {
    super(
      'Complete real-name verification first (PLAT-01, CN-ECF-02).',
      'IDENTITY.REAL_NAME_REQUIRED',
    );
  }
}

export class FounderNotEligibleError extends RuleViolationError {
  constructor(reason: string, rule: string) {
    super('CAMPAIGN.FOUNDER_NOT_ELIGIBLE', reason, { rule });
  }
}

export class SelfApprovalError extends ForbiddenError {
  constructor() {
    super('Nobody may approve their own campaign.', 'CAMPAIGN.SELF_APPROVAL');
  }
}

export class DeadlinePassedError extends RuleViolationError {
  constructor() {
    super('CAMPAIGN.DEADLINE_PASSED', 'The campaign deadline has passed; edit the terms first.');
  }
}

export class HasPledgesError extends RuleViolationError {
  constructor() {
    super(
      'CAMPAIGN.HAS_PLEDGES',
      'A founder can cancel only before any pledge; ask an administrator.',
    );
  }
}

/** PLAT-07: this deployment is not licensed for the campaign's kind (PLATFORM_LINES). */
export class LineNotEnabledError extends RuleViolationError {
  constructor(kind: string, enabled: readonly string[]) {
    super('CAMPAIGN.LINE_NOT_ENABLED', `This platform does not run ${kind} campaigns (PLAT-07).`, {
      kind,
      enabled: [...enabled],
    });
  }
}
