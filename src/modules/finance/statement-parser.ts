import { CsvError, parse } from 'csv-parse/sync';
import { Money } from '../../common/money/money.js';
import {
  DuplicateBankReferenceError,
  StatementLineInvalidError,
  StatementMalformedError,
  type StatementProblem,
} from './reconciliation.errors.js';

/**
 * The custodian bank's statement, read without I/O so it can be tested on its own.
 *
 * Two formats carry the same four fields per line:
 * - CSV (`text/csv`): a header naming exactly `date,bankReference,direction,amount` (any order),
 *   then one record per line; RFC 4180 quoting; blank lines skipped.
 * - JSON lines (`application/x-ndjson`): one object per line with exactly those four keys, each a
 *   string; blank lines skipped.
 *
 * `direction` is the bank's point of view on the platform's custody account: `CREDIT` = money in,
 * `DEBIT` = money out. Amounts stay decimal strings (> 0, at most 2 decimals): never JS numbers.
 */
export const STATEMENT_FIELDS = ['date', 'bankReference', 'direction', 'amount'] as const;
export const STATEMENT_DIRECTIONS = ['CREDIT', 'DEBIT'] as const;
export type StatementDirection = (typeof STATEMENT_DIRECTIONS)[number];
export type StatementFormat = 'CSV' | 'JSONL';

export interface StatementLine {
  /** Line number in the file (CSV: the header is line 1). */
  line: number;
  /** Booking date, ISO `YYYY-MM-DD`. */
  date: string;
  bankReference: string;
  direction: StatementDirection;
  /** Decimal string, e.g. "1500.00" as the bank wrote it ("1500", "1500.5" are kept as written). */
  amount: string;
}

const MAX_REFERENCE_LENGTH = 100;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export function parseStatement(body: Buffer | string, format: StatementFormat): StatementLine[] {
  const text = decodeUtf8(body);
  const lines = format === 'CSV' ? readCsv(text) : readJsonLines(text);
  rejectDuplicateReferences(lines);
  return lines;
}

/** Every line's date must fall inside the statement's period (inclusive ISO dates). */
export function checkLinesInPeriod(
  lines: readonly StatementLine[],
  from: string,
  to: string,
): void {
  const outside: StatementProblem[] = lines
    .filter((l) => l.date < from || l.date > to)
    .map((l) => ({ line: l.line, field: 'date', problem: `is outside the period ${from}..${to}` }));
  if (outside.length > 0) throw new StatementLineInvalidError(outside);
}

export function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** Writes lines as a CSV statement (header first; fields quoted only when they must be). */
export function formatCsvStatement(lines: readonly Omit<StatementLine, 'line'>[]): string {
  const quote = (field: string) =>
    /[",\r\n]/.test(field) || field !== field.trim() ? `"${field.replaceAll('"', '""')}"` : field;
  const rows = lines.map((l) => STATEMENT_FIELDS.map((f) => quote(l[f])).join(','));
  return [STATEMENT_FIELDS.join(','), ...rows].join('\r\n') + '\r\n';
}

/** Writes lines as a JSON-lines statement. */
export function formatJsonLinesStatement(lines: readonly Omit<StatementLine, 'line'>[]): string {
  return lines
    .map((l) =>
      JSON.stringify({
        date: l.date,
        bankReference: l.bankReference,
        direction: l.direction,
        amount: l.amount,
      }),
    )
    .map((l) => `${l}\n`)
    .join('');
}

function decodeUtf8(body: Buffer | string): string {
  if (typeof body === 'string') return body;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
  } catch {
    throw new StatementMalformedError(null, 'it is not UTF-8 text');
  }
}

