import { ConflictError } from '../../common/errors/domain-error.js';

export class EquityTermsLockedError extends ConflictError {
  constructor(status: string, kind: string) {
    super(
      'HOLDINGS.TERMS_LOCKED',
      'Equity terms belong to an EQUITY campaign and change only while it is a DRAFT.',
      { status, kind },
    );
  }
}

export class HoldingSupersededError extends ConflictError {
  constructor() {
    super(
      'HOLDINGS.SUPERSEDED',
      'A later register entry already corrects this holding: correct the current one.',
    );
  }
}
