import { DomainError } from '../../common/errors/domain-error.js';

/** `from` must come before `to`: an empty or inverted window is a caller's mistake, not an empty file. */
export class JournalRangeError extends DomainError {
  constructor(from: string, to: string) {
    super('FINANCE.INVALID_RANGE', 'VALIDATION', '`from` must be earlier than `to`.', {
      from,
      to,
    });
  }
}
