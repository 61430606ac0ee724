import {
  ConflictError,
  RuleViolationError,
  UnauthenticatedError,
} from '../../common/errors/domain-error.js';
import type { RicProblem, UsccProblem } from './id-numbers.js';

const RIC_MESSAGES: Record<RicProblem, string> = {
  FORMAT: 'An ID number is 17 digits followed by a digit or X.',
  CHECKSUM: 'The ID number check character does not match (GB 11643).',
  DATE: 'The birth date in the ID number is not a real date.',
  DATE_IN_FUTURE: 'The birth date in the ID number is in the future.',
  BIRTH_YEAR_TOO_EARLY: 'The birth year in the ID number is before 1900.',
};

/** ID-RIC-01..04. The number itself is never echoed back. */
export class InvalidIdNumberError extends RuleViolationError {
  constructor(field: string, problem: RicProblem) {
    super('IDENTITY.INVALID_ID_NUMBER', RIC_MESSAGES[problem], { field, problem });
  }
}

const USCC_MESSAGES: Record<UsccProblem, string> = {
  LENGTH: 'A unified social credit code has exactly 18 characters.',
  CHARSET: 'A unified social credit code uses only 0-9 and A-Y without I, O, S, V and Z.',
  FORMAT: 'Positions 3 to 8 of a unified social credit code must be digits.',
  CHECKSUM: 'The unified social credit code check character does not match (GB 32100).',
};

/** ID-USCC-01..03. */
export class InvalidUsccError extends RuleViolationError {
  constructor(field: string, problem: UsccProblem) {
    super('IDENTITY.INVALID_USCC', USCC_MESSAGES[problem], { field, problem });
  }
}

/** PLAT-02. */
export class UnderageError extends RuleViolationError {
  constructor(field: string, minimumAge: number) {
    super('IDENTITY.UNDERAGE', `The holder must be at least ${minimumAge} years old.`, {
      field,
      minimumAge,
    });
  }
}

export class IdNumberInUseError extends ConflictError {
  constructor() {
    super(
      'IDENTITY.ID_NUMBER_IN_USE',
      'This identity number is already verified on another account.',
    );
  }
}

export class AlreadyVerifiedError extends ConflictError {
  constructor() {
    super(
      'IDENTITY.ALREADY_VERIFIED',
      'This account has already completed real-name verification.',
    );
  }
}

export class EmailTakenError extends ConflictError {
  constructor() {
    super('AUTH.EMAIL_TAKEN', 'An account with this e-mail already exists.');
  }
}

export class InvalidCredentialsError extends UnauthenticatedError {
  constructor() {
    super('E-mail or password is wrong.');
  }
}
