import {
  ConflictError,
  DomainError,
  ForbiddenError,
  RuleViolationError,
} from '../../common/errors/domain-error.js';

/** An unknown, expired or revoked refresh token (issue 13). */
export class RefreshTokenInvalidError extends DomainError {
  constructor() {
    super(
      'AUTH.REFRESH_TOKEN_INVALID',
      'UNAUTHENTICATED',
      'The refresh token is not valid or has expired; sign in again.',
    );
  }
}

/** A refresh token presented a second time: its whole session was revoked (issue 13). */
export class RefreshTokenReusedError extends DomainError {
  constructor() {
    super(
      'AUTH.REFRESH_TOKEN_REUSED',
      'UNAUTHENTICATED',
      'This refresh token was already used; the session has been ended for safety. Sign in again.',
    );
  }
}

/** The TOTP challenge of a staff sign-in is unknown or expired. */
export class ChallengeInvalidError extends DomainError {
  constructor() {
    super(
      'AUTH.CHALLENGE_INVALID',
      'UNAUTHENTICATED',
      'The sign-in challenge is not valid or has expired; sign in with your password again.',
    );
  }
}

/** A wrong, reused or expired TOTP code or recovery code at sign-in. */
export class InvalidSecondFactorError extends DomainError {
  constructor() {
    super(
      'AUTH.INVALID_SECOND_FACTOR',
      'UNAUTHENTICATED',
      'The code is wrong, expired or was already used.',
    );
  }
}

/** A wrong code while confirming a TOTP enrolment. */
export class InvalidTotpCodeError extends RuleViolationError {
  constructor() {
    super(
      'AUTH.INVALID_TOTP_CODE',
      'The code does not match the secret being enrolled; check the authenticator app and the device clock.',
    );
  }
}

export class TotpAlreadyEnrolledError extends ConflictError {
  constructor() {
    super('AUTH.TOTP_ALREADY_ENROLLED', 'A TOTP second factor is already active on this account.');
  }
}

export class TotpNotEnrolledError extends ConflictError {
  constructor() {
    super('AUTH.TOTP_NOT_ENROLLED', 'Start an enrolment first: POST /me/totp/enrol.');
  }
}

/** The current password given to change it is wrong. */
export class WrongPasswordError extends ForbiddenError {
  constructor() {
    super('The current password is wrong.', 'AUTH.WRONG_PASSWORD');
  }
}

export type OneTimeTokenProblem = 'EXPIRED' | 'INVALID';

export class ResetTokenInvalidError extends RuleViolationError {
  constructor(reason: OneTimeTokenProblem) {
    super(
      'AUTH.RESET_TOKEN_INVALID',
      reason === 'EXPIRED'
        ? 'The password reset link has expired; ask for a new one.'
        : 'The password reset link is not valid or was already used; ask for a new one.',
      { reason },
    );
  }
}

export class VerificationTokenInvalidError extends RuleViolationError {
  constructor(reason: OneTimeTokenProblem) {
    super(
      'AUTH.VERIFICATION_TOKEN_INVALID',
      reason === 'EXPIRED'
        ? 'The verification link has expired; ask for a new one (POST /me/email-verification).'
        : 'The verification link is not valid or was already used.',
      { reason },
    );
  }
}

export class EmailAlreadyVerifiedError extends ConflictError {
  constructor() {
    super('AUTH.EMAIL_ALREADY_VERIFIED', 'This e-mail address is already verified.');
  }
}

/** Issue 13: an unverified e-mail cannot pledge or submit a campaign. */
export class EmailNotVerifiedError extends ForbiddenError {
  constructor() {
    super(
      'Verify your e-mail address first (the link in the mail we sent; POST /me/email-verification sends it again).',
      'IDENTITY.EMAIL_NOT_VERIFIED',
    );
  }
}
