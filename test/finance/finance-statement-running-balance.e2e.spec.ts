import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { Decimal } from '../../src/common/money/decimal.js';
import { TransactionRunner } from '../../src/database/transaction.js';
import { LedgerService } from '../../src/modules/escrow-ledger/ledger.service.js';
import { SealerService } from '../../src/modules/escrow-ledger/sealer.service.js';
import { cny, fundedAccount, sealEverything } from '../support/ledger.js';
import { TEST_START, startTestApp, type TestApp } from '../support/test-app.js';
import { staffToken } from '../support/users.js';

interface Entry {
  seq: string;
  transferId: string;
  createdAt: string;
  kind: string;
  status: string;
  direction: string;
  counterparty: string;
  amount: string;
  balance: string;
  available: string;
  pendingDebits: string;
  pendingCredits: string;
}

interface StatementBody {
  account: { code: string; kind: string; normalSide: string };
  opening: { balance: string; available: string; pendingDebits: string; pendingCredits: string };
  entries: Entry[];
  nextCursor: string | null;
}

/** What a test compares: the entry's meaning and its running figures. */
const figures = (e: Entry) => ({
  status: e.status,
  direction: e.direction,
  amount: e.amount,
  balance: e.balance,
  available: e.available,
  pendingDebits: e.pendingDebits,
  pendingCredits: e.pendingCredits,
});

