import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '../../database/transaction.js';
import type { ReconciliationOutcome, ResultLine } from './reconciliation.matching.js';
import type { StatementDirection, StatementFormat } from './statement-parser.js';

/** The stored head of a reconciliation: who ran it, when, on what statement, and its figures. */
export interface ReconciliationRecord {
  id: string;
  runBy: string;
  runAt: Date;
  periodFrom: string;
  periodTo: string;
  currency: string;
  statementFormat: StatementFormat;
  statementSha256: string;
  statementLineCount: number;
  matchedCount: number;
  unmatchedStatementCount: number;
  unmatchedLedgerCount: number;
  mismatchCount: number;
  statementCredits: string;
  statementDebits: string;
  ledgerCredits: string;
  ledgerDebits: string;
  closingBalance: string;
  ledgerBalance: string;
  difference: string;
}

interface HeadRow {
  id: string;
  run_by: string;
  run_at: Date;
  period_from: string;
  period_to: string;
  currency: string;
  statement_format: StatementFormat;
  statement_sha256: string;
  statement_line_count: number;
  matched_count: number;
  unmatched_statement_count: number;
  unmatched_ledger_count: number;
  mismatch_count: number;
  statement_credits: string;
  statement_debits: string;
  ledger_credits: string;
  ledger_debits: string;
  closing_balance: string;
  ledger_balance: string;
  difference: string;
}

interface LineRow {
  outcome: ReconciliationOutcome;
  bank_reference: string | null;
  statement_line: number | null;
  statement_date: string | null;
  statement_direction: StatementDirection | null;
  statement_amount: string | null;
  transfer_id: string | null;
  ledger_kind: string | null;
  ledger_direction: StatementDirection | null;
  ledger_amount: string | null;
  ledger_at: Date | null;
}

// Dates and numerics are selected as text: pg would turn a `date` into a local-time JS Date and a
// numeric is money, kept as an exact string.
const HEAD_COLUMNS = `id, run_by, run_at, period_from::text AS period_from, period_to::text AS period_to,
  currency, statement_format, statement_sha256, statement_line_count, matched_count,
  unmatched_statement_count, unmatched_ledger_count, mismatch_count,
  statement_credits::text AS statement_credits, statement_debits::text AS statement_debits,
  ledger_credits::text AS ledger_credits, ledger_debits::text AS ledger_debits,
  closing_balance::text AS closing_balance, ledger_balance::text AS ledger_balance,
  difference::text AS difference`;

const toRecord = (r: HeadRow): ReconciliationRecord => ({
  id: r.id,
  runBy: r.run_by,
  runAt: r.run_at,
  periodFrom: r.period_from,
  periodTo: r.period_to,
  currency: r.currency,
  statementFormat: r.statement_format,
  statementSha256: r.statement_sha256,
  statementLineCount: r.statement_line_count,
  matchedCount: r.matched_count,
  unmatchedStatementCount: r.unmatched_statement_count,
  unmatchedLedgerCount: r.unmatched_ledger_count,
  mismatchCount: r.mismatch_count,
  statementCredits: r.statement_credits,
  statementDebits: r.statement_debits,
  ledgerCredits: r.ledger_credits,
  ledgerDebits: r.ledger_debits,
  closingBalance: r.closing_balance,
  ledgerBalance: r.ledger_balance,
  difference: r.difference,
});

const toLine = (r: LineRow): ResultLine => ({
  outcome: r.outcome,
  bankReference: r.bank_reference,
  statement:
    r.statement_line === null
      ? null
      : {
          line: r.statement_line,
          date: r.statement_date as string,
          direction: r.statement_direction as StatementDirection,
          amount: r.statement_amount as string,
        },
  ledger:
    r.transfer_id === null
      ? null
      : {
          transferId: r.transfer_id,
          kind: r.ledger_kind as string,
          direction: r.ledger_direction as StatementDirection,
          amount: r.ledger_amount as string,
          at: r.ledger_at as Date,
        },
});

/** Result lines are written in batches of this many rows (one statement each). */
const LINE_BATCH = 5_000;

