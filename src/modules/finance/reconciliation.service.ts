import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { ValidationFailedError } from '../../common/errors/domain-error.js';
import { Money } from '../../common/money/money.js';
import { TransactionRunner } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { CustodyMovementsService } from '../escrow-ledger/index.js';
import type {
  ReconciliationDto,
  ReconciliationLineDto,
  ReconciliationPageDto,
  ReconciliationSummaryDto,
} from './dto/reconciliation.dto.js';
import {
  InvalidStatementPeriodError,
  ReconciliationNotFoundError,
  UnsupportedStatementFormatError,
} from './reconciliation.errors.js';
import { matchStatement, mismatchedFields, type ResultLine } from './reconciliation.matching.js';
import {
  type ReconciliationRecord,
  ReconciliationRepository,
} from './reconciliation.repository.js';
import {
  checkLinesInPeriod,
  isIsoDate,
  parseStatement,
  type StatementFormat,
} from './statement-parser.js';

/** Content types of a custodian statement upload (DESIGN §7, POST /finance/reconciliations). */
export const STATEMENT_CONTENT_TYPES: Record<string, StatementFormat> = {
  'text/csv': 'CSV',
  'application/x-ndjson': 'JSONL',
};

export interface ReconciliationRequest {
  runBy: string;
  contentType: string | undefined;
  body: unknown;
  from: string;
  to: string;
  closingBalance: string;
}

const DAY_MS = 86_400_000;

/**
 * Reconciles the custody account (`custody:cash`) with the custodian bank's statement: parses and
 * validates the whole file first (a bad file writes nothing), pairs lines with the ledger's custody
 * movements, and stores the run with every result line, in one transaction with its audit event.
 */
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly custody: CustodyMovementsService,
    private readonly reconciliations: ReconciliationRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async reconcile(request: ReconciliationRequest): Promise<ReconciliationDto> {
    const format = statementFormat(request.contentType);
    const { from, to } = request;
    const badDates = [
      ...(isIsoDate(from) ? [] : [{ field: 'from', problems: ['must be a real calendar date'] }]),
      ...(isIsoDate(to) ? [] : [{ field: 'to', problems: ['must be a real calendar date'] }]),
    ];
    if (badDates.length > 0) throw new ValidationFailedError(badDates);
    if (from > to) throw new InvalidStatementPeriodError(from, to);

    const body = statementBytes(request.body);
    const lines = parseStatement(body, format);
    checkLinesInPeriod(lines, from, to);

    const start = new Date(`${from}T00:00:00.000Z`);
    const end = new Date(new Date(`${to}T00:00:00.000Z`).getTime() + DAY_MS);
    const snapshot = await this.custody.snapshot(
      start,
      end,
      lines.map((l) => l.bankReference),
    );
    const currency = snapshot.currency;
    const closingBalance = Money.parse(request.closingBalance, currency, { allowZero: true });
    const ledgerBalance = Money.fromDecimalString(snapshot.balanceAtEnd, currency);
    const result = matchStatement(lines, snapshot.inPeriod, snapshot.byReference, currency);
    const count = (outcome: ResultLine['outcome']) =>
      result.lines.filter((l) => l.outcome === outcome).length;

    const head: ReconciliationRecord = {
      id: randomUUID(),
      runBy: request.runBy,
      runAt: this.clock.now(),
      periodFrom: from,
      periodTo: to,
      currency,
      statementFormat: format,
      statementSha256: createHash('sha256').update(body).digest('hex'),
      statementLineCount: lines.length,
      matchedCount: count('MATCHED'),
      unmatchedStatementCount: count('UNMATCHED_STATEMENT'),
      unmatchedLedgerCount: count('UNMATCHED_LEDGER'),
      mismatchCount: count('MISMATCH'),
      statementCredits: result.totals.statementCredits.toString(),
      statementDebits: result.totals.statementDebits.toString(),
      ledgerCredits: result.totals.ledgerCredits.toString(),
      ledgerDebits: result.totals.ledgerDebits.toString(),
      closingBalance: closingBalance.toString(),
      ledgerBalance: ledgerBalance.toString(),
      difference: ledgerBalance.minus(closingBalance).toString(),
    };
    await this.transactions.run(async (tx) => {
      await this.reconciliations.insert(head, result.lines, tx);
      await this.audit.append(
        {
          occurredAt: head.runAt,
          actorId: head.runBy,
          action: 'finance.reconciliation.run',
          subjectType: 'reconciliation',
          subjectId: head.id,
          details: {
            from,
            to,
            statementSha256: head.statementSha256,
            difference: head.difference,
          },
        },
        tx,
      );
    });
    return toDto(head, result.lines);
  }

  async get(id: string): Promise<ReconciliationDto> {
    const found = await this.reconciliations.find(id);
    if (!found) throw new ReconciliationNotFoundError(id);
    return toDto(found.head, found.lines);
  }

  async list(cursor: string | undefined, limit: number): Promise<ReconciliationPageDto> {
    const rows = await this.reconciliations.listNewestFirst(
      cursor === undefined ? null : decodeCursor(cursor),
      limit,
    );
    const last = rows.at(-1);
    return {
      reconciliations: rows.map(toSummary),
      nextCursor: rows.length === limit && last ? encodeCursor(last) : null,
    };
  }
}