describe('GET /finance/accounts/:code/statement: running balance, paging, stability', () => {
  let t: TestApp;
  let finance: { id: string; token: string };
  let ledger: LedgerService;
  let alice: string;
  let bob: string;
  const minute = (n: number) => new Date(Date.parse(TEST_START) + n * 60_000).toISOString();

  const get = (code: string, query: Record<string, string | number> = {}) =>
    t.http
      .get(`/api/v1/finance/accounts/${encodeURIComponent(code)}/statement`)
      .query(query)
      .set('authorization', `Bearer ${finance.token}`);

  /** Pages through the whole statement, following nextCursor. */
  const walk = async (code: string, query: Record<string, string | number>) => {
    const pages: StatementBody[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(code, cursor ? { ...query, cursor } : query);
      expect(res.status).toBe(200);
      const body = res.body as StatementBody;
      pages.push(body);
      cursor = body.nextCursor;
    } while (cursor);
    return pages;
  };

  /**
   * The statement lists transfers of finished transactions only (below the cluster-wide commit
   * horizon); another database's open transaction can hold that back for a moment: poll.
   */
  const settledRead = async (code: string, expected: number): Promise<StatementBody> => {
    const deadline = Date.now() + 45_000;
    for (;;) {
      const res = await get(code, { limit: 1000 });
      expect(res.status).toBe(200);
      if (res.body.entries.length >= expected || Date.now() > deadline) return res.body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    t = await startTestApp();
    finance = await staffToken(t, 'FINANCE');
    ledger = t.app.get(LedgerService);
    alice = await fundedAccount(t, 'alice', '0.00');
    bob = await fundedAccount(t, 'bob', '0.00');

    // A hand-built history, one minute apart: deposit, two holds, one posted and one voided, a
    // direct transfer back, a withdrawal hold, a small deposit.
    const at = (n: number) => t.clock.set(minute(n));
    at(0);
    await ledger.transfer({
      idempotencyKey: 'dep-1',
      kind: 'DEPOSIT',
      debitAccount: 'custody:cash',
      creditAccount: alice,
      amount: cny('1000.00'),
    });
    at(1);
    const hold1 = await ledger.hold({
      idempotencyKey: 'hold-1',
      kind: 'PLEDGE',
      debitAccount: alice,
      creditAccount: bob,
      amount: cny('300.00'),
    });
    at(2);
    const hold2 = await ledger.hold({
      idempotencyKey: 'hold-2',
      kind: 'PLEDGE',
      debitAccount: alice,
      creditAccount: bob,
      amount: cny('200.00'),
    });
    at(3);
    await ledger.post({ pendingId: hold1.id });
    at(4);
    await ledger.void({ pendingId: hold2.id });
    at(5);
    await ledger.transfer({
      idempotencyKey: 'back-1',
      kind: 'ADJUSTMENT',
      debitAccount: bob,
      creditAccount: alice,
      amount: cny('50.25'),
    });
    at(6);
    await ledger.hold({
      idempotencyKey: 'wd-1',
      kind: 'WITHDRAWAL',
      debitAccount: alice,
      creditAccount: 'custody:cash',
      amount: cny('100.10'),
    });
    at(7);
    await ledger.transfer({
      idempotencyKey: 'dep-2',
      kind: 'DEPOSIT',
      debitAccount: 'custody:cash',
      creditAccount: alice,
      amount: cny('0.01'),
    });
    t.clock.set(minute(10));
  });
  afterAll(async () => {
    await t.close();
  });

  // Hand-computed. alice is a LIABILITY (credit-normal): balance = credits posted - debits posted,
  // available = balance - debits pending.
  const aliceExpected = [
    {
      status: 'POSTED',
      direction: 'CREDIT',
      amount: '1000.00',
      balance: '1000.00',
      available: '1000.00',
      pendingDebits: '0.00',
      pendingCredits: '0.00',
    },
    {
      status: 'PENDING',
      direction: 'DEBIT',
      amount: '300.00',
      balance: '1000.00',
      available: '700.00',
      pendingDebits: '300.00',
      pendingCredits: '0.00',
    },
    {
      status: 'PENDING',
      direction: 'DEBIT',
      amount: '200.00',
      balance: '1000.00',
      available: '500.00',
      pendingDebits: '500.00',
      pendingCredits: '0.00',
    },
    {
      status: 'POST',
      direction: 'DEBIT',
      amount: '300.00',
      balance: '700.00',
      available: '500.00',
      pendingDebits: '200.00',
      pendingCredits: '0.00',
    },
    {
      status: 'VOID',
      direction: 'DEBIT',
      amount: '200.00',
      balance: '700.00',
      available: '700.00',
      pendingDebits: '0.00',
      pendingCredits: '0.00',
    },
    {
      status: 'POSTED',
      direction: 'CREDIT',
      amount: '50.25',
      balance: '750.25',
      available: '750.25',
      pendingDebits: '0.00',
      pendingCredits: '0.00',
    },
    {
      status: 'PENDING',
      direction: 'DEBIT',
      amount: '100.10',
      balance: '750.25',
      available: '650.15',
      pendingDebits: '100.10',
      pendingCredits: '0.00',
    },
    {
      status: 'POSTED',
      direction: 'CREDIT',
      amount: '0.01',
      balance: '750.26',
      available: '650.16',
      pendingDebits: '100.10',
      pendingCredits: '0.00',
    },
  ];

  it('a liability: every transfer on either side, with the hand-computed running balance, paged 3 at a time', async () => {
    const single = await settledRead(alice, 8);
    expect(single.account).toMatchObject({ code: alice, kind: 'LIABILITY', normalSide: 'CREDIT' });
    expect(single.entries.map(figures)).toEqual(aliceExpected);
    expect(single.opening).toEqual({
      balance: '0.00',
      available: '0.00',
      pendingDebits: '0.00',
      pendingCredits: '0.00',
    });
    expect(single.entries.map((e) => e.counterparty)).toEqual([
      'custody:cash',
      bob,
      bob,
      bob,
      bob,
      bob,
      'custody:cash',
      'custody:cash',
    ]);

    const pages = await walk(alice, { limit: 3 });
    expect(pages.map((p) => p.entries.length)).toEqual([3, 3, 2]);
    expect(pages.flatMap((p) => p.entries)).toEqual(single.entries);
    // Each page opens where the previous one closed.
    expect(pages[1].opening).toMatchObject({
      balance: '1000.00',
      available: '500.00',
      pendingDebits: '500.00',
    });
    expect(pages[2].opening).toMatchObject({ balance: '750.25', available: '750.25' });

    // The last running figures are the account's live counters.
    const live = await ledger.account(alice);
    const last = single.entries.at(-1);
    expect(last?.balance).toBe(new Decimal(live.creditsPosted).minus(live.debitsPosted).toFixed(2));
    expect(last?.pendingDebits).toBe(live.debitsPending);
  });

  it('the credit side of holds, and an ASSET (debit-normal) account', async () => {
    const b = await settledRead(bob, 5);
    expect(b.entries.map(figures)).toEqual([
      {
        status: 'PENDING',
        direction: 'CREDIT',
        amount: '300.00',
        balance: '0.00',
        available: '0.00',
        pendingDebits: '0.00',
        pendingCredits: '300.00',
      },
      {
        status: 'PENDING',
        direction: 'CREDIT',
        amount: '200.00',
        balance: '0.00',
        available: '0.00',
        pendingDebits: '0.00',
        pendingCredits: '500.00',
      },
      {
        status: 'POST',
        direction: 'CREDIT',
        amount: '300.00',
        balance: '300.00',
        available: '300.00',
        pendingDebits: '0.00',
        pendingCredits: '200.00',
      },
      {
        status: 'VOID',
        direction: 'CREDIT',
        amount: '200.00',
        balance: '300.00',
        available: '300.00',
        pendingDebits: '0.00',
        pendingCredits: '0.00',
      },
      {
        status: 'POSTED',
        direction: 'DEBIT',
        amount: '50.25',
        balance: '249.75',
        available: '249.75',
        pendingDebits: '0.00',
        pendingCredits: '0.00',
      },
    ]);
    // custody:cash is an ASSET: balance = debits - credits, available = balance - credits pending.
    const c = await settledRead('custody:cash', 3);
    expect(c.account).toMatchObject({ kind: 'ASSET', normalSide: 'DEBIT' });
    expect(c.entries.map(figures)).toEqual([
      {
        status: 'POSTED',
        direction: 'DEBIT',
        amount: '1000.00',
        balance: '1000.00',
        available: '1000.00',
        pendingDebits: '0.00',
        pendingCredits: '0.00',
      },
      {
        status: 'PENDING',
        direction: 'CREDIT',
        amount: '100.10',
        balance: '1000.00',
        available: '899.90',
        pendingDebits: '0.00',
        pendingCredits: '100.10',
      },
      {
        status: 'POSTED',
        direction: 'DEBIT',
        amount: '0.01',
        balance: '1000.01',
        available: '899.91',
        pendingDebits: '0.00',
        pendingCredits: '100.10',
      },
    ]);
  });

  it('from/to: the opening balance at `from` counts everything before it; `to` is exclusive', async () => {
    await settledRead(alice, 8);
    const pages = await walk(alice, { from: minute(3), to: minute(6), limit: 2 });
    expect(pages[0].opening).toEqual({
      balance: '1000.00',
      available: '500.00',
      pendingDebits: '500.00',
      pendingCredits: '0.00',
    });
    expect(pages.map((p) => p.entries.length)).toEqual([2, 1]);
    expect(pages.flatMap((p) => p.entries).map(figures)).toEqual(aliceExpected.slice(3, 6));
    expect(pages.flatMap((p) => p.entries).map((e) => e.createdAt)).toEqual([
      minute(3),
      minute(4),
      minute(5),
    ]);
  });

  it('refuses a foreign, tampered or mismatched cursor, a bad range and an unknown account, with stable codes', async () => {
    await settledRead(alice, 8);
    const first = await get(alice, { limit: 2 });
    const cursor = first.body.nextCursor as string;
    expect(typeof cursor).toBe('string');

    const otherAccount = await get(bob, { limit: 2, cursor });
    expect(otherAccount.status).toBe(400);
    expect(otherAccount.body.error.code).toBe('FINANCE.INVALID_CURSOR');
    const otherRange = await get(alice, { limit: 2, cursor, from: minute(1) });
    expect(otherRange.body.error.code).toBe('FINANCE.INVALID_CURSOR');
    for (const garbage of ['nonsense', Buffer.from('[1,2,3]').toString('base64url')]) {
      const res = await get(alice, { cursor: garbage });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('FINANCE.INVALID_CURSOR');
    }

    const badFrom = await get(alice, { from: 'yesterday' });
    expect(badFrom.status).toBe(400);
    expect(badFrom.body.error.code).toBe('VALIDATION_FAILED');
    expect(badFrom.body.error.details.fields[0].field).toBe('from');
    const backwards = await get(alice, { from: minute(5), to: minute(5) });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.code).toBe('FINANCE.INVALID_RANGE');
    const badLimit = await get(alice, { limit: 0 });
    expect(badLimit.status).toBe(400);

    const unknown = await get('investor:nobody:available');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({
      code: 'NOT_FOUND',
      details: { account: 'investor:nobody:available' },
    });
  });

  it('the read is in the audit trail with the FINANCE actor, the route and the account code', async () => {
    const res = await get(alice, { limit: 2 });
    expect(res.status).toBe(200);
    const sql = await t.db.client();
    const rows = await sql.query(
      `SELECT actor_id, action, subject_id, details FROM audit_events
       WHERE action = 'finance.request' AND actor_id = $1 AND details->'params'->>'code' = $2
       ORDER BY id DESC LIMIT 1`,
      [finance.id, alice],
    );
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]).toMatchObject({
      actor_id: finance.id,
      subject_id: 'GET /api/v1/finance/accounts/:code/statement',
      details: {
        method: 'GET',
        route: '/api/v1/finance/accounts/:code/statement',
        params: { code: alice },
        query: { limit: '2' },
        status: 200,
      },
    });
    // A refused read is recorded with its status too.
    await get('investor:nobody:available');
    const refused = await sql.query(
      `SELECT details->>'status' AS status FROM audit_events
       WHERE actor_id = $1 AND details->'params'->>'code' = 'investor:nobody:available'`,
      [finance.id],
    );
    expect(refused.rows.map((r) => r.status)).toContain('404');
  });

  it('under concurrent writes a walk never changes: its pages are exactly a prefix of a later single read', async () => {
    const carol = await fundedAccount(t, 'carol', '100000.00');
    const dave = await fundedAccount(t, 'dave', '0.00');
    // The slow transactions' first write touches neither carol nor dave: holding dave there while
    // autocommitted transfers lock carol then dave (id order) would only test deadlock retries.
    const erin = await fundedAccount(t, 'erin', '1000.00');
    const runner = t.app.get(TransactionRunner);
    let writing = true;
    let n = 0;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // Autocommitted transfers, and transactions that take their id first (a write elsewhere),
    // insert into carol's statement, then wait before committing: their seq and commit order differ.
    const autocommit = async () => {
      while (writing) {
        const i = n++;
        await ledger.transfer({
          idempotencyKey: `c-${i}`,
          kind: 'ADJUSTMENT',
          debitAccount: carol,
          creditAccount: dave,
          amount: cny('1.01'),
        });
        if (i % 3 === 0) {
          const h = await ledger.hold({
            idempotencyKey: `ch-${i}`,
            kind: 'PLEDGE',
            debitAccount: carol,
            creditAccount: dave,
            amount: cny('2.00'),
          });
          await (i % 2 ? ledger.post({ pendingId: h.id }) : ledger.void({ pendingId: h.id }));
        }
      }
    };
    const slowTransactions = async () => {
      while (writing) {
        const i = n++;
        await runner.run(async (tx) => {
          await ledger.transfer(
            {
              idempotencyKey: `s-${i}-a`,
              kind: 'ADJUSTMENT',
              debitAccount: erin,
              creditAccount: alice,
              amount: cny('0.01'),
            },
            tx,
          );
          await sleep(5);
          await ledger.transfer(
            {
              idempotencyKey: `s-${i}-b`,
              kind: 'ADJUSTMENT',
              debitAccount: carol,
              creditAccount: dave,
              amount: cny('0.50'),
            },
            tx,
          );
          await sleep(15);
        });
      }
    };
    await ledger.transfer({
      idempotencyKey: 'seed',
      kind: 'ADJUSTMENT',
      debitAccount: carol,
      creditAccount: dave,
      amount: cny('5.00'),
    });
    const writers = [autocommit(), autocommit(), slowTransactions(), slowTransactions()];
    let pages: StatementBody[];
    // The statement trails the cluster-wide commit horizon, which other test files' transactions
    // can hold back under load: wait for enough final entries instead of sleeping a fixed time.
    const visible = async () =>
      ((await get(carol, { limit: 1000 })).body as StatementBody).entries.length;
    const until = async (done: () => Promise<boolean>) => {
      const deadline = Date.now() + 45_000;
      while (!(await done()) && Date.now() < deadline) await sleep(20);
    };
    try {
      await until(async () => (await visible()) >= 20);
      pages = await walk(carol, { limit: 5 });
      const walkedCount = pages.flatMap((p) => p.entries).length;
      await until(async () => (await visible()) > walkedCount + 5); // writes go on after the walk
    } finally {
      writing = false;
      await Promise.all(writers);
    }
    const walked = pages.flatMap((p) => p.entries);
    expect(walked.length).toBeGreaterThanOrEqual(20);
    expect(pages.length).toBeGreaterThan(3);

    const total = await t.db
      .client()
      .then((c) =>
        c.query(
          `SELECT count(*)::int AS n FROM ledger_transfers t JOIN ledger_accounts a ON a.id IN (t.debit_account_id, t.credit_account_id) WHERE a.code = $1`,
          [carol],
        ),
      );
    const single = await settledRead(carol, total.rows[0].n as number);
    expect(single.entries.length).toBe(total.rows[0].n);
    expect(single.entries.length).toBeGreaterThan(walked.length); // writes went on after the walk
    expect(single.entries.slice(0, walked.length)).toEqual(walked);
    // And the single read ends on the account's live counters.
    const live = await ledger.account(carol);
    expect(single.entries.at(-1)).toMatchObject({
      balance: new Decimal(live.creditsPosted).minus(live.debitsPosted).toFixed(2),
      pendingDebits: live.debitsPending,
    });
  }, 150_000);

  it('from a moment after sealed blocks: the pages start at the lowest seq a later transfer can have, the unsealed tail included (issue 18)', async () => {
    const carol = await fundedAccount(t, 'tail-carol', '0.00');
    const dave = await fundedAccount(t, 'tail-dave', '5.00');
    const erin = await fundedAccount(t, 'tail-erin', '0.00');
    t.clock.set(minute(20));
    await ledger.transfer({
      idempotencyKey: 'carol-dep-1',
      kind: 'DEPOSIT',
      debitAccount: 'custody:cash',
      creditAccount: carol,
      amount: cny('10.00'),
    });
    await sealEverything(t);
    // Two transactions that take their ids in one order and their seqs in the other: the one with
    // the lower id (dave to erin) commits and is sealed; the other (a deposit to carol), still open
    // then, lands in the unsealed tail with a seq below the first seq of the block just sealed.
    const [low, high] = [new pg.Client(t.db.url), new pg.Client(t.db.url)];
    await Promise.all([low.connect(), high.connect()]);
    const insert = (c: pg.Client, from: string, to: string, amount: string, at: string) =>
      c.query(
        `INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, reference, created_at)
         SELECT gen_random_uuid(), 'ADJUSTMENT', 'POSTED', d.id, c.id, $1, 'CNY', 'interleaved', $2
           FROM ledger_accounts d, ledger_accounts c WHERE d.code = $3 AND c.code = $4
         RETURNING seq::text AS seq`,
        [amount, at, from, to],
      );
    try {
      await low.query('BEGIN');
      await low.query('SELECT txid_current()');
      await high.query('BEGIN');
      await high.query('SELECT txid_current()');
      const tailSeq = (await insert(high, 'custody:cash', carol, '2.00', minute(30))).rows[0]
        .seq as string;
      const sealedSeq = (await insert(low, dave, erin, '3.00', minute(31))).rows[0].seq as string;
      expect(BigInt(tailSeq)).toBeLessThan(BigInt(sealedSeq));
      await low.query('COMMIT');
      await t.app.get(SealerService).sealAll(); // up to the open one: the block holds `low` only
      await high.query('COMMIT');
    } finally {
      await Promise.all([low.end(), high.end()]);
    }
    const [block] = (
      await (
        await t.db.client()
      ).query(`SELECT first_seq::text AS first FROM ledger_blocks ORDER BY height DESC LIMIT 1`)
    ).rows as { first: string }[];
    expect(block.first).not.toBeNull();

    await settledRead(carol, 2);
    const pages = await walk(carol, { from: minute(25), limit: 1 });
    expect(pages[0].opening.balance).toBe('10.00');
    expect(pages.flatMap((p) => p.entries).map((e) => [e.amount, e.createdAt])).toEqual([
      ['2.00', minute(30)],
    ]);
    expect(pages.flatMap((p) => p.entries).at(-1)?.balance).toBe('12.00');
    t.clock.set(minute(10));
  });
});
