import {
  ConflictError,
  ForbiddenError,
  RuleViolationError,
} from '../../common/errors/domain-error.js';

/** Only a SETTLED campaign's net can be paid out (DESIGN §6-§7). */
export class PayoutNotSettledError extends RuleViolationError {
  constructor(status: string) {
    super('PAYOUT.NOT_SETTLED', 'Only a settled campaign can be paid out.', { status });
  }
}

export class NothingToPayError extends RuleViolationError {
  constructor() {
    super(
      'PAYOUT.NOTHING_TO_PAY',
      'Nothing of this campaign is left to pay out: the rest is paid or requested, kept by fulfilment (the holdback) or owed to backers’ claims.',
    );
  }
}

/** One REQUESTED payout per campaign at a time (partial unique index payouts_campaign_id_requested_key). */
export class PayoutAlreadyRequestedError extends ConflictError {
  constructor() {
    super(
      'PAYOUT.ALREADY_REQUESTED',
      'A payout for this campaign is waiting for a decision; ask again once it is decided.',
    );
  }
}

/** Maker-checker (DESIGN §1, FINANCE): the requester never decides their own payout. */
export class MakerCheckerError extends ForbiddenError {
  constructor() {
    super('The requester cannot approve their own payout.', 'PAYOUT.MAKER_CHECKER');
  }
}

export class PayoutAlreadyDecidedError extends ConflictError {
  constructor(status: string) {
    super('PAYOUT.ALREADY_DECIDED', `The payout was already ${status}.`, { status });
  }
}
