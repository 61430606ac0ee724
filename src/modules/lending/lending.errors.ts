import { ConflictError, RuleViolationError } from '../../common/errors/domain-error.js';

/** CN-P2P-02: the loan would take the borrower over a cap; both figures are in the details. */
export class BorrowerCapExceededError extends RuleViolationError {
  constructor(details: {
    scope: 'PLATFORM' | 'ALL_PLATFORMS';
    requested: string;
    outstandingHere: string;
    /** The borrower's other DEBT campaigns that may still become loans (their maxAmount). */
    inFlightHere: string;
    otherPlatformDebt: string;
    capHere: string;
    capAll: string;
    /** What the borrower would owe in the refused scope with this loan. */
    wouldOwe: string;
    /** The cap of that scope. */
    cap: string;
  }) {
    super(
      'LENDING.BORROWER_CAP_EXCEEDED',
      `This loan would bring the borrower's debt to ${details.wouldOwe}, over the cap of ${details.cap} (CN-P2P-02).`,
      { rule: 'CN-P2P-02', ...details },
    );
  }
}

export class LoanTermsRequiredError extends RuleViolationError {
  constructor() {
    super(
      'LENDING.TERMS_REQUIRED',
      'A debt campaign needs its loan terms before it goes to review (PUT /campaigns/:id/loan-terms).',
    );
  }
}

export class RateAboveCapError extends RuleViolationError {
  constructor(field: string, rate: string, cap: string) {
    super(
      'LENDING.RATE_ABOVE_CAP',
      `The ${field} ${rate} is above the platform's cap of ${cap} (CN-P2P-02).`,
      { rule: 'CN-P2P-02', field, rate, cap },
    );
  }
}

export class PurposeForbiddenError extends RuleViolationError {
  constructor(category: string) {
    super(
      'LENDING.PURPOSE_FORBIDDEN',
      'Loans may not fund stocks, off-market margin, futures, structured products or derivatives (CN-P2P-05(11), CN-P2P-06).',
      { rule: 'CN-P2P-05', purposeCategory: category },
    );
  }
}

export class LoanTermsInvalidError extends RuleViolationError {
  constructor(field: string, problem: string) {
    super('LENDING.TERMS_INVALID', problem, { field });
  }
}

export class NotADebtCampaignError extends ConflictError {
  constructor(status: string, kind: string) {
    super(
      'LENDING.TERMS_LOCKED',
      'Loan terms belong to a DEBT campaign and change only while it is a DRAFT.',
      { status, kind },
    );
  }
}
