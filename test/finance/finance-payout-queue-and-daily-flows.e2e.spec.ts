import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SettlementService } from '../../src/modules/settlement/settlement.service.js';
import {
  acknowledgeCampaign,
  inDays,
  liveCampaign,
  pledge,
  readyInvestor,
  rewardTerms,
} from '../support/pledging.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from '../support/users.js';

/**
 * The two reads the console adds for the finance office (issue 17): the payout approval queue
 * (GET /finance/payouts) and the daily flows behind its 90-day chart (GET /finance/daily-flows).
 */
describe('finance: the payout queue and the daily flows (issue 17)', () => {
  let t: TestApp;
  let admin: { id: string; token: string };
  let finance: { id: string; token: string };
  let founder: TestUser;
  let payoutId: string;
  const get = (path: string, token: string) =>
    t.http.get(`/api/v1${path}`).set('authorization', `Bearer ${token}`);

  beforeAll(async () => {
    t = await startTestApp();
    admin = await staffToken(t, 'ADMIN');
    finance = await staffToken(t, 'FINANCE');
    founder = await verifiedUser(t, 'FOUNDER');
    // 2026-11-28 (Shanghai): a 200.00 deposit and a 200.00 pledge; settled 10 days later.
    const id = await liveCampaign(t, founder, admin.token, rewardTerms({ targetAmount: '100.00' }));
    const inv = await readyInvestor(t, { deposit: '200.00' });
    await acknowledgeCampaign(t, inv, id);
    expect((await pledge(t, inv, id, { amount: '200.00' })).status).toBe(201);
    t.clock.set(inDays(10.01)); // 2026-12-08T02:14Z, 10:14 in Shanghai
    await t.app.get(SettlementService).runOnce();
    const requested = await t.http
      .post('/api/v1/payouts')
      .set('authorization', `Bearer ${founder.token}`)
      .set('idempotency-key', 'queue-1')
      .send({ campaignId: id });
    expect(requested.status).toBe(201);
    payoutId = requested.body.id as string;
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists REQUESTED payouts to FINANCE only; a decided one moves to its own list', async () => {
    const queue = await get('/finance/payouts', finance.token);
    expect(queue.status).toBe(200);
    expect(queue.body.items).toEqual([
      expect.objectContaining({
        id: payoutId,
        status: 'REQUESTED',
        amount: '152.00', // the net 190.00 less the reward holdback, 20% (RW-03)
        founderId: founder.id,
      }),
    ]);
    expect((await get('/finance/payouts', founder.token)).status).toBe(403);
    expect((await get('/finance/payouts', admin.token)).status).toBe(403);
    const bad = await get('/finance/payouts?status=PAID', finance.token);
    expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);

    const approved = await t.http
      .post(`/api/v1/finance/payouts/${payoutId}/approve`)
      .set('authorization', `Bearer ${finance.token}`);
    expect(approved.status).toBe(200);
    expect((await get('/finance/payouts', finance.token)).body.items).toEqual([]);
    const decided = await get('/finance/payouts?status=APPROVED', finance.token);
    expect(decided.body.items.map((p: { id: string }) => p.id)).toEqual([payoutId]);
    expect((await get('/finance/payouts?status=REJECTED', finance.token)).body.items).toEqual([]);
  });

  it('sums each day (Asia/Shanghai) by kind, every day present, quiet days at 0.00', async () => {
    const res = await get('/finance/daily-flows?days=11', finance.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      timeZone: 'Asia/Shanghai',
      currency: 'CNY',
      from: '2026-11-27T16:00:00.000Z', // midnight of 2026-11-28 in Shanghai
    });
    const days = res.body.days as Record<string, string>[];
    expect(days.map((d) => d.day)).toEqual([
      '2026-11-28',
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
      '2026-12-07',
      '2026-12-08',
    ]);
    expect(days[0]).toEqual({
      day: '2026-11-28',
      deposits: '200.00',
      pledges: '200.00',
      settlements: '0.00',
      payouts: '0.00',
    });
    expect(days[1]).toEqual({
      day: '2026-11-29',
      deposits: '0.00',
      pledges: '0.00',
      settlements: '0.00',
      payouts: '0.00',
    });
    // Settled: 190.00 net to the founder (the 10.00 fee is not a settlement, nor is moving 38.00 of
    // it into the reward holdback, RW-03); approved: the payout of 152.00.
    expect(days[10]).toEqual({
      day: '2026-12-08',
      deposits: '0.00',
      pledges: '0.00',
      settlements: '190.00',
      payouts: '152.00',
    });
    const defaults = await get('/finance/daily-flows', finance.token);
    expect(defaults.body.days).toHaveLength(90);
  });

  it('refuses a bad window and other roles', async () => {
    for (const days of ['0', '367', '1.5', 'x']) {
      const res = await get(`/finance/daily-flows?days=${days}`, finance.token);
      expect([days, res.status, res.body.error.code]).toEqual([days, 400, 'VALIDATION_FAILED']);
    }
    expect((await get('/finance/daily-flows', admin.token)).status).toBe(403);
  });
});
