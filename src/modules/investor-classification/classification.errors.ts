import {
  ConflictError,
  ForbiddenError,
  RuleViolationError,
} from '../../common/errors/domain-error.js';

export class QuestionnaireVersionMismatchError extends ConflictError {
  constructor(current: string) {
    super(
      'CLASSIFICATION.QUESTIONNAIRE_VERSION_MISMATCH',
      'The answers are for a questionnaire version that is not the current one; fetch it again.',
      { currentVersion: current },
    );
  }
}

export class AssessmentRequiredError extends RuleViolationError {
  constructor() {
    super('CLASSIFICATION.ASSESSMENT_REQUIRED', 'Complete the risk questionnaire first (PLAT-09).');
  }
}

export class AssessmentExpiredError extends RuleViolationError {
  constructor(validUntil: Date) {
    super(
      'CLASSIFICATION.ASSESSMENT_EXPIRED',
      'The risk assessment has expired; take the questionnaire again (CN-SUIT-18).',
      {
        validUntil: validUntil.toISOString(),
      },
    );
  }
}

export class NotQualifiedError extends ForbiddenError {
  constructor(details?: Record<string, unknown>) {
    super(
      'Only qualified investors may do this (CN-ECF-03).',
      'CLASSIFICATION.NOT_QUALIFIED',
      details,
    );
  }
}

export class ApplicationPendingError extends ConflictError {
  constructor() {
    super(
      'CLASSIFICATION.APPLICATION_PENDING',
      'An application of this type is already waiting for a decision.',
    );
  }
}

export class ApplicationDecidedError extends ConflictError {
  constructor(status: string) {
    super(
      'CLASSIFICATION.APPLICATION_DECIDED',
      `The application was already decided (${status}).`,
      { status },
    );
  }
}

export class FinancialsRequiredError extends RuleViolationError {
  constructor() {
    super(
      'CLASSIFICATION.FINANCIALS_REQUIRED',
      'The investor has not declared their financial figures.',
    );
  }
}

export class ThresholdsNotMetError extends RuleViolationError {
  constructor(details: Record<string, unknown>) {
    super(
      'CLASSIFICATION.THRESHOLDS_NOT_MET',
      'The declared figures do not meet the thresholds for this status.',
      details,
    );
  }
}

export class NotProfessionalError extends ConflictError {
  constructor() {
    super(
      'CLASSIFICATION.NOT_PROFESSIONAL',
      'Only a professional investor can opt down (CN-SUIT-03).',
    );
  }
}
