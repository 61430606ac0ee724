/**
 * SQL for the ids the application makes, so the benches seed rows as the application writes them
 * (issue 18: a pledge's id is a time-ordered UUID, its hold's id and its hold's post or void id
 * are derived from their idempotency keys by `transferIdFor`, in SQL by the ledger's
 * `ledger_transfer_id`). Checked against the application's functions by test/bench-ids-sql.spec.ts.
 */

const setVersionAndVariant = (bytes: string, version: 7 | 8) =>
  `set_byte(set_byte(${bytes}, 6, (get_byte(${bytes}, 6) & 15) | ${version * 16}), 8, (get_byte(${bytes}, 8) & 63) | 128)`;

/** A version 7 UUID at the moment `at` (a timestamptz expression), random after its time. */
export function timeOrderedUuidSql(at: string): string {
  const bytes = `overlay(uuid_send(gen_random_uuid()) PLACING substring(int8send(floor(extract(epoch FROM ${at}) * 1000)::bigint) FROM 3 FOR 6) FROM 1 FOR 6)`;
  return `encode(${setVersionAndVariant(bytes, 7)}, 'hex')::uuid`;
}

/**
 * `transferIdFor(key)` for `key`, a text expression: the ledger's own SQL twin of it,
 * `ledger_transfer_id` (migration 1766060000000), which finds the version 7 anchor in the key.
 */
export function transferIdSql(key: string): string {
  return `ledger_transfer_id(${key})`;
}
