import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Counters } from './finance.repository.js';
import { InvalidStatementCursorError } from './finance.errors.js';

/**
 * Where a statement page ended, handed to the client as an opaque string: the position in ledger
 * order, the running counters so far (so the next page continues the running balance without
 * re-reading the past), and the commit horizon the first page was read at (so every page of one
 * walk reads the same, final set of transfers). Account and range are inside too: a cursor only
 * continues the statement it came from. It is signed (HMAC-SHA256 with a server key): a client
 * cannot hand back running totals of its own making.
 */
export interface StatementCursor {
  accountId: string;
  from: string | null;
  to: string | null;
  horizon: string;
  txId: string;
  seq: string;
  counters: Counters;
}

const VERSION = 1;
const DIGITS = /^\d{1,20}$/;
const AMOUNT = /^-?\d{1,18}\.\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const signature = (payload: string, key: Buffer): Buffer =>
  createHmac('sha256', key).update(payload).digest();

export function encodeCursor(cursor: StatementCursor, key: Buffer): string {
  const c = cursor.counters;
  const payload = [
    VERSION,
    cursor.accountId,
    cursor.from,
    cursor.to,
    cursor.horizon,
    cursor.txId,
    cursor.seq,
    c.debitsPosted,
    c.creditsPosted,
    c.debitsPending,
    c.creditsPending,
  ];
  const text = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${text}.${signature(text, key).toString('base64url')}`;
}

export function decodeCursor(signed: string, key: Buffer): StatementCursor {
  const [text, mac, ...rest] = signed.split('.');
  const given = Buffer.from(mac ?? '', 'base64url');
  const expected = signature(text, key);
  if (rest.length > 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new InvalidStatementCursorError('not one this server issued');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidStatementCursorError('unreadable');
  }
  if (!Array.isArray(payload) || payload.length !== 11 || payload[0] !== VERSION) {
    throw new InvalidStatementCursorError('unreadable');
  }
  const [, accountId, from, to, horizon, txId, seq, dp, cp, dq, cq] = payload as unknown[];
  const instant = (v: unknown) => v === null || (typeof v === 'string' && !isNaN(Date.parse(v)));
  const ok =
    typeof accountId === 'string' &&
    UUID.test(accountId) &&
    instant(from) &&
    instant(to) &&
    [horizon, txId, seq].every((v) => typeof v === 'string' && DIGITS.test(v)) &&
    [dp, cp, dq, cq].every((v) => typeof v === 'string' && AMOUNT.test(v));
  if (!ok) throw new InvalidStatementCursorError('malformed');
  return {
    accountId,
    from: from as string | null,
    to: to as string | null,
    horizon: horizon as string,
    txId: txId as string,
    seq: seq as string,
    counters: {
      debitsPosted: dp as string,
      creditsPosted: cp as string,
      debitsPending: dq as string,
      creditsPending: cq as string,
    },
  };
}
