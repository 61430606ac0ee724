import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
import {
  acknowledgeCampaign,
  debtTerms,
  inDays,
  liveCampaign,
  pledge,
  readyInvestor,
  rewardTerms,
} from './support/pledging.js';
import { TEST_START, startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

/**
 * INV-9: an ordinary investor's rolling limit (CN public model: here the 20,000.00 floor, nothing
 * declared) counts live and SETTLED equity and debt pledges, never reward or donation pledges
 * (PLAT-09: not investments), over the pack's `limitWindowDays`.
 */
describe('what counts toward the rolling limit (INV-9)', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const t of apps) await t.close();
  });
  async function world(env: Record<string, string> = {}) {
    const t = await startTestApp(env);
    apps.push(t);
    const admin = await staffToken(t, 'ADMIN');
    const founder = await verifiedUser(t, 'FOUNDER');
    const debt = (over: object = {}) =>
      liveCampaign(t, founder, admin.token, debtTerms({ maxAmount: '90000.00', ...over }));
    return { t, admin, founder, debt };
  }
  const profile = async (t: TestApp, investor: TestUser) =>
    (
      await t.http
        .get('/api/v1/investors/me/profile')
        .set('authorization', `Bearer ${investor.token}`)
    ).body.limits as { annualLimit: string; usedLast12Months: string; remaining: string };

  it('PLAT-09: reward pledges do not use up the limit; equity and debt pledges do', async () => {
    const { t, admin, founder, debt } = await world();
    const reward = await liveCampaign(
      t,
      founder,
      admin.token,
      rewardTerms({ maxAmount: '50000.00' }),
    );
    const loan = await debt();
    const investor = await readyInvestor(t);
    for (const id of [reward, loan]) await acknowledgeCampaign(t, investor, id);
    expect((await pledge(t, investor, reward, { amount: '15000.00' })).status).toBe(201);
    expect(await profile(t, investor)).toMatchObject({
      annualLimit: '20000.00',
      usedLast12Months: '0.00',
    });
    expect((await pledge(t, investor, loan, { amount: '20000.00' })).status).toBe(201);
    const over = await pledge(t, investor, loan, { amount: '100.00' });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({
      code: 'PLEDGE.LIMIT_EXCEEDED',
      details: { annualLimit: '20000.00', usedLast12Months: '20000.00', remaining: '0.00' },
    });
    expect(await profile(t, investor)).toMatchObject({ usedLast12Months: '20000.00' });
  });

  it('a SETTLED debt pledge still counts', async () => {
    const { t, admin, debt } = await world();
    const settling = await debt({ targetAmount: '5000.00', deadline: inDays(2) });
    const later = await debt({ deadline: inDays(30) });
    const investor = await readyInvestor(t);
    for (const id of [settling, later]) await acknowledgeCampaign(t, investor, id);
    const placed = await pledge(t, investor, settling, { amount: '5000.00' });
    expect(placed.body.status).toBe('COOLING_OFF');
    const sweeps = t.app.get(SettlementService);
    try {
      t.clock.set(new Date(Date.parse(TEST_START) + 25 * 3_600_000)); // cooling-off over
      await sweeps.runOnce();
      const call = await t.http
        .post(`/api/v1/admin/pledges/${placed.body.id}/confirmation-call`)
        .set('authorization', `Bearer ${admin.token}`)
        .send({ outcome: 'CONFIRMED', notes: 'identity, own purchase, risks understood' });
      expect(call.body.status).toBe('ACTIVE');
      t.clock.set(inDays(2.5)); // past the deadline
      await sweeps.runOnce();
      const mine = await t.http
        .get(`/api/v1/pledges/${placed.body.id}`)
        .set('authorization', `Bearer ${investor.token}`);
      expect(mine.body.status).toBe('SETTLED');
      expect(await profile(t, investor)).toMatchObject({ usedLast12Months: '5000.00' });
      const over = await pledge(t, investor, later, { amount: '15100.00' });
      expect(over.body.error).toMatchObject({
        code: 'PLEDGE.LIMIT_EXCEEDED',
        details: { usedLast12Months: '5000.00', remaining: '15000.00' },
      });
      expect((await pledge(t, investor, later, { amount: '15000.00' })).status).toBe(201);
    } finally {
      t.clock.set(TEST_START);
    }
  });

  it('the window is the pack’s limitWindowDays: an older commitment stops counting', async () => {
    const { t, debt } = await world({
      RULE_PACK_OVERRIDES: JSON.stringify({ limitWindowDays: 10 }),
    });
    const loan = await debt({ deadline: inDays(30) });
    const investor = await readyInvestor(t);
    await acknowledgeCampaign(t, investor, loan);
    expect((await pledge(t, investor, loan, { amount: '20000.00' })).status).toBe(201);
    expect((await pledge(t, investor, loan, { amount: '100.00' })).status).toBe(422);
    t.clock.set(inDays(10.01));
    try {
      expect(await profile(t, investor)).toMatchObject({ usedLast12Months: '0.00' });
      const fresh = await pledge(t, investor, loan, { amount: '20000.00' }, randomUUID());
      expect(fresh.status).toBe(201);
    } finally {
      t.clock.set(TEST_START);
    }
  });
});
