import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { authConfig, type AuthConfig } from '../../config/namespaces.js';
import { Decimal } from '../../common/money/decimal.js';
import type { AccountKind } from '../escrow-ledger/ledger.types.js';
import {
  FinanceAccountNotFoundError,
  InvalidStatementCursorError,
  InvalidStatementRangeError,
} from './finance.errors.js';
import {
  type Counters,
  FinanceRepository,
  type StatementRow,
  type StatementWindow,
} from './finance.repository.js';
import { LedgerAsOfRepository } from './ledger-as-of.repository.js';
import { decodeCursor, encodeCursor } from './statement-cursor.js';

/** Running figures after an entry (or at the opening), on the account's normal side. */
export interface RunningBalance {
  /** Posted balance: credits - debits for a credit-normal account, debits - credits for ASSET. */
  balance: string;
  /** What the ledger lets the account spend: balance less pending movements away from it. */
  available: string;
  pendingDebits: string;
  pendingCredits: string;
}

export interface StatementEntry extends RunningBalance {
  seq: string;
  transferId: string;
  createdAt: string;
  kind: string;
  status: string;
  pendingId: string | null;
  direction: 'DEBIT' | 'CREDIT';
  counterparty: string;
  amount: string;
  reference: string | null;
}

export interface Statement {
  account: { code: string; kind: AccountKind; currency: string; normalSide: 'DEBIT' | 'CREDIT' };
  from: string | null;
  to: string | null;
  /** Figures before the first entry of this page: at `from` on the first page. */
  opening: RunningBalance;
  entries: StatementEntry[];
  nextCursor: string | null;
}

export interface StatementQuery {
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

const D = (s: string) => new Decimal(s);
const fixed = (d: Decimal) => d.toFixed(2);

/** Moves the four counters by one transfer row, exactly as the ledger's insert trigger does. */
export function applyRow(c: Counters, row: Pick<StatementRow, 'status' | 'direction' | 'amount'>) {
  const amount = D(row.amount);
  const posted = row.status === 'POSTED' || row.status === 'POST';
  const pendingDelta =
    row.status === 'PENDING' ? amount : row.status === 'POSTED' ? D('0') : amount.neg();
  const next = { ...c };
  if (row.direction === 'DEBIT') {
    if (posted) next.debitsPosted = fixed(D(c.debitsPosted).plus(amount));
    next.debitsPending = fixed(D(c.debitsPending).plus(pendingDelta));
  } else {
    if (posted) next.creditsPosted = fixed(D(c.creditsPosted).plus(amount));
    next.creditsPending = fixed(D(c.creditsPending).plus(pendingDelta));
  }
  return next;
}

/** The ledger's own definitions (DESIGN §4 and the no-overdraft CHECK), per normal side. */
export function runningBalance(kind: AccountKind, c: Counters): RunningBalance {
  const dp = D(c.debitsPosted);
  const cp = D(c.creditsPosted);
  const creditNormal = kind !== 'ASSET';
  const balance = creditNormal ? cp.minus(dp) : dp.minus(cp);
  const available = balance.minus(creditNormal ? D(c.debitsPending) : D(c.creditsPending));
  return {
    balance: fixed(balance),
    available: fixed(available),
    pendingDebits: c.debitsPending,
    pendingCredits: c.creditsPending,
  };
}

/**
 * Account statements (DESIGN §7): every transfer touching the account, in ledger order, with the
 * running balance, cursor-paginated. Only transfers of finished transactions are listed (below
 * the commit horizon), and one walk keeps the horizon of its first page: a page never changes once
 * read, and transfers written meanwhile appear after the ones already shown.
 */
@Injectable()
export class StatementService {
  /** Signs statement cursors; derived from the JWT secret, so it needs no setting of its own. */
  private readonly cursorKey: Buffer;

  constructor(
    private readonly finance: FinanceRepository,
    private readonly asOf: LedgerAsOfRepository,
    @Inject(authConfig.KEY) auth: AuthConfig,
  ) {
    this.cursorKey = createHmac('sha256', auth.jwtSecret).update('zc-statement-cursor-v1').digest();
  }

  async statement(code: string, query: StatementQuery): Promise<Statement> {
    const account = await this.finance.findAccount(code);
    if (!account) throw new FinanceAccountNotFoundError(code);
    const from = query.from ? new Date(query.from) : null;
    const to = query.to ? new Date(query.to) : null;
    if (from && to && from >= to) throw new InvalidStatementRangeError();
    const fromIso = from?.toISOString() ?? null;
    const toIso = to?.toISOString() ?? null;
    const limit = query.limit ?? 100;

    let window: StatementWindow;
    let counters: Counters;
    let after: { txId: string; seq: string } | null = null;
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor, this.cursorKey);
      if (cursor.accountId !== account.id) throw new InvalidStatementCursorError('other account');
      if (cursor.from !== fromIso || cursor.to !== toIso) {
        throw new InvalidStatementCursorError('other range');
      }
      window = { accountId: account.id, horizon: cursor.horizon, from, to };
      counters = cursor.counters;
      after = { txId: cursor.txId, seq: cursor.seq };
    } else {
      window = { accountId: account.id, horizon: await this.finance.commitHorizon(), from, to };
      counters = await this.asOf.openingCounters(window);
    }

    const opening = runningBalance(account.kind, counters);
    // From a moment, the pages start at the lowest seq a transfer created since can have: they
    // cost the transfers since the moment, not the account's whole history (issue 18).
    const lowSeq = from ? await this.asOf.firstSeqFrom(from) : null;
    const rows = await this.finance.statementPage(window, after, limit, lowSeq);
    const entries = rows.map((row): StatementEntry => {
      counters = applyRow(counters, row);
      return {
        seq: row.seq,
        transferId: row.transferId,
        createdAt: row.createdAt.toISOString(),
        kind: row.kind,
        status: row.status,
        pendingId: row.pendingId,
        direction: row.direction,
        counterparty: row.counterparty,
        amount: row.amount,
        reference: row.reference,
        ...runningBalance(account.kind, counters),
      };
    });
    const last = rows.at(-1);
    return {
      account: {
        code: account.code,
        kind: account.kind,
        currency: account.currency,
        normalSide: account.kind === 'ASSET' ? 'DEBIT' : 'CREDIT',
      },
      from: fromIso,
      to: toIso,
      opening,
      entries,
      nextCursor:
        last && rows.length === limit
          ? encodeCursor(
              {
                accountId: account.id,
                from: fromIso,
                to: toIso,
                horizon: window.horizon,
                txId: last.txId,
                seq: last.seq,
                counters,
              },
              this.cursorKey,
            )
          : null,
    };
  }
}
