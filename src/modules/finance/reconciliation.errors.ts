import { DomainError, NotFoundError } from '../../common/errors/domain-error.js';

/** One problem on one line of a custodian statement (line numbers count from 1, the CSV header included). */
export interface StatementProblem {
  line: number;
  field: string;
  problem: string;
}

/** At most this many problems are listed in an error body; `problemCount` gives the total. */
const MAX_LISTED_PROBLEMS = 50;

/** The file cannot be read as a statement at all: not UTF-8, bad CSV syntax, bad JSON, wrong header. */
export class StatementMalformedError extends DomainError {
  constructor(line: number | null, reason: string) {
    super(
      'RECONCILIATION.MALFORMED_STATEMENT',
      'VALIDATION',
      line === null
        ? `The statement cannot be read: ${reason}.`
        : `The statement cannot be read at line ${line}: ${reason}.`,
      { line, reason },
    );
  }
}

/** One or more lines have a bad field (date, bankReference, direction, amount, or a date outside the period). */
export class StatementLineInvalidError extends DomainError {
  constructor(problems: readonly StatementProblem[]) {
    const first = problems[0];
    super(
      'RECONCILIATION.INVALID_LINE',
      'VALIDATION',
      `Line ${first.line} of the statement is not valid: ${first.field} ${first.problem}.`,
      {
        line: first.line,
        problemCount: problems.length,
        problems: problems.slice(0, MAX_LISTED_PROBLEMS),
      },
    );
  }
}

/** The same bankReference appears on more than one line of one statement. */
export class DuplicateBankReferenceError extends DomainError {
  constructor(duplicates: readonly { bankReference: string; lines: number[] }[]) {
    const first = duplicates[0];
    super(
      'RECONCILIATION.DUPLICATE_REFERENCE',
      'VALIDATION',
      `Line ${first.lines[1]} of the statement repeats the bankReference of line ${first.lines[0]}.`,
      { line: first.lines[1], duplicates: duplicates.slice(0, MAX_LISTED_PROBLEMS) },
    );
  }
}

export class UnsupportedStatementFormatError extends DomainError {
  constructor(contentType: string | undefined) {
    super(
      'RECONCILIATION.UNSUPPORTED_FORMAT',
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the statement as text/csv or application/x-ndjson.',
      { contentType: contentType ?? null },
    );
  }
}

export class InvalidStatementPeriodError extends DomainError {
  constructor(from: string, to: string) {
    super(
      'RECONCILIATION.INVALID_PERIOD',
      'VALIDATION',
      'The statement period must not end before it starts.',
      { from, to },
    );
  }
}

export class ReconciliationNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('Reconciliation', { id });
  }
}
