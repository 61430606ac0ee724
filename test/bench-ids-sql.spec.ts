import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { v4, v7, version } from 'uuid';
import { timeOrderedUuidSql, transferIdSql } from '../bench/ids-sql.js';
import { transferIdFor } from '../src/modules/escrow-ledger/ledger.service.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * The benches seed pledges and holds in SQL (issue 18); their ids must be the ones the application
 * would make, or the settle bench would measure index writes the application does not do.
 */
describe('the benches make ids in SQL as the application makes them', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    client = await db.client();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('transferIdSql is transferIdFor, anchored on a version 7 UUID and not', async () => {
    const pledges = Array.from({ length: 50 }, () => v7());
    const { rows } = await client.query<{
      pledge: string;
      hold: string;
      post: string;
      plain: string;
    }>(
      `SELECT p AS pledge, h.hold, ${transferIdSql(`'post:' || h.hold`)} AS post,
              ${transferIdSql(`'deposit:' || p || ':bank'`)} AS plain
         FROM unnest($1::uuid[]) p
         CROSS JOIN LATERAL (SELECT ${transferIdSql(`'pledge:' || p`)} AS hold) h`,
      [pledges],
    );
    expect(rows).toHaveLength(50);
    for (const r of rows) {
      const hold = transferIdFor(`pledge:${r.pledge}`);
      expect(r.hold).toBe(hold);
      expect(r.post).toBe(transferIdFor(`post:${hold}`));
      expect(r.plain).toBe(transferIdFor(`deposit:${r.pledge}:bank`));
    }
    const v4Key = `pledge:${v4()}`;
    const [plain] = (
      await client.query<{ id: string }>(`SELECT ${transferIdSql('$1::text')} AS id`, [v4Key])
    ).rows;
    expect(plain.id).toBe(transferIdFor(v4Key));
  });

  it('timeOrderedUuidSql is a version 7 UUID of that moment', async () => {
    const at = new Date('2024-02-29T12:34:56.789Z');
    const { rows } = await client.query<{ id: string }>(
      `SELECT ${timeOrderedUuidSql('$1::timestamptz')} AS id FROM generate_series(1, 20)`,
      [at],
    );
    for (const { id } of rows) {
      expect(version(id)).toBe(7);
      expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at.getTime());
      expect(id[19]).toMatch(/[89ab]/);
    }
    expect(new Set(rows.map((r) => r.id)).size).toBe(20);
  });
});
