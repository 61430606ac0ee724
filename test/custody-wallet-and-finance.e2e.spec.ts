import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sealEverything } from './support/ledger.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { registerAndLogin, type TestUser, staffToken } from './support/users.js';

describe('custody notifications, wallet and withdrawals over HTTP (DESIGN §4, §7)', () => {
  let t: TestApp;
  let investor: TestUser;
  let finance: string;
  const secret = () => t.config.ledger.custodyWebhookSecret;

  const notify = (body: Record<string, unknown>, signature?: string) => {
    const raw = JSON.stringify(body);
    const sig = signature ?? `sha256=${createHmac('sha256', secret()).update(raw).digest('hex')}`;
    return t.http
      .post('/api/v1/custody/notifications')
      .set('content-type', 'application/json')
      .set('x-custody-signature', sig)
      .send(raw);
  };
  const deposit = (userId: string, amount: string, bankReference = `dep-${randomUUID()}`) => ({
    type: 'DEPOSIT',
    bankReference,
    userId,
    amount,
    currency: 'CNY',
    occurredAt: '2026-11-28T01:00:00Z',
  });
  const wallet = async (u: TestUser) =>
    (await t.http.get('/api/v1/wallet').set('authorization', `Bearer ${u.token}`)).body as Record<
      string,
      string
    >;
  const withdraw = (u: TestUser, amount: unknown, key?: string) => {
    const req = t.http.post('/api/v1/wallet/withdrawals').set('authorization', `Bearer ${u.token}`);
    return (key ? req.set('idempotency-key', key) : req).send({ amount });
  };
  const transferCount = async () =>
    Number(
      (
        await (
          await t.db.client()
        ).query<{ n: string }>('SELECT count(*)::text AS n FROM ledger_transfers')
      ).rows[0].n,
    );

  beforeAll(async () => {
    t = await startTestApp();
    investor = await registerAndLogin(t);
    finance = (await staffToken(t, 'FINANCE')).token; // issue 13: staff sign in with TOTP
  });
  afterAll(async () => {
    await t.close();
  });

  it('a missing or wrong signature is 401 CUSTODY.BAD_SIGNATURE and writes nothing', async () => {
    const before = await transferCount();
    const body = deposit(investor.id, '100.00');
    const unsigned = await t.http.post('/api/v1/custody/notifications').send(body);
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error.code).toBe('CUSTODY.BAD_SIGNATURE');
    const wrongKey = `sha256=${createHmac('sha256', 'not-the-secret').update(JSON.stringify(body)).digest('hex')}`;
    expect((await notify(body, wrongKey)).status).toBe(401);
    expect((await notify(body, 'sha256=zz')).status).toBe(401);
    // Signed body, then altered in flight: the amount changed, the signature did not.
    const raw = JSON.stringify(body);
    const sig = `sha256=${createHmac('sha256', secret()).update(raw).digest('hex')}`;
    const tampered = await t.http
      .post('/api/v1/custody/notifications')
      .set('content-type', 'application/json')
      .set('x-custody-signature', sig)
      .send(raw.replace('100.00', '900.00'));
    expect(tampered.status).toBe(401);
    expect(await transferCount()).toBe(before);
  });

  it('a deposit credits the wallet; a replayed bankReference credits once', async () => {
    const body = deposit(investor.id, '1000.00', 'bank-ref-001');
    const first = await notify(body);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      bankReference: 'bank-ref-001',
      transferStatus: 'POSTED',
      replayed: false,
    });
    const again = await notify(body);
    expect(again.body).toMatchObject({ transferId: first.body.transferId, replayed: true });
    expect(await wallet(investor)).toEqual({ available: '1000.00', held: '0.00', currency: 'CNY' });
  });

  it('concurrent deliveries of one notice credit once; the same reference with other content is 409', async () => {
    const u = await registerAndLogin(t);
    const body = deposit(u.id, '50.00', `burst-${randomUUID()}`);
    const results = await Promise.all(Array.from({ length: 8 }, () => notify(body)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(new Set(results.map((r) => r.body.transferId)).size).toBe(1);
    expect((await wallet(u)).available).toBe('50.00');
    const reused = await notify({ ...body, amount: '60.00' });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('IDEMPOTENCY.KEY_REUSED');
  });

  it('bad notices are refused with a clear code: unknown user, wrong currency, JSON number amount', async () => {
    const unknown = await notify(deposit(randomUUID(), '5.00'));
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('CUSTODY.UNKNOWN_USER');
    const usd = await notify({ ...deposit(investor.id, '5.00'), currency: 'USD' });
    expect(usd.status).toBe(422);
    expect(usd.body.error.code).toBe('CUSTODY.CURRENCY_MISMATCH');
    const numeric = await notify({ ...deposit(investor.id, '5.00'), amount: 5 });
    expect(numeric.status).toBe(400);
    expect(numeric.body.error.details.fields[0].field).toBe('amount');
  });

  it('a withdrawal needs an Idempotency-Key, holds the money, and settles when the bank confirms', async () => {
    const u = await registerAndLogin(t);
    await notify(deposit(u.id, '300.00'));
    expect((await withdraw(u, '100.00')).status).toBe(400); // no key
    const w = await withdraw(u, '100.00', 'wd-1');
    expect(w.status).toBe(201);
    expect(w.body).toMatchObject({ status: 'PENDING', amount: '100.00', currency: 'CNY' });
    expect(await wallet(u)).toEqual({ available: '200.00', held: '100.00', currency: 'CNY' });

    const replay = await withdraw(u, '100.00', 'wd-1');
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(w.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const reuse = await withdraw(u, '120.00', 'wd-1');
    expect(reuse.status).toBe(409);
    expect(reuse.body.error.code).toBe('IDEMPOTENCY.KEY_REUSED');
    expect((await wallet(u)).held).toBe('100.00');

    const settled = await notify({
      type: 'WITHDRAWAL_SETTLED',
      bankReference: `wd-settle-${randomUUID()}`,
      transferId: w.body.id,
      amount: '100.00',
      currency: 'CNY',
      occurredAt: '2026-11-28T03:00:00Z',
    });
    expect(settled.status).toBe(200);
    expect(settled.body.transferStatus).toBe('POST');
    expect(await wallet(u)).toEqual({ available: '200.00', held: '0.00', currency: 'CNY' });

    const second = await notify({
      type: 'WITHDRAWAL_FAILED',
      bankReference: `wd-fail-${randomUUID()}`,
      transferId: w.body.id,
      amount: '100.00',
      currency: 'CNY',
      occurredAt: '2026-11-28T03:00:00Z',
    });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('LEDGER.ALREADY_RESOLVED');
  });

  it('a failed withdrawal returns the money; a notice that does not match the hold is refused', async () => {
    const u = await registerAndLogin(t);
    await notify(deposit(u.id, '80.00'));
    const w = await withdraw(u, '80.00', 'wd-2');
    const mismatch = await notify({
      type: 'WITHDRAWAL_SETTLED',
      bankReference: `m-${randomUUID()}`,
      transferId: w.body.id,
      amount: '79.00',
      currency: 'CNY',
      occurredAt: '2026-11-28T03:00:00Z',
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.error.code).toBe('CUSTODY.MISMATCH');
    const failed = await notify({
      type: 'WITHDRAWAL_FAILED',
      bankReference: `f-${randomUUID()}`,
      transferId: w.body.id,
      amount: '80.00',
      currency: 'CNY',
      occurredAt: '2026-11-28T03:00:00Z',
    });
    expect(failed.body.transferStatus).toBe('VOID');
    expect(await wallet(u)).toEqual({ available: '80.00', held: '0.00', currency: 'CNY' });
  });

  it('an overdrawn withdrawal is 422 LEDGER.INSUFFICIENT_FUNDS, remembered and replayed as such', async () => {
    const u = await registerAndLogin(t);
    await notify(deposit(u.id, '10.00'));
    const first = await withdraw(u, '10.01', 'wd-over');
    expect(first.status).toBe(422);
    expect(first.body.error.code).toBe('LEDGER.INSUFFICIENT_FUNDS');
    await notify(deposit(u.id, '100.00')); // now it would fit
    const replay = await withdraw(u, '10.01', 'wd-over');
    expect(replay.status).toBe(422);
    expect(replay.body.error.code).toBe('LEDGER.INSUFFICIENT_FUNDS');
    expect(await wallet(u)).toEqual({ available: '110.00', held: '0.00', currency: 'CNY' });
  });

  it('concurrent withdrawals never overdraw, and concurrent duplicates apply once', async () => {
    const u = await registerAndLogin(t);
    await notify(deposit(u.id, '100.00'));
    const distinct = await Promise.all(
      Array.from({ length: 10 }, (_, i) => withdraw(u, '15.00', `par-${i}`)),
    );
    expect(distinct.filter((r) => r.status === 201)).toHaveLength(6); // 6 x 15 = 90 <= 100 < 105
    expect(distinct.filter((r) => r.status === 422)).toHaveLength(4);
    const dupes = await Promise.all(
      Array.from({ length: 6 }, () => withdraw(u, '10.00', 'same-key')),
    );
    expect(dupes.every((r) => r.status === 201)).toBe(true);
    expect(new Set(dupes.map((r) => r.body.id)).size).toBe(1);
    expect(await wallet(u)).toEqual({ available: '0.00', held: '100.00', currency: 'CNY' });
  });

  it('finance sees a balanced trial balance, a clean verification and the seals; others get 403', async () => {
    await sealEverything(t);
    const tb = await t.http
      .get('/api/v1/finance/trial-balance')
      .set('authorization', `Bearer ${finance}`);
    expect(tb.status).toBe(200);
    expect(tb.body.balanced).toBe(true);
    expect(tb.body.totals.debitsPosted).toBe(tb.body.totals.creditsPosted);
    const custody = tb.body.accounts.find((a: { code: string }) => a.code === 'custody:cash');
    expect(custody.kind).toBe('ASSET');

    const verify = await t.http
      .get('/api/v1/finance/verify')
      .set('authorization', `Bearer ${finance}`);
    expect(verify.body).toMatchObject({ ok: true, problems: [] });
    expect(verify.body.transfersChecked).toBeGreaterThan(10);

    const seals = await t.http
      .get('/api/v1/finance/seals?limit=2')
      .set('authorization', `Bearer ${finance}`);
    expect(seals.status).toBe(200);
    expect(seals.body.blocks[0]).toMatchObject({ height: '1', prevHash: '0'.repeat(64) });
    const bad = await t.http
      .get('/api/v1/finance/seals?limit=abc')
      .set('authorization', `Bearer ${finance}`);
    expect(bad.status).toBe(400);

    for (const path of ['trial-balance', 'verify', 'seals']) {
      const res = await t.http
        .get(`/api/v1/finance/${path}`)
        .set('authorization', `Bearer ${investor.token}`);
      expect(res.status).toBe(403);
    }
    expect((await t.http.get('/api/v1/finance/verify')).status).toBe(401);
  });
});
