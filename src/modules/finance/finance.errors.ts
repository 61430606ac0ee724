import { DomainError, NotFoundError } from '../../common/errors/domain-error.js';

/** 404 NOT_FOUND (DESIGN §7) for a ledger account code that does not exist. */
export class FinanceAccountNotFoundError extends NotFoundError {
  constructor(code: string) {
    super('Ledger account', { account: code });
  }
}

/** 404 NOT_FOUND for an unknown campaign. */
export class FinanceCampaignNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('Campaign', { campaignId: id });
  }
}

/**
 * A trial balance `asOf` later than now is refused: transfers can still be created up to that
 * instant, so the figures would not be final and a second read could differ.
 */
export class AsOfInFutureError extends DomainError {
  constructor(asOf: string, now: string) {
    super('FINANCE.AS_OF_IN_FUTURE', 'VALIDATION', 'asOf must not be later than now.', {
      asOf,
      now,
    });
  }
}

/** A statement cursor that is not one we issued, or belongs to another account or range. */
export class InvalidStatementCursorError extends DomainError {
  constructor(reason: string) {
    super('FINANCE.INVALID_CURSOR', 'VALIDATION', 'The cursor is not valid for this statement.', {
      reason,
    });
  }
}

/** `from` must be before `to`. */
export class InvalidStatementRangeError extends DomainError {
  constructor() {
    super('FINANCE.INVALID_RANGE', 'VALIDATION', '`from` must be earlier than `to`.');
  }
}
