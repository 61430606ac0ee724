import {
  ConflictError,
  NotFoundError,
  RuleViolationError,
} from '../../common/errors/domain-error.js';

export class InsufficientFundsError extends RuleViolationError {
  constructor(details?: Record<string, unknown>) {
    super(
      'LEDGER.INSUFFICIENT_FUNDS',
      'The account does not have enough available funds.',
      details,
    );
  }
}

export class TransferAlreadyResolvedError extends ConflictError {
  constructor(pendingId: string) {
    super('LEDGER.ALREADY_RESOLVED', 'This hold has already been posted or voided.', { pendingId });
  }
}

export class NotPendingError extends RuleViolationError {
  constructor(transferId: string) {
    super('LEDGER.NOT_PENDING', 'The transfer is not a pending hold.', { transferId });
  }
}

export class CurrencyMismatchError extends RuleViolationError {
  constructor(details: Record<string, unknown>) {
    super(
      'LEDGER.CURRENCY_MISMATCH',
      'Both accounts and the amount must be in the same currency.',
      details,
    );
  }
}

export class AccountNotFoundError extends NotFoundError {
  constructor(code: string) {
    super('Ledger account', { code });
  }
}

export class TransferNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('Transfer', { id });
  }
}

export class IdempotencyKeyReusedError extends ConflictError {
  constructor() {
    super(
      'IDEMPOTENCY.KEY_REUSED',
      'This Idempotency-Key was already used for a different request.',
    );
  }
}
