import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { authConfig, type AuthConfig } from '../../config/namespaces.js';
import { ValidationFailedError } from '../errors/domain-error.js';

/** One page of a list: pass `nextCursor` back as `cursor` for the next; null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Where a page ended: the list it belongs to (a list's name, or the sort of a sorted list), the
 * last row's sort key (as text, exactly as Postgres gave it) and its unique tie-breaker.
 */
export interface KeysetPosition {
  /** The list the cursor was issued for; a cursor of another list is refused. */
  sort: string;
  key: string;
  id: string;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const VERSION = 1;

/**
 * The one cursor format of every cursor-paged list but the finance statement and the audit trail
 * (which carry more): `base64url([version, list, key, id]).base64url(HMAC-SHA256)`, opaque to
 * clients. Signed under a key derived from the JWT secret (like the audit and statement cursors),
 * so an altered, forged or garbage cursor, or one of another list or sort, is a 400
 * VALIDATION_FAILED naming `cursor`, checked before anything is read; never a database error.
 * Every app instance with the same secret reads the others' cursors.
 */
@Injectable()
export class CursorCodec {
  private readonly key: Buffer;

  constructor(@Inject(authConfig.KEY) auth: Pick<AuthConfig, 'jwtSecret'>) {
    this.key = createHmac('sha256', auth.jwtSecret).update('zc-list-cursor-v1').digest();
  }

  encode(position: KeysetPosition): string {
    const text = Buffer.from(
      JSON.stringify([VERSION, position.sort, position.key, position.id]),
      'utf8',
    ).toString('base64url');
    return `${text}.${this.sign(text).toString('base64url')}`;
  }

  /** The position `cursor` names for list `sort`, its key and id of the given shapes. */
  decode(
    cursor: string,
    sort: string,
    keyPattern: RegExp,
    idPattern: RegExp = UUID_PATTERN,
  ): KeysetPosition {
    const [text, mac, ...rest] = cursor.split('.');
    const given = Buffer.from(mac ?? '', 'base64url');
    const expected = this.sign(text);
    if (rest.length > 0 || given.length !== expected.length || !timingSafeEqual(given, expected))
      throw invalid('is not a cursor this server issued');
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    } catch {
      throw invalid('is unreadable');
    }
    if (!Array.isArray(parsed) || parsed.length !== 4 || parsed[0] !== VERSION)
      throw invalid('is unreadable');
    const [, list, key, id] = parsed as unknown[];
    if (list !== sort) throw invalid('belongs to another list or sort');
    if (
      typeof key !== 'string' ||
      typeof id !== 'string' ||
      !keyPattern.test(key) ||
      !idPattern.test(id)
    )
      throw invalid('is unreadable');
    return { sort, key, id };
  }

  private sign(text: string): Buffer {
    return createHmac('sha256', this.key).update(text).digest();
  }
}

const invalid = (problem: string) =>
  new ValidationFailedError([{ field: 'cursor', problems: [problem] }]);
