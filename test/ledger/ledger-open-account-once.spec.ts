import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { TransactionRunner } from '../../src/database/transaction.js';
import { LedgerService } from '../../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../../src/modules/escrow-ledger/ledger.types.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Opening an account is one statement (insert unless there, return the row): many callers at once
 * get the one account, and a caller that waited on another's uncommitted insert reads it after.
 */
describe('ledger accounts are opened once, whoever asks at the same time', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ DATABASE_POOL_SIZE: '20' });
  });
  afterAll(async () => {
    await t.close();
  });

  const rowsOf = async (code: string) =>
    t.app
      .get(DataSource)
      .query<{ id: string }[]>(`SELECT id FROM ledger_accounts WHERE code = $1`, [code]);

  it('16 concurrent opens of a new account return the same account; one row exists', async () => {
    const code = AccountCodes.campaignEscrow('open-once-1');
    const opened = await Promise.all(
      Array.from({ length: 16 }, () => t.app.get(LedgerService).openAccount(code, 'LIABILITY')),
    );
    const rows = await rowsOf(code);
    expect(rows).toHaveLength(1);
    expect(new Set(opened.map((a) => a.id))).toEqual(new Set([rows[0].id]));
    expect(opened.every((a) => a.kind === 'LIABILITY' && a.code === code)).toBe(true);
    // Opening it again returns the same row (the conflict path).
    expect((await t.app.get(LedgerService).openAccount(code, 'LIABILITY')).id).toBe(rows[0].id);
  });

  it('an open that waited on an uncommitted insert of the same account returns that account', async () => {
    const code = AccountCodes.campaignEscrow('open-once-2');
    const ledger = t.app.get(LedgerService);
    let inserted!: () => void;
    const insertedInTx = new Promise<void>((resolve) => (inserted = resolve));
    let commit!: () => void;
    const mayCommit = new Promise<void>((resolve) => (commit = resolve));
    const first = t.app.get(TransactionRunner).run(async (tx) => {
      const account = await ledger.openAccount(code, 'LIABILITY', undefined, tx);
      inserted();
      await mayCommit;
      return account;
    });
    await insertedInTx;
    const second = ledger.openAccount(code, 'LIABILITY'); // blocks on the uncommitted row
    await new Promise((r) => setTimeout(r, 200));
    commit();
    const [a, b] = await Promise.all([first, second]);
    expect(b.id).toBe(a.id);
    expect(await rowsOf(code)).toEqual([{ id: a.id }]);
  });
});
