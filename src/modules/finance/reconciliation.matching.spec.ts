import { describe, expect, it } from '@jest/globals';
import type { CustodyMovement } from '../escrow-ledger/index.js';
import { matchStatement, mismatchedFields } from './reconciliation.matching.js';
import type { StatementLine } from './statement-parser.js';

const movement = (
  bankReference: string | null,
  direction: 'CREDIT' | 'DEBIT',
  amount: string,
  transferId = `t-${bankReference ?? 'none'}`,
): CustodyMovement => ({
  transferId,
  kind: direction === 'CREDIT' ? 'DEPOSIT' : 'WITHDRAWAL',
  direction,
  amount,
  createdAt: new Date('2026-11-29T10:00:00Z'),
  bankReference,
});
const line = (
  n: number,
  bankReference: string,
  direction: 'CREDIT' | 'DEBIT',
  amount: string,
): StatementLine => ({ line: n, date: '2026-11-29', bankReference, direction, amount });

describe('pairing statement lines with custody movements', () => {
  it('tells matched, mismatched (amount or direction) and unmatched apart, statement order first', () => {
    const result = matchStatement(
      [
        line(2, 'A', 'CREDIT', '100'),
        line(3, 'B', 'DEBIT', '50.00'),
        line(4, 'C', 'CREDIT', '20.00'),
        line(5, 'X', 'DEBIT', '1.50'),
      ],
      [
        movement('A', 'CREDIT', '100.00'),
        movement('B', 'CREDIT', '50.00'),
        movement('C', 'CREDIT', '21.00'),
        movement('D', 'CREDIT', '7.00'),
        movement(null, 'DEBIT', '3.00', 't-adjustment'),
      ],
      [],
      'CNY',
    );
    expect(result.lines.map((l) => [l.outcome, l.bankReference])).toEqual([
      ['MATCHED', 'A'],
      ['MISMATCH', 'B'],
      ['MISMATCH', 'C'],
      ['UNMATCHED_STATEMENT', 'X'],
      ['UNMATCHED_LEDGER', 'D'],
      ['UNMATCHED_LEDGER', null],
    ]);
    expect(result.lines.map(mismatchedFields)).toEqual([[], ['direction'], ['amount'], [], [], []]);
    expect(result.lines[0].statement?.amount).toBe('100.00');
    expect(
      Object.fromEntries(Object.entries(result.totals).map(([k, v]) => [k, v.toString()])),
    ).toEqual({
      statementCredits: '120.00',
      statementDebits: '51.50',
      ledgerCredits: '178.00',
      ledgerDebits: '3.00',
    });
  });

  it('matches a line to a movement outside the period only when the line names it', () => {
    const late = movement('L', 'CREDIT', '9.00');
    const result = matchStatement([line(2, 'L', 'CREDIT', '9.00')], [], [late], 'CNY');
    expect(result.lines.map((l) => l.outcome)).toEqual(['MATCHED']);
    // Out-of-period movements never count toward the ledger's in-period totals.
    expect(result.totals.ledgerCredits.toString()).toBe('0.00');
  });
});