function readCsv(text: string): StatementLine[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: false,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? null;
      throw new StatementMalformedError(line, `CSV syntax (${error.code})`);
    }
    throw error;
  }
  const header = records[0];
  if (!header) throw new StatementMalformedError(1, 'the header line is missing');
  const names = header.record.map((name) => name.trim());
  const missing = STATEMENT_FIELDS.filter((f) => !names.includes(f));
  const extra = names.filter((n) => !(STATEMENT_FIELDS as readonly string[]).includes(n));
  if (missing.length > 0 || extra.length > 0 || names.length !== STATEMENT_FIELDS.length) {
    throw new StatementMalformedError(
      header.info.lines,
      `the header must name exactly ${STATEMENT_FIELDS.join(',')}`,
    );
  }
  const column = (field: string) => names.indexOf(field);
  const problems: StatementProblem[] = [];
  const lines: StatementLine[] = [];
  for (const { record, info } of records.slice(1)) {
    const raw = Object.fromEntries(STATEMENT_FIELDS.map((f) => [f, record[column(f)]]));
    const line = validateLine(info.lines, raw, problems);
    if (line) lines.push(line);
  }
  if (problems.length > 0) throw new StatementLineInvalidError(problems);
  return lines;
}

function readJsonLines(text: string): StatementLine[] {
  const problems: StatementProblem[] = [];
  const lines: StatementLine[] = [];
  const physical = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  physical.forEach((content, index) => {
    if (content.trim() === '') return;
    const lineNumber = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch {
      throw new StatementMalformedError(lineNumber, 'not a JSON object');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new StatementMalformedError(lineNumber, 'not a JSON object');
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) {
      if (!(STATEMENT_FIELDS as readonly string[]).includes(key))
        problems.push({ line: lineNumber, field: key, problem: 'is not a statement field' });
    }
    const line = validateLine(lineNumber, object, problems);
    if (line) lines.push(line);
  });
  if (problems.length > 0) throw new StatementLineInvalidError(problems);
  return lines;
}

/** Checks one line's four fields, collecting every problem; returns the line when it has none. */
function validateLine(
  line: number,
  raw: Record<string, unknown>,
  problems: StatementProblem[],
): StatementLine | null {
  const before = problems.length;
  const bad = (field: string, problem: string) => problems.push({ line, field, problem });
  const { date, bankReference, direction, amount } = raw;

  if (typeof date !== 'string') bad('date', 'must be a string');
  else if (!isIsoDate(date)) bad('date', 'must be an ISO date YYYY-MM-DD');

  const reference = typeof bankReference === 'string' ? bankReference.trim() : null;
  if (reference === null) bad('bankReference', 'must be a string');
  else if (reference === '') bad('bankReference', 'must not be empty');
  else if (reference.length > MAX_REFERENCE_LENGTH)
    bad('bankReference', `must be at most ${MAX_REFERENCE_LENGTH} characters`);
  else if (CONTROL_CHARACTERS.test(reference))
    bad('bankReference', 'must not contain control characters');

  if (
    typeof direction !== 'string' ||
    !(STATEMENT_DIRECTIONS as readonly string[]).includes(direction)
  )
    bad('direction', 'must be CREDIT or DEBIT');

  if (typeof amount !== 'string') bad('amount', 'must be a decimal string such as "100.00"');
  else if (!Money.isWireAmount(amount))
    bad('amount', 'must be a positive decimal with at most 2 decimals (e.g. "100.00")');

  if (problems.length > before) return null;
  return {
    line,
    date: date as string,
    bankReference: reference as string,
    direction: direction as StatementDirection,
    amount: amount as string,
  };
}

function rejectDuplicateReferences(lines: readonly StatementLine[]): void {
  const seen = new Map<string, number[]>();
  for (const l of lines) seen.set(l.bankReference, [...(seen.get(l.bankReference) ?? []), l.line]);
  const duplicates = [...seen.entries()]
    .filter(([, at]) => at.length > 1)
    .map(([bankReference, at]) => ({ bankReference, lines: at }))
    .sort((a, b) => a.lines[1] - b.lines[1]);
  if (duplicates.length > 0) throw new DuplicateBankReferenceError(duplicates);
}