function statementFormat(contentType: string | undefined): StatementFormat {
  const mediaType = contentType?.split(';')[0].trim().toLowerCase() ?? '';
  const format = STATEMENT_CONTENT_TYPES[mediaType];
  if (!format) throw new UnsupportedStatementFormatError(contentType);
  return format;
}

/** The upload as Fastify's statement parsers hand it over (a Buffer; nothing for an empty body). */
function statementBytes(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  throw new UnsupportedStatementFormatError(undefined);
}

function encodeCursor(r: ReconciliationRecord): string {
  return Buffer.from(`${r.runAt.toISOString()}|${r.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { runAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const runAt = new Date(at ?? '');
  if (
    Number.isNaN(runAt.getTime()) ||
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id ?? '')
  ) {
    throw new ValidationFailedError([{ field: 'cursor', problems: ['is not a cursor we issued'] }]);
  }
  return { runAt, id };
}

function toSummary(r: ReconciliationRecord): ReconciliationSummaryDto {
  return {
    id: r.id,
    runBy: r.runBy,
    runAt: r.runAt.toISOString(),
    from: r.periodFrom,
    to: r.periodTo,
    currency: r.currency,
    statementFormat: r.statementFormat,
    statementSha256: r.statementSha256,
    counts: {
      statementLines: r.statementLineCount,
      matched: r.matchedCount,
      unmatchedStatement: r.unmatchedStatementCount,
      unmatchedLedger: r.unmatchedLedgerCount,
      amountMismatches: r.mismatchCount,
    },
    totals: {
      statementCredits: r.statementCredits,
      statementDebits: r.statementDebits,
      ledgerCredits: r.ledgerCredits,
      ledgerDebits: r.ledgerDebits,
    },
    closingBalance: r.closingBalance,
    ledgerBalance: r.ledgerBalance,
    difference: r.difference,
  };
}

function toLineDto(l: ResultLine): ReconciliationLineDto {
  return {
    bankReference: l.bankReference,
    statement: l.statement ? { ...l.statement } : null,
    ledger: l.ledger ? { ...l.ledger, at: l.ledger.at.toISOString() } : null,
  };
}

function toDto(head: ReconciliationRecord, lines: readonly ResultLine[]): ReconciliationDto {
  const having = (outcome: ResultLine['outcome']) => lines.filter((l) => l.outcome === outcome);
  return {
    ...toSummary(head),
    matched: having('MATCHED').map(toLineDto),
    unmatchedStatement: having('UNMATCHED_STATEMENT').map(toLineDto),
    unmatchedLedger: having('UNMATCHED_LEDGER').map(toLineDto),
    amountMismatches: having('MISMATCH').map((l) => ({
      ...toLineDto(l),
      differs: mismatchedFields(l),
    })),
  };
}
