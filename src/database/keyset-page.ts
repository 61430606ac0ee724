import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { type CursorCodec, type Page, UUID_PATTERN } from '../common/pagination/cursor-codec.js';

const KINDS = {
  /** UTC with microseconds, Postgres' own precision (a millisecond key could repeat a row). */
  timestamptz: {
    pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/,
    text: (sql: string) => `to_char(${sql} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  },
  bigint: { pattern: /^[1-9]\d{0,18}$/, text: (sql: string) => `(${sql})::text` },
  uuid: { pattern: UUID_PATTERN, text: (sql: string) => `(${sql})::text` },
} as const;

/**
 * A keyset order (issue 16): a sort key with a unique tie-breaker, both in one direction, so a row
 * comparison `(key, id) < (last key, last id)` continues a page and an index on `(..., key, id)`
 * serves it (no OFFSET: the thousandth page costs what the first does). Rows inserted while a
 * client walks the list never shift a later page: every row that was there when the walk began
 * is shown exactly once, a new one at most once.
 */
export interface Keyset {
  /** Name the cursor is bound to: a cursor of another list is a 400. */
  list: string;
  /** SQL of the sort key, e.g. `p.created_at`. */
  key: string;
  keyKind: 'timestamptz' | 'bigint';
  /** SQL of the unique tie-breaker, e.g. `p.id`. */
  id: string;
  idKind: 'uuid' | 'bigint';
  direction: 'ASC' | 'DESC';
}

/** `?cursor&limit` as the services pass them on. */
export interface PageRequest {
  cursor?: string;
  limit: number;
}

/**
 * SQL pieces of one page for a hand-written query: the cursor's condition (null on the first
 * page), the order, and the key as text for the next cursor. `param(value)` binds a parameter
 * and returns its placeholder (`$3` in raw SQL, `:name` in a query builder). A cursor this list
 * did not give out is a 400 here, before anything is read.
 */
export function keysetSql(
  codec: CursorCodec,
  keyset: Keyset,
  cursor: string | undefined,
  param: (value: string) => string,
): { where: string | null; orderBy: string; keyText: string; idText: string } {
  const after =
    cursor === undefined
      ? null
      : codec.decode(
          cursor,
          keyset.list,
          KINDS[keyset.keyKind].pattern,
          KINDS[keyset.idKind].pattern,
        );
  const op = keyset.direction === 'DESC' ? '<' : '>';
  return {
    where: after
      ? `(${keyset.key}, ${keyset.id}) ${op} (CAST(${param(after.key)} AS ${keyset.keyKind}), CAST(${param(after.id)} AS ${keyset.idKind}))`
      : null,
    orderBy: `${keyset.key} ${keyset.direction}, ${keyset.id} ${keyset.direction}`,
    keyText: KINDS[keyset.keyKind].text(keyset.key),
    idText: `(${keyset.id})::text`,
  };
}

/** The page from `limit + 1` rows read in keyset order: the first `limit`, and a cursor if more. */
export function pageFrom<R extends { keyset_key: string; keyset_id: string }, T>(
  codec: CursorCodec,
  keyset: Keyset,
  rows: R[],
  limit: number,
  view: (row: R) => T,
): Page<T> {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return {
    items: shown.map(view),
    nextCursor:
      rows.length > limit && last
        ? codec.encode({ sort: keyset.list, key: last.keyset_key, id: last.keyset_id })
        : null,
  };
}

/**
 * One page read with a query builder that holds the filters (one entity, no join that repeats
 * rows): adds the cursor's condition, the keyset order and `limit + 1`.
 */
export async function keysetPage<E extends ObjectLiteral, T>(
  codec: CursorCodec,
  qb: SelectQueryBuilder<E>,
  keyset: Keyset,
  page: PageRequest,
  view: (entity: E) => T,
): Promise<Page<T>> {
  const params: Record<string, string> = {};
  const sql = keysetSql(codec, keyset, page.cursor, (value) => {
    const name = `keyset${Object.keys(params).length}`;
    params[name] = value;
    return `:${name}`;
  });
  if (sql.where) qb.andWhere(sql.where, params);
  qb.addSelect(sql.keyText, 'keyset_key')
    .addSelect(sql.idText, 'keyset_id')
    .orderBy(keyset.key, keyset.direction)
    .addOrderBy(keyset.id, keyset.direction)
    .limit(page.limit + 1);
  const { entities, raw } = await qb.getRawAndEntities<{ keyset_key: string; keyset_id: string }>();
  const rows = entities.map((entity, i) => ({ ...raw[i], entity }));
  return pageFrom(codec, keyset, rows, page.limit, (r) => view(r.entity));
}

/** The pieces a hand-written query splices in: see `rawKeysetPage`. */
export interface KeysetSplice {
  /** `<key> AS keyset_key, <id> AS keyset_id`, for the select list. */
  columns: string;
  /** ` AND (<cursor condition>)`, or '' on the first page: after the query's own WHERE. */
  after: string;
  /** `ORDER BY ... LIMIT <limit + 1>`. */
  tail: string;
}

/**
 * One page of a hand-written query: `sql` builds the text from the splice, `params` are the
 * query's own parameters ($1..$n); the cursor's are numbered after them.
 */
export async function rawKeysetPage<R extends { keyset_key: string; keyset_id: string }, T>(
  codec: CursorCodec,
  run: (sql: string, params: unknown[]) => Promise<R[]>,
  keyset: Keyset,
  page: PageRequest,
  params: unknown[],
  sql: (splice: KeysetSplice) => string,
  view: (row: R) => T,
): Promise<Page<T>> {
  const all = [...params];
  const pieces = keysetSql(codec, keyset, page.cursor, (value) => {
    all.push(value);
    return `$${all.length}`;
  });
  const rows = await run(
    sql({
      columns: `${pieces.keyText} AS keyset_key, ${pieces.idText} AS keyset_id`,
      after: pieces.where ? ` AND ${pieces.where}` : '',
      tail: `ORDER BY ${pieces.orderBy} LIMIT ${page.limit + 1}`,
    }),
    all,
  );
  return pageFrom(codec, keyset, rows, page.limit, view);
}
