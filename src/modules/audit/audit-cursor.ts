import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationFailedError } from '../../common/errors/domain-error.js';

/** The filters of one audit trail walk (normalised: lower-case ids, ISO instants). */
export interface AuditFilter {
  userId: string | null;
  campaignId: string | null;
  code: string | null;
  from: string | null;
  to: string | null;
}

/**
 * Where a page of the audit trail ended, handed out as an opaque string: the id of the last event
 * shown (pages run newest first, by id) and the filters of the walk, so a cursor only continues
 * the query it came from. Signed with HMAC-SHA256 under a server key, like the statement cursor
 * (src/modules/finance/statement-cursor.ts): a client cannot forge a position.
 */
export interface AuditCursor {
  filter: AuditFilter;
  /** Id of the last event of the page; the next page holds the events with a smaller id. */
  beforeId: string;
}

const VERSION = 1;
const DIGITS = /^[1-9]\d{0,18}$/;

const signature = (text: string, key: Buffer): Buffer =>
  createHmac('sha256', key).update(text).digest();

const invalid = (problem: string) =>
  new ValidationFailedError([{ field: 'cursor', problems: [problem] }]);

const filterFields = (f: AuditFilter) => [f.userId, f.campaignId, f.code, f.from, f.to];

export function encodeAuditCursor(cursor: AuditCursor, key: Buffer): string {
  const text = Buffer.from(
    JSON.stringify([VERSION, cursor.beforeId, ...filterFields(cursor.filter)]),
    'utf8',
  ).toString('base64url');
  return `${text}.${signature(text, key).toString('base64url')}`;
}

/**
 * The position a cursor carries, if this server issued it for exactly `filter`; otherwise a
 * 400 VALIDATION_FAILED naming the cursor.
 */
export function decodeAuditCursor(signed: string, filter: AuditFilter, key: Buffer): string {
  const [text, mac, ...rest] = signed.split('.');
  const given = Buffer.from(mac ?? '', 'base64url');
  const expected = signature(text, key);
  if (rest.length > 0 || given.length !== expected.length || !timingSafeEqual(given, expected))
    throw invalid('is not a cursor this server issued');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid('is unreadable');
  }
  if (!Array.isArray(payload) || payload.length !== 7 || payload[0] !== VERSION)
    throw invalid('is unreadable');
  const [, beforeId, ...fields] = payload as unknown[];
  if (typeof beforeId !== 'string' || !DIGITS.test(beforeId)) throw invalid('is unreadable');
  const same = filterFields(filter).every((value, i) => fields[i] === value);
  if (!same) throw invalid('belongs to a query with other filters');
  return beforeId;
}
