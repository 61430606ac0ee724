import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LedgerService } from '../../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../../src/modules/escrow-ledger/ledger.types.js';
import { cny, counters, fundedAccount } from '../support/ledger.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('two-phase transfers through LedgerService (DESIGN §4)', () => {
  let t: TestApp;
  let ledger: LedgerService;
  const escrow = AccountCodes.campaignEscrow('camp-2p');
  beforeAll(async () => {
    t = await startTestApp();
    ledger = t.app.get(LedgerService);
    await ledger.openAccount(escrow, 'LIABILITY');
  });
  afterAll(async () => {
    await t.close();
  });

  it('hold moves pending counters; post makes them posted; void releases them', async () => {
    const bob = await fundedAccount(t, 'bob', '500.00');
    const h1 = await ledger.hold({
      idempotencyKey: 'b-h1',
      kind: 'PLEDGE',
      debitAccount: bob,
      creditAccount: escrow,
      amount: cny('200.00'),
    });
    const h2 = await ledger.hold({
      idempotencyKey: 'b-h2',
      kind: 'PLEDGE',
      debitAccount: bob,
      creditAccount: escrow,
      amount: cny('100.00'),
    });
    expect(h1.status).toBe('PENDING');
    expect(await counters(t, bob)).toEqual({
      debits_posted: '0.00',
      credits_posted: '500.00',
      debits_pending: '300.00',
      credits_pending: '0.00',
    });
    const posted = await ledger.post({ pendingId: h1.id });
    expect(posted).toMatchObject({ status: 'POST', pendingId: h1.id, amount: '200.00' });
    const voided = await ledger.void({ pendingId: h2.id });
    expect(voided.status).toBe('VOID');
    expect(await counters(t, bob)).toEqual({
      debits_posted: '200.00',
      credits_posted: '500.00',
      debits_pending: '0.00',
      credits_pending: '0.00',
    });
    expect(await counters(t, escrow)).toMatchObject({
      credits_posted: '200.00',
      credits_pending: '0.00',
    });
  });

  it('a hold that does not fit is LEDGER.INSUFFICIENT_FUNDS and changes nothing', async () => {
    const carol = await fundedAccount(t, 'carol', '50.00');
    await expect(
      ledger.hold({
        idempotencyKey: 'c-h1',
        kind: 'PLEDGE',
        debitAccount: carol,
        creditAccount: escrow,
        amount: cny('50.01'),
      }),
    ).rejects.toMatchObject({ code: 'LEDGER.INSUFFICIENT_FUNDS' });
    expect(await counters(t, carol)).toMatchObject({
      debits_pending: '0.00',
      credits_posted: '50.00',
    });
  });

  it('INV-10: the same key replays the same transfer and moves the money once', async () => {
    const dave = await fundedAccount(t, 'dave', '100.00');
    const request = {
      idempotencyKey: 'd-h1',
      kind: 'PLEDGE' as const,
      debitAccount: dave,
      creditAccount: escrow,
      amount: cny('40.00'),
    };
    const first = await ledger.hold(request);
    const again = await ledger.hold(request);
    expect(again.id).toBe(first.id);
    expect(again.seq).toBe(first.seq);
    expect((await counters(t, dave)).debits_pending).toBe('40.00');
  });

  it('INV-10: the same key with a different request is IDEMPOTENCY.KEY_REUSED', async () => {
    const erin = await fundedAccount(t, 'erin', '100.00');
    await ledger.hold({
      idempotencyKey: 'e-h1',
      kind: 'PLEDGE',
      debitAccount: erin,
      creditAccount: escrow,
      amount: cny('10.00'),
    });
    await expect(
      ledger.hold({
        idempotencyKey: 'e-h1',
        kind: 'PLEDGE',
        debitAccount: erin,
        creditAccount: escrow,
        amount: cny('11.00'),
      }),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY.KEY_REUSED' });
    expect((await counters(t, erin)).debits_pending).toBe('10.00');
  });

  it('INV-10: 12 concurrent requests with one key make exactly one transfer', async () => {
    const fay = await fundedAccount(t, 'fay', '100.00');
    const request = {
      idempotencyKey: 'f-h1',
      kind: 'PLEDGE' as const,
      debitAccount: fay,
      creditAccount: escrow,
      amount: cny('25.00'),
    };
    const results = await Promise.all(Array.from({ length: 12 }, () => ledger.hold(request)));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect((await counters(t, fay)).debits_pending).toBe('25.00');
  });

  it('INV-6: re-posting with the default key replays; a second resolution is LEDGER.ALREADY_RESOLVED', async () => {
    const gus = await fundedAccount(t, 'gus', '100.00');
    const hold = await ledger.hold({
      idempotencyKey: 'g-h1',
      kind: 'PLEDGE',
      debitAccount: gus,
      creditAccount: escrow,
      amount: cny('60.00'),
    });
    const post = await ledger.post({ pendingId: hold.id });
    expect((await ledger.post({ pendingId: hold.id })).id).toBe(post.id);
    await expect(ledger.void({ pendingId: hold.id })).rejects.toMatchObject({
      code: 'LEDGER.ALREADY_RESOLVED',
    });
    await expect(
      ledger.post({ pendingId: hold.id, idempotencyKey: 'other' }),
    ).rejects.toMatchObject({
      code: 'LEDGER.ALREADY_RESOLVED',
    });
    const racing = await ledger.hold({
      idempotencyKey: 'g-h2',
      kind: 'PLEDGE',
      debitAccount: gus,
      creditAccount: escrow,
      amount: cny('5.00'),
    });
    const outcomes = await Promise.allSettled([
      ledger.post({ pendingId: racing.id }),
      ledger.void({ pendingId: racing.id }),
      ledger.post({ pendingId: racing.id, idempotencyKey: 'x' }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect((await counters(t, gus)).debits_pending).toBe('0.00');
  });

  it('posting a transfer that is not a hold is LEDGER.NOT_PENDING', async () => {
    const deposit = await ledger.transfer({
      idempotencyKey: 'np-dep',
      kind: 'DEPOSIT',
      debitAccount: AccountCodes.custodyCash,
      creditAccount: await fundedAccount(t, 'hal', '0.00'),
      amount: cny('1.00'),
    });
    await expect(ledger.post({ pendingId: deposit.id })).rejects.toMatchObject({
      code: 'LEDGER.NOT_PENDING',
    });
  });

  it('batch: 3,000 holds are posted in one call, and escrow equals their sum', async () => {
    const investors = await Promise.all(
      Array.from({ length: 30 }, (_, i) => fundedAccount(t, `batch-${i}`, '1000.00')),
    );
    const batchEscrow = AccountCodes.campaignEscrow('camp-batch');
    await ledger.openAccount(batchEscrow, 'LIABILITY');
    const holds = [];
    for (let round = 0; round < 100; round++) {
      holds.push(
        ...(await Promise.all(
          investors.map((code, i) =>
            ledger.hold({
              idempotencyKey: `bh-${round}-${i}`,
              kind: 'PLEDGE',
              debitAccount: code,
              creditAccount: batchEscrow,
              amount: cny('3.33'),
            }),
          ),
        )),
      );
    }
    const started = Date.now();
    const posts = await ledger.postMany(holds.map((h) => h.id));
    const tookMs = Date.now() - started;
    expect(posts).toHaveLength(3000);
    expect(await counters(t, batchEscrow)).toEqual({
      debits_posted: '0.00',
      credits_posted: '9990.00',
      debits_pending: '0.00',
      credits_pending: '0.00',
    });
    expect((await ledger.postMany(holds.map((h) => h.id))).map((p) => p.id)).toEqual(
      posts.map((p) => p.id),
    ); // replay
    expect(tookMs).toBeLessThan(10_000);
  });
});
