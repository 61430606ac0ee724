import { ConflictError, RuleViolationError } from '../../common/errors/domain-error.js';
import type { MissingAcknowledgement } from './risk-disclosure.types.js';

/** The investor acknowledged a version that is not (or no longer) the current one: read it again. */
export class StaleDisclosureVersionError extends ConflictError {
  constructor(requestedVersion: number, currentVersion: number, currentSha256: string) {
    super(
      'DISCLOSURE.STALE_VERSION',
      'This is not the current version of the disclosure; read the current version and acknowledge it.',
      { requestedVersion, currentVersion, currentSha256 },
    );
  }
}

/**
 * CN-SUIT-11: the special warning the investor accepted is not the one in force for them now (an
 * older version, or a hash that does not match the text): read the current one and accept it.
 */
export class SpecialWarningStaleError extends ConflictError {
  constructor(
    accepted: { version: string; sha256: string },
    current: { version: string; sha256: string; text: string },
  ) {
    super(
      'DISCLOSURE.STALE_VERSION',
      'The special risk warning you accepted is not the current one for you; read it again and accept it.',
      {
        accepted: { version: accepted.version, sha256: accepted.sha256 },
        warning: { version: current.version, sha256: current.sha256, text: current.text },
      },
    );
  }
}

/** CN-ECF-10, CN-SUIT-15: the current disclosures must be acknowledged before a pledge. */
export class AcknowledgementRequiredError extends RuleViolationError {
  constructor(missing: MissingAcknowledgement[]) {
    super(
      'DISCLOSURE.ACKNOWLEDGEMENT_REQUIRED',
      'Read and acknowledge the current risk disclosures first (CN-ECF-10, CN-SUIT-15).',
      { missing },
    );
  }
}

/** CN-SUIT-11: a special warning is for a product above the investor's tolerance only. */
export class SpecialWarningNotApplicableError extends RuleViolationError {
  constructor(investorLevel: string, productLevel: string) {
    super(
      'DISCLOSURE.SPECIAL_WARNING_NOT_APPLICABLE',
      'A special written risk warning applies only when the product risk is above the investor’s tolerance (CN-SUIT-11).',
      { investorLevel, productLevel },
    );
  }
}