@Injectable()
export class ReconciliationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(head: ReconciliationRecord, lines: readonly ResultLine[], tx: Tx): Promise<void> {
    await tx.query(
      `INSERT INTO reconciliations (id, run_by, run_at, period_from, period_to, currency,
         statement_format, statement_sha256, statement_line_count, matched_count,
         unmatched_statement_count, unmatched_ledger_count, mismatch_count, statement_credits,
         statement_debits, ledger_credits, ledger_debits, closing_balance, ledger_balance, difference)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
      [
        head.id,
        head.runBy,
        head.runAt,
        head.periodFrom,
        head.periodTo,
        head.currency,
        head.statementFormat,
        head.statementSha256,
        head.statementLineCount,
        head.matchedCount,
        head.unmatchedStatementCount,
        head.unmatchedLedgerCount,
        head.mismatchCount,
        head.statementCredits,
        head.statementDebits,
        head.ledgerCredits,
        head.ledgerDebits,
        head.closingBalance,
        head.ledgerBalance,
        head.difference,
      ],
    );
    for (let start = 0; start < lines.length; start += LINE_BATCH) {
      const batch = lines.slice(start, start + LINE_BATCH);
      const col = <T>(pick: (l: ResultLine) => T) => batch.map(pick);
      await tx.query(
        `INSERT INTO reconciliation_lines (reconciliation_id, position, outcome, bank_reference,
           statement_line, statement_date, statement_direction, statement_amount, transfer_id,
           ledger_kind, ledger_direction, ledger_amount, ledger_at)
         SELECT $1::uuid, * FROM unnest($2::int[], $3::text[], $4::text[], $5::int[], $6::date[],
           $7::text[], $8::numeric[], $9::uuid[], $10::text[], $11::text[], $12::numeric[],
           $13::timestamptz[])`,
        [
          head.id,
          batch.map((_, i) => start + i + 1),
          col((l) => l.outcome),
          col((l) => l.bankReference),
          col((l) => l.statement?.line ?? null),
          col((l) => l.statement?.date ?? null),
          col((l) => l.statement?.direction ?? null),
          col((l) => l.statement?.amount ?? null),
          col((l) => l.ledger?.transferId ?? null),
          col((l) => l.ledger?.kind ?? null),
          col((l) => l.ledger?.direction ?? null),
          col((l) => l.ledger?.amount ?? null),
          col((l) => l.ledger?.at ?? null),
        ],
      );
    }
  }

  async find(id: string): Promise<{ head: ReconciliationRecord; lines: ResultLine[] } | null> {
    const heads: HeadRow[] = await this.dataSource.query(
      `SELECT ${HEAD_COLUMNS} FROM reconciliations WHERE id = $1`,
      [id],
    );
    if (!heads[0]) return null;
    const lines: LineRow[] = await this.dataSource.query(
      `SELECT outcome, bank_reference, statement_line, statement_date::text AS statement_date,
              statement_direction, statement_amount::text AS statement_amount, transfer_id,
              ledger_kind, ledger_direction, ledger_amount::text AS ledger_amount, ledger_at
       FROM reconciliation_lines WHERE reconciliation_id = $1 ORDER BY position`,
      [id],
    );
    return { head: toRecord(heads[0]), lines: lines.map(toLine) };
  }

  /** Newest first; `before` is the (runAt, id) of the last row of the previous page. */
  async listNewestFirst(
    before: { runAt: Date; id: string } | null,
    limit: number,
  ): Promise<ReconciliationRecord[]> {
    const rows: HeadRow[] = before
      ? await this.dataSource.query(
          `SELECT ${HEAD_COLUMNS} FROM reconciliations WHERE (run_at, id) < ($1, $2)
           ORDER BY run_at DESC, id DESC LIMIT $3`,
          [before.runAt, before.id, limit],
        )
      : await this.dataSource.query(
          `SELECT ${HEAD_COLUMNS} FROM reconciliations ORDER BY run_at DESC, id DESC LIMIT $1`,
          [limit],
        );
    return rows.map(toRecord);
  }
}
