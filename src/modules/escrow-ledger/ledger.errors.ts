import { pgError } from '../../database/transaction.js';
import type { NewTransfer } from './ledger.types.js';
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

/**
 * Postgres's refusals of a transfer write, as the ledger's domain errors (INV-5 overdraft: FUNDS;
 * INV-6; currency), for the ledger's own writes and for the statements that place a transfer
 * through the ledger's functions (the pledge's locked section, DESIGN §10: LedgerService.
 * translateWriteError).
 */
export function translateWriteError(error: unknown, transfers: readonly NewTransfer[]): unknown {
  const { code, constraint, detail } = pgError(error);
  if (code === '23514' && constraint === 'ledger_accounts_no_overdraft_check') {
    return new InsufficientFundsError();
  }
  if (code === 'P0002' && constraint === 'ledger_transfers_hold_found') {
    return new TransferNotFoundError(detail ?? ''); // ledger_post_holds: the missing hold's id
  }
  if (code === '23514' && constraint === 'ledger_transfers_resolves_pending_check') {
    return new NotPendingError(transfers.length === 1 ? (transfers[0].pendingId ?? '') : '');
  }
  if (code === '23505' && constraint === 'ledger_transfers_pending_id_key') {
    return new TransferAlreadyResolvedError(
      transfers.length === 1 ? (transfers[0].pendingId ?? '') : '',
    );
  }
  if (
    code === '23503' &&
    (constraint === 'ledger_transfers_debit_fkey' || constraint === 'ledger_transfers_credit_fkey')
  ) {
    return new CurrencyMismatchError({ constraint });
  }
  return error;
}
