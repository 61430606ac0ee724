import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type pg from 'pg';
import { v4, v7 } from 'uuid';
import { transferIdFor } from '../src/modules/escrow-ledger/ledger.service.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * Issue 18: settlement posts holds in SQL (`ledger_post_holds`), so the POST rows' ids are made by
 * `ledger_transfer_id(key)`. They must be `transferIdFor(key)` exactly (INV-10: the same key is
 * the same transfer, whichever side made the id), or a replay from the service would post twice.
 */
describe('ledger_transfer_id is transferIdFor (INV-10)', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    client = await db.client();
  });
  afterAll(async () => {
    await db.drop();
  });

  const inSql = async (keys: string[]): Promise<string[]> =>
    (
      await client.query<{ id: string }>(
        `SELECT ledger_transfer_id(k) AS id FROM unnest($1::text[]) WITH ORDINALITY AS u(k, n) ORDER BY n`,
        [keys],
      )
    ).rows.map((r) => r.id);

  it('keys ending with a version 7 UUID (anchored, any case) and every other kind of key', async () => {
    const tails = fc.oneof(
      fc.constant('').map(() => v7()),
      fc.constant('').map(() => v7().toUpperCase()),
      fc.constant('').map(() => v4()),
      fc.uuid(),
      fc.string({ minLength: 0, maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('post:', 'pledge:', 'void:', '', 'x'), tails), {
          minLength: 1,
          maxLength: 40,
        }),
        async (parts) => {
          const keys = parts.map(([prefix, tail]) => `${prefix}${tail}`);
          expect(await inSql(keys)).toEqual(keys.map(transferIdFor));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the version 7 anchor: post ids of one moment share their first 48 bits, others do not', async () => {
    const hold = transferIdFor(`pledge:${v7()}`);
    const [post, plain] = await inSql([`post:${hold}`, `post:${v4()}`]);
    expect(post.slice(0, 13)).toBe(hold.slice(0, 13));
    expect(post[14]).toBe('7');
    expect(plain[14]).toBe('8');
  });
});
