import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source.js';
import { pgError, TransactionRunner } from '../src/database/transaction.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * Issue 18: `TransactionRunner.runEnding` sends a transaction's last statement and its COMMIT as
 * one query (the pledge's locked section). On real Postgres: what it commits, what a failure of
 * the statement or of the COMMIT itself leaves (nothing), that the escaped literals round-trip,
 * and that no pooled connection is left inside a transaction.
 */
describe('a transaction that ends with its last statement (TransactionRunner.runEnding)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let runner: TransactionRunner;
  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(db.url, 2)).initialize();
    runner = new TransactionRunner(dataSource);
    await dataSource.query(`CREATE TABLE ending_test (
      id int PRIMARY KEY, note text,
      code text CONSTRAINT ending_test_code_key UNIQUE DEFERRABLE INITIALLY DEFERRED)`);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });
  beforeEach(async () => {
    await dataSource.query(`TRUNCATE ending_test`);
  });

  const rows = async () =>
    (await dataSource.query<{ id: number; note: string }[]>(
      `SELECT id, note FROM ending_test ORDER BY id`,
    )) as { id: number; note: string }[];
  const openTransactions = async () =>
    Number(
      (
        await dataSource.query<{ n: string }[]>(
          `SELECT count(*) AS n FROM pg_stat_activity
            WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
        )
      )[0].n,
    );

  it('commits the statements before and the last one, in one transaction', async () => {
    const note = `O'Brien \\ "x" ; COMMIT; --`;
    const result = await runner.runEnding(async (tx, end) => {
      await tx.query(`INSERT INTO ending_test (id, note) VALUES (1, 'first')`);
      await end.commitWith(`INSERT INTO ending_test (id, note) VALUES (2, ${end.literal(note)})`);
      return 'done';
    });
    expect(result).toBe('done');
    expect(await rows()).toEqual([
      { id: 1, note: 'first' },
      { id: 2, note },
    ]);
    expect(await openTransactions()).toBe(0);
    // the pooled connections carry on as usual, in and out of transactions
    for (let i = 3; i <= 6; i++)
      await runner.run((tx) => tx.query(`INSERT INTO ending_test (id) VALUES (${i})`));
    expect(await rows()).toHaveLength(6);
  });

  it('without commitWith it commits after the work, as run does', async () => {
    await runner.runEnding(async (tx) => {
      await tx.query(`INSERT INTO ending_test (id) VALUES (1)`);
    });
    expect(await rows()).toHaveLength(1);
  });

  it('a failing last statement rolls everything back and nothing after it runs', async () => {
    const error = await runner
      .runEnding(async (tx, end) => {
        await tx.query(`INSERT INTO ending_test (id) VALUES (1)`);
        await end.commitWith(`INSERT INTO ending_test (id) VALUES (1)`); // duplicate key
      })
      .catch((e: unknown) => e);
    expect(pgError(error).code).toBe('23505');
    expect(await rows()).toEqual([]);
    expect(await openTransactions()).toBe(0);
  });

  it('a COMMIT that fails (a deferred constraint) leaves nothing written', async () => {
    const error = await runner
      .runEnding(async (tx, end) => {
        await tx.query(`INSERT INTO ending_test (id, code) VALUES (1, 'same')`);
        await end.commitWith(`INSERT INTO ending_test (id, code) VALUES (2, 'same')`);
      })
      .catch((e: unknown) => e);
    expect(pgError(error)).toMatchObject({ code: '23505', constraint: 'ending_test_code_key' });
    expect(await rows()).toEqual([]);
    expect(await openTransactions()).toBe(0);
  });

  it('a transaction ends once: a second commitWith is refused', async () => {
    const error = await runner
      .runEnding(async (_tx, end) => {
        await end.commitWith(`INSERT INTO ending_test (id) VALUES (1)`);
        await end.commitWith(`INSERT INTO ending_test (id) VALUES (2)`);
      })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe('not an open outermost transaction');
    expect(await rows()).toEqual([{ id: 1, note: null }]);
    expect(await openTransactions()).toBe(0);
  });
});
