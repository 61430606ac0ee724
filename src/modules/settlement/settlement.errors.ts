import { ConflictError, RuleViolationError } from '../../common/errors/domain-error.js';

/** Payouts follow settlement (DESIGN §4): only a settled campaign's net is paid out. */
export class PayoutNotSettledError extends RuleViolationError {
  constructor(status: string) {
    super('PAYOUT.NOT_SETTLED', 'Only a settled campaign can be paid out.', { status });
  }
}

export class NothingToPayError extends RuleViolationError {
  constructor() {
    super('PAYOUT.NOTHING_TO_PAY', 'This campaign has no net amount to pay out.');
  }
}

export class PayoutAlreadyRequestedError extends ConflictError {
  constructor() {
    super('PAYOUT.ALREADY_REQUESTED', 'A payout for this campaign already exists.');
  }
}
