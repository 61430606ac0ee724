import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { DomainError } from '../../common/errors/domain-error.js';
import {
  checkLinesInPeriod,
  formatCsvStatement,
  formatJsonLinesStatement,
  parseStatement,
  type StatementLine,
} from './statement-parser.js';

const HEADER = 'date,bankReference,direction,amount';

function rejection(work: () => unknown): DomainError {
  try {
    work();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected the statement to be rejected');
}

// Generators for valid statements: references include commas, quotes and CJK, so CSV quoting is
// exercised; amounts are decimal strings in every accepted shape ("7", "7.5", "7.05").
const isoDate = fc
  .date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2099-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));
const reference = fc
  .string({
    unit: fc.constantFrom(...'AZaz09-_.:,"\' 银行流水/'.split('')),
    minLength: 1,
    maxLength: 40,
  })
  .filter((s) => s.trim() === s && s !== '');
const amount = fc
  .tuple(
    fc.bigInt({ min: 0n, max: 9_999_999_999_999_999n }),
    fc.constantFrom('', '.5', '.05', '.50', '.99'),
  )
  .map(([whole, fraction]) => `${whole}${fraction}`)
  .filter((a) => !/^0(\.0+)?$/.test(a));
const statementLine = fc.record({
  date: isoDate,
  bankReference: reference,
  direction: fc.constantFrom('CREDIT' as const, 'DEBIT' as const),
  amount,
});
const statement = fc.uniqueArray(statementLine, {
  selector: (l) => l.bankReference,
  maxLength: 30,
});

const withoutLineNumbers = (lines: StatementLine[]) =>
  lines.map(({ line: _line, ...rest }) => rest);

