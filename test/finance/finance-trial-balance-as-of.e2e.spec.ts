import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LedgerService } from '../../src/modules/escrow-ledger/ledger.service.js';
import { cny, fundedAccount } from '../support/ledger.js';
import { TEST_START, startTestApp, type TestApp } from '../support/test-app.js';
import { staffToken } from '../support/users.js';

interface Row {
  code: string;
  kind: string;
  debitsPosted: string;
  creditsPosted: string;
  debitsPending: string;
  creditsPending: string;
}

describe('GET /finance/trial-balance?asOf (INV-4): balances at an instant, recomputed from transfers', () => {
  let t: TestApp;
  let finance: { id: string; token: string };
  let x: string;
  let y: string;
  const minute = (n: number) => new Date(Date.parse(TEST_START) + n * 60_000).toISOString();
  const tb = (query: Record<string, string> = {}) =>
    t.http
      .get('/api/v1/finance/trial-balance')
      .query(query)
      .set('authorization', `Bearer ${finance.token}`);
  const counters = (rows: Row[], code: string) => {
    const r = rows.find((a) => a.code === code);
    return r && [r.debitsPosted, r.creditsPosted, r.debitsPending, r.creditsPending];
  };

  beforeAll(async () => {
    t = await startTestApp();
    finance = await staffToken(t, 'FINANCE');
    const ledger = t.app.get(LedgerService);
    await ledger.openAccount('platform:fees', 'REVENUE');
    x = await fundedAccount(t, 'x', '500.00'); // minute 0: custody -> x 500.00 POSTED
    y = await fundedAccount(t, 'y', '0.00');
    t.clock.set(minute(1));
    const h1 = await ledger.hold({
      idempotencyKey: 'h1',
      kind: 'PLEDGE',
      debitAccount: x,
      creditAccount: y,
      amount: cny('200.00'),
    });
    t.clock.set(minute(2));
    const h2 = await ledger.hold({
      idempotencyKey: 'h2',
      kind: 'PLEDGE',
      debitAccount: x,
      creditAccount: y,
      amount: cny('50.00'),
    });
    t.clock.set(minute(3));
    await ledger.post({ pendingId: h1.id });
    t.clock.set(minute(4));
    await ledger.void({ pendingId: h2.id });
    t.clock.set(minute(5));
    await ledger.transfer({
      idempotencyKey: 'fee',
      kind: 'FEE',
      debitAccount: y,
      creditAccount: 'platform:fees',
      amount: cny('10.00'),
    });
    t.clock.set(minute(10));
  });
  afterAll(async () => {
    await t.close();
  });

  it('holds posted or voided after asOf count as pending at asOf; every instant balances', async () => {
    const at2 = await tb({ asOf: minute(2) });
    expect(at2.status).toBe(200);
    expect(at2.body.asOf).toBe(minute(2));
    // [debitsPosted, creditsPosted, debitsPending, creditsPending]
    expect(counters(at2.body.accounts, x)).toEqual(['0.00', '500.00', '250.00', '0.00']);
    expect(counters(at2.body.accounts, y)).toEqual(['0.00', '0.00', '0.00', '250.00']);
    expect(counters(at2.body.accounts, 'custody:cash')).toEqual(['500.00', '0.00', '0.00', '0.00']);
    expect(at2.body.totals).toEqual({
      debitsPosted: '500.00',
      creditsPosted: '500.00',
      debitsPending: '250.00',
      creditsPending: '250.00',
    });
    expect(at2.body).toMatchObject({ balanced: true, postedBalanced: true, pendingBalanced: true });

    const at3 = await tb({ asOf: new Date(Date.parse(minute(3)) + 30_000).toISOString() });
    expect(counters(at3.body.accounts, x)).toEqual(['200.00', '500.00', '50.00', '0.00']);
    expect(counters(at3.body.accounts, y)).toEqual(['0.00', '200.00', '0.00', '50.00']);

    const at4 = await tb({ asOf: minute(4) }); // inclusive: the void at minute 4 counts
    expect(counters(at4.body.accounts, x)).toEqual(['200.00', '500.00', '0.00', '0.00']);
    expect(at4.body.totals.debitsPending).toBe('0.00');

    // Totals by account kind; assets = liabilities + revenue.
    const at5 = await tb({ asOf: minute(5) });
    expect(at5.body.byKind.ASSET).toMatchObject({
      accounts: 1,
      debitsPosted: '500.00',
      balance: '500.00',
    });
    expect(at5.body.byKind.LIABILITY).toMatchObject({ accounts: 2, balance: '490.00' });
    expect(at5.body.byKind.REVENUE).toMatchObject({
      accounts: 1,
      creditsPosted: '10.00',
      balance: '10.00',
    });
  });

  it('without asOf: the live counters, equal to a recomputation as of now', async () => {
    const live = await tb();
    const now = await tb({ asOf: minute(10) });
    expect(live.body.asOf).toBeNull();
    expect(live.body.accounts).toEqual(now.body.accounts);
    expect(live.body.totals).toEqual(now.body.totals);
    expect(live.body.byKind).toEqual(now.body.byKind);
    expect(counters(live.body.accounts, y)).toEqual(['10.00', '200.00', '0.00', '0.00']);
  });

  it('before the first account existed: nothing, and balanced', async () => {
    const before = await tb({ asOf: minute(-1) });
    expect(before.body.accounts).toEqual([]);
    expect(before.body.totals.debitsPosted).toBe('0.00');
    expect(before.body.balanced).toBe(true);
  });

  it('garbage asOf is 400 VALIDATION_FAILED naming asOf; a future asOf is 400 FINANCE.AS_OF_IN_FUTURE', async () => {
    for (const asOf of [
      'yesterday',
      '2026-13-45T00:00:00Z',
      '2026-11-28',
      '1700000000',
      '2026-11-28T02:00:00',
    ]) {
      const res = await tb({ asOf });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual([
        'asOf',
      ]);
    }
    const future = await tb({ asOf: minute(11) });
    expect(future.status).toBe(400);
    expect(future.body.error.code).toBe('FINANCE.AS_OF_IN_FUTURE');
    expect((await tb({ asOf: '2026-11-28T02:05:00+08:00' })).status).toBe(200); // offsets are fine
  });

  it('an unbalanced ledger (a counter changed behind the trigger) reads balanced: false', async () => {
    const sql = await t.db.client();
    await sql.query('BEGIN');
    await sql.query(`SET LOCAL session_replication_role = replica`);
    await sql.query(
      `UPDATE ledger_accounts SET credits_posted = credits_posted + 0.01 WHERE code = $1`,
      [y],
    );
    await sql.query('COMMIT');
    const res = await tb();
    expect(res.body).toMatchObject({
      balanced: false,
      postedBalanced: false,
      pendingBalanced: true,
    });
    // Recomputed from the transfers, the same instant still balances: the counter drifted (INV-3).
    expect((await tb({ asOf: minute(10) })).body.balanced).toBe(true);
  });
});
