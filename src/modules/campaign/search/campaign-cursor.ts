import { ValidationFailedError } from '../../../common/errors/domain-error.js';

export const CAMPAIGN_SORTS = ['newest', 'ending', 'most-funded', 'progress'] as const;
export type CampaignSort = (typeof CAMPAIGN_SORTS)[number];

/** Where a page ended: the sort it belongs to, the last row's sort key (as text) and its id. */
export interface KeysetPosition {
  sort: string;
  key: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opaque to clients: base64url of the position. */
export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.sort, position.key, position.id]), 'utf8').toString(
    'base64url',
  );
}

/**
 * The position a cursor names, for this sort; anything else (tampered, from another sort or
 * another list) is 400 VALIDATION_FAILED on `cursor`, never a database error.
 */
export function decodeCursor(cursor: string, sort: string, keyPattern: RegExp): KeysetPosition {
  const bad = () =>
    new ValidationFailedError([
      { field: 'cursor', problems: ['cursor is not one this list gave out (for this sort)'] },
    ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== sort ||
    typeof parsed[1] !== 'string' ||
    typeof parsed[2] !== 'string' ||
    !keyPattern.test(parsed[1]) ||
    !UUID.test(parsed[2])
  )
    throw bad();
  return { sort, key: parsed[1], id: parsed[2] };
}
