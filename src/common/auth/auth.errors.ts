import { DomainError, ForbiddenError, UnauthenticatedError } from '../errors/domain-error.js';

/** Issue 12: an expired access token says so, so a client knows to refresh rather than sign in. */
export class AccessTokenExpiredError extends DomainError {
  constructor() {
    super('AUTH.TOKEN_EXPIRED', 'UNAUTHENTICATED', 'The access token has expired; refresh it.');
  }
}

/** A well-formed, correctly signed access token whose session was ended (logout, password change). */
export class SessionEndedError extends UnauthenticatedError {
  constructor() {
    super('The session has ended; sign in again.');
  }
}

/** A staff session without a second factor, on any route but enrolment (issue 13). */
export class SecondFactorRequiredError extends ForbiddenError {
  constructor() {
    super(
      'Staff accounts must sign in with a TOTP second factor; enrol at POST /me/totp/enrol, then sign in again.',
      'AUTH.SECOND_FACTOR_REQUIRED',
    );
  }
}

export type StepUpProblem = 'MISSING' | 'STALE' | 'INVALID_CODE' | 'NO_SECOND_FACTOR';

/** A step-up route without a fresh second factor (issue 13: payout approval). */
export class StepUpRequiredError extends ForbiddenError {
  constructor(reason: StepUpProblem, freshSeconds: number) {
    super(
      reason === 'INVALID_CODE'
        ? 'The TOTP code in X-TOTP-Code is wrong or was already used.'
        : 'This action needs a current TOTP code in the X-TOTP-Code header.',
      'AUTH.STEP_UP_REQUIRED',
      { reason, header: 'X-TOTP-Code', freshSeconds },
    );
  }
}
