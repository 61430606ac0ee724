import { Money } from '../../common/money/money.js';
import type { CustodyMovement } from '../escrow-ledger/index.js';
import type { StatementDirection, StatementLine } from './statement-parser.js';

export type ReconciliationOutcome =
  'MATCHED' | 'UNMATCHED_STATEMENT' | 'UNMATCHED_LEDGER' | 'MISMATCH';

export interface StatementSide {
  line: number;
  date: string;
  direction: StatementDirection;
  /** Normalised to two decimals ("1500" on the statement reads "1500.00"). */
  amount: string;
}

export interface LedgerSide {
  transferId: string;
  kind: string;
  direction: StatementDirection;
  amount: string;
  at: Date;
}

export interface ResultLine {
  outcome: ReconciliationOutcome;
  bankReference: string | null;
  statement: StatementSide | null;
  ledger: LedgerSide | null;
}

export interface MatchResult {
  /** Statement lines in file order, then the ledger's unmatched movements in ledger order. */
  lines: ResultLine[];
  totals: {
    statementCredits: Money;
    statementDebits: Money;
    ledgerCredits: Money;
    ledgerDebits: Money;
  };
}

/**
 * Pairs the custodian's statement lines with the ledger's custody movements (pure).
 *
 * A line and a movement belong together when the movement's custody notification carried the
 * line's bankReference. They MATCH when amount and direction agree too; otherwise they are a
 * MISMATCH (reported separately, never as two unmatched items). A line with no movement is
 * UNMATCHED_STATEMENT; a movement in the period that no line names is UNMATCHED_LEDGER. Movements
 * outside the period are only considered when a line names them (the bank booked it a day later).
 */
export function matchStatement(
  statement: readonly StatementLine[],
  inPeriod: readonly CustodyMovement[],
  byReference: readonly CustodyMovement[],
  currency: string,
): MatchResult {
  const ledgerByReference = new Map<string, CustodyMovement>();
  for (const m of [...inPeriod, ...byReference])
    if (m.bankReference !== null) ledgerByReference.set(m.bankReference, m);

  const used = new Set<string>();
  const lines: ResultLine[] = statement.map((line) => {
    const amount = Money.parse(line.amount, currency);
    const statementSide: StatementSide = {
      line: line.line,
      date: line.date,
      direction: line.direction,
      amount: amount.toString(),
    };
    const movement = ledgerByReference.get(line.bankReference);
    if (!movement) {
      return {
        outcome: 'UNMATCHED_STATEMENT',
        bankReference: line.bankReference,
        statement: statementSide,
        ledger: null,
      };
    }
    used.add(movement.transferId);
    const agrees =
      movement.direction === line.direction &&
      Money.fromDecimalString(movement.amount, currency).equals(amount);
    return {
      outcome: agrees ? 'MATCHED' : 'MISMATCH',
      bankReference: line.bankReference,
      statement: statementSide,
      ledger: ledgerSide(movement),
    };
  });
  for (const movement of inPeriod) {
    if (used.has(movement.transferId)) continue;
    lines.push({
      outcome: 'UNMATCHED_LEDGER',
      bankReference: movement.bankReference,
      statement: null,
      ledger: ledgerSide(movement),
    });
  }

  const sum = (items: { direction: StatementDirection; amount: string }[], d: StatementDirection) =>
    Money.sum(
      items
        .filter((i) => i.direction === d)
        .map((i) => Money.fromDecimalString(i.amount, currency)),
      currency,
    );
  const statementSides = lines.flatMap((l) => (l.statement ? [l.statement] : []));
  return {
    lines,
    totals: {
      statementCredits: sum(statementSides, 'CREDIT'),
      statementDebits: sum(statementSides, 'DEBIT'),
      ledgerCredits: sum([...inPeriod], 'CREDIT'),
      ledgerDebits: sum([...inPeriod], 'DEBIT'),
    },
  };
}

/** Which fields of a MISMATCH disagree. */
export function mismatchedFields(line: ResultLine): ('amount' | 'direction')[] {
  if (!line.statement || !line.ledger) return [];
  const fields: ('amount' | 'direction')[] = [];
  if (line.statement.amount !== line.ledger.amount) fields.push('amount');
  if (line.statement.direction !== line.ledger.direction) fields.push('direction');
  return fields;
}

function ledgerSide(m: CustodyMovement): LedgerSide {
  return {
    transferId: m.transferId,
    kind: m.kind,
    direction: m.direction,
    amount: m.amount,
    at: m.createdAt,
  };
}
