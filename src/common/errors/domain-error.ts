/**
 * Every failure a caller can act on is a DomainError with a stable code (DESIGN §7). Domain code
 * never throws HTTP exceptions; the global filter maps the kind to a status.
 */
export type ErrorKind =
  | 'VALIDATION' // 400
  | 'UNAUTHENTICATED' // 401
  | 'FORBIDDEN' // 403
  | 'NOT_FOUND' // 404
  | 'CONFLICT' // 409
  | 'PAYLOAD_TOO_LARGE' // 413
  | 'UNSUPPORTED_MEDIA_TYPE' // 415
  | 'RULE_VIOLATION' // 422
  | 'RATE_LIMITED'; // 429

export type ErrorDetails = Record<string, unknown>;

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** One entry per bad field, so clients can show the problem next to the field. */
export interface FieldProblem {
  field: string;
  problems: string[];
}

export class ValidationFailedError extends DomainError {
  constructor(fields: FieldProblem[], message = 'The request is not valid.') {
    super('VALIDATION_FAILED', 'VALIDATION', message, { fields });
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Authentication is required.') {
    super('AUTH.UNAUTHENTICATED', 'UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'You may not do this.', code = 'AUTH.FORBIDDEN', details?: ErrorDetails) {
    super(code, 'FORBIDDEN', message, details);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, details?: ErrorDetails) {
    super('NOT_FOUND', 'NOT_FOUND', `${what} was not found.`, details);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: ErrorDetails) {
    super(code, 'CONFLICT', message, details);
  }
}

export class RuleViolationError extends DomainError {
  constructor(code: string, message: string, details?: ErrorDetails) {
    super(code, 'RULE_VIOLATION', message, details);
  }
}

export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', 'RATE_LIMITED', 'Too many attempts; try again later.', {
      retryAfterSeconds,
    });
  }
}
