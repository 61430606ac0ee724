import {
  ConflictError,
  ForbiddenError,
  RuleViolationError,
} from '../../common/errors/domain-error.js';

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

/** Issue 15: two campaigns that cannot be a linked raise (`reason` from linked-raise.rules.ts). */
export class LinkNotAllowedError extends RuleViolationError {
  constructor(reason: string) {
    super(
      'CAMPAIGN.LINK_NOT_ALLOWED',
      'A linked raise is one EQUITY and one DEBT campaign of the same founder, both all-or-nothing.',
      { reason },
    );
  }
}

/** Issue 15: a campaign is in one linked raise at most. */
export class AlreadyLinkedError extends ConflictError {
  constructor(campaignId: string) {
    super('CAMPAIGN.ALREADY_LINKED', 'This campaign is already part of a linked raise.', {
      campaignId,
    });
  }
}

/** Issue 15: the two sides of a linked raise are decided at one deadline. */
export class LinkedDeadlinesDifferError extends RuleViolationError {
  constructor(partnerId: string, partnerDeadline: Date) {
    super(
      'CAMPAIGN.LINKED_DEADLINES_DIFFER',
      'A linked campaign needs the same deadline as its partner: edit one of them first.',
      { partnerId, partnerDeadline: partnerDeadline.toISOString() },
    );
  }
}