describe('custodian statement parser', () => {
  it('round-trips any valid statement through CSV and through JSON lines to the same lines (property)', () => {
    fc.assert(
      fc.property(statement, (lines) => {
        const fromCsv = parseStatement(Buffer.from(formatCsvStatement(lines)), 'CSV');
        const fromJsonl = parseStatement(Buffer.from(formatJsonLinesStatement(lines)), 'JSONL');
        expect(withoutLineNumbers(fromCsv)).toEqual(lines);
        expect(withoutLineNumbers(fromJsonl)).toEqual(lines);
        // Line numbers point at the file: CSV data starts after the header, JSON lines at 1.
        expect(fromCsv.map((l) => l.line)).toEqual(lines.map((_, i) => i + 2));
        expect(fromJsonl.map((l) => l.line)).toEqual(lines.map((_, i) => i + 1));
      }),
      { numRuns: 200 },
    );
  });

  it('reads quoted CSV fields, CRLF, a BOM, any column order and skips blank lines', () => {
    const csv =
      '\uFEFFamount,direction,bankReference,date\r\n"1,000.00",CREDIT,X,2026-11-01\r\n' +
      '"12.50","DEBIT","REF ""A"", 2",2026-11-02\r\n\r\n';
    const error = rejection(() => parseStatement(csv, 'CSV'));
    // "1,000.00" is quoted correctly but is not a plain decimal: refused, naming line 2.
    expect(error.code).toBe('RECONCILIATION.INVALID_LINE');
    expect(error.details).toMatchObject({ line: 2, problems: [{ line: 2, field: 'amount' }] });

    const ok = parseStatement(
      '\uFEFFamount,direction,bankReference,date\r\n"1000.00",CREDIT,X,2026-11-01\r\n\r\n' +
        '"12.50","DEBIT","REF ""A"", 2",2026-11-02\r\n',
      'CSV',
    );
    expect(ok).toEqual([
      { line: 2, date: '2026-11-01', bankReference: 'X', direction: 'CREDIT', amount: '1000.00' },
      {
        line: 4,
        date: '2026-11-02',
        bankReference: 'REF "A", 2',
        direction: 'DEBIT',
        amount: '12.50',
      },
    ]);
  });

  it('reports every bad field with its line number', () => {
    const csv = [
      HEADER,
      '2026-11-01,A,CREDIT,10.00',
      '2026-02-30,B,CREDIT,10.00', // no such day
      '2026-11-01, ,CREDIT,10.00', // empty reference
      '2026-11-01,C,credit,10.00', // direction is case-sensitive
      '2026-11-01,D,DEBIT,10.001', // three decimals
      '2026-11-01,E,DEBIT,0.00', // not positive
      '2026-11-01,F,DEBIT,-5.00',
      '2026-11-01,G,DEBIT,1e3',
    ].join('\n');
    const error = rejection(() => parseStatement(csv, 'CSV'));
    expect(error.code).toBe('RECONCILIATION.INVALID_LINE');
    expect(error.kind).toBe('VALIDATION');
    expect(error.message).toContain('Line 3');
    const problems = (error.details as { problems: { line: number; field: string }[] }).problems;
    expect(problems.map((p) => [p.line, p.field])).toEqual([
      [3, 'date'],
      [4, 'bankReference'],
      [5, 'direction'],
      [6, 'amount'],
      [7, 'amount'],
      [8, 'amount'],
      [9, 'amount'],
    ]);
  });

  it('refuses a wrong header, ragged rows, unclosed quotes and non-UTF-8 bytes as malformed', () => {
    const malformed = (body: string | Buffer, format: 'CSV' | 'JSONL' = 'CSV') =>
      rejection(() => parseStatement(body, format));
    expect(malformed('date,reference,direction,amount\n').details).toMatchObject({ line: 1 });
    expect(malformed('date,bankReference,direction,amount,extra\n').code).toBe(
      'RECONCILIATION.MALFORMED_STATEMENT',
    );
    expect(malformed('').details).toMatchObject({ line: 1 });
    expect(malformed(`${HEADER}\n2026-11-01,A,CREDIT\n`).details).toMatchObject({ line: 2 });
    expect(malformed(`${HEADER}\n2026-11-01,A,CREDIT,10.00\n2026-11-01,"B,CREDIT,1\n`).code).toBe(
      'RECONCILIATION.MALFORMED_STATEMENT',
    );
    expect(malformed(Buffer.from([0x64, 0xff, 0xfe, 0x0a])).code).toBe(
      'RECONCILIATION.MALFORMED_STATEMENT',
    );
    expect(malformed('{"date":"2026-11-01"}\nnot json\n', 'JSONL').details).toMatchObject({
      line: 2,
    });
    expect(malformed('[1,2]\n', 'JSONL').details).toMatchObject({ line: 1 });
  });

  it('refuses JSON numbers for money and unknown keys in JSON lines', () => {
    const error = rejection(() =>
      parseStatement(
        '{"date":"2026-11-01","bankReference":"A","direction":"CREDIT","amount":"1.00"}\n' +
          '{"date":"2026-11-01","bankReference":"B","direction":"CREDIT","amount":100.5}\n' +
          '{"date":"2026-11-01","bankReference":"C","direction":"CREDIT","amount":"1.00","memo":"x"}\n',
        'JSONL',
      ),
    );
    expect(error.code).toBe('RECONCILIATION.INVALID_LINE');
    expect(error.details).toMatchObject({
      line: 2,
      problems: [
        { line: 2, field: 'amount' },
        { line: 3, field: 'memo' },
      ],
    });
  });

  it('reports duplicate bank references with both lines', () => {
    const csv = [
      HEADER,
      '2026-11-01,A,CREDIT,1.00',
      '2026-11-01,B,CREDIT,1.00',
      '2026-11-02,A,DEBIT,2.00',
    ].join('\n');
    const error = rejection(() => parseStatement(csv, 'CSV'));
    expect(error.code).toBe('RECONCILIATION.DUPLICATE_REFERENCE');
    expect(error.details).toMatchObject({
      line: 4,
      duplicates: [{ bankReference: 'A', lines: [2, 4] }],
    });
  });

  it('accepts a statement with a header and no lines, and checks dates against the period', () => {
    expect(parseStatement(`${HEADER}\n`, 'CSV')).toEqual([]);
    expect(parseStatement('', 'JSONL')).toEqual([]);
    const lines = parseStatement(
      [HEADER, '2026-11-01,A,CREDIT,1.00', '2026-12-01,B,CREDIT,1.00'].join('\n'),
      'CSV',
    );
    expect(() => checkLinesInPeriod(lines, '2026-11-01', '2026-12-01')).not.toThrow();
    const error = rejection(() => checkLinesInPeriod(lines, '2026-11-01', '2026-11-30'));
    expect(error.code).toBe('RECONCILIATION.INVALID_LINE');
    expect(error.details).toMatchObject({ line: 3, problems: [{ line: 3, field: 'date' }] });
  });
});
