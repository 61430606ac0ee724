import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
import {
  acknowledgeCampaign,
  debtTerms,
  liveCampaign,
  pledge,
  readyInvestor,
  rewardTerms,
} from './support/pledging.js';
import { TEST_START, startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

/**
 * PLAT-03: a BLOCKING credit record on a founder takes effect on their LIVE campaigns: each moves
 * to SUSPENDED (no pledges, 422 CAMPAIGN.NOT_OPEN) in the same transaction as the record; lifting
 * the record does not resume them; ADMIN resumes or cancels (every hold refunded).
 */
describe('a BLOCKING credit record suspends the founder’s LIVE campaigns (PLAT-03)', () => {
  let t: TestApp;
  let admin: { id: string; token: string };
  const as = (token: string) => ({
    post: (p: string, b: object = {}) =>
      t.http.post(`/api/v1${p}`).set('authorization', `Bearer ${token}`).send(b),
    get: (p: string) => t.http.get(`/api/v1${p}`).set('authorization', `Bearer ${token}`),
  });
  const block = (userId: string, over: object = {}) =>
    as(admin.token).post('/admin/credit-records', {
      userId,
      kind: 'FRAUD',
      severity: 'BLOCKING',
      source: 'PLATFORM',
      note: 'misrepresentation',
      ...over,
    });
  const status = async (founder: TestUser, id: string) =>
    (await as(founder.token).get(`/campaigns/${id}`)).body.status as string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await staffToken(t, 'ADMIN');
  });
  afterAll(async () => {
    await t.close();
  });

  it('suspends every LIVE campaign at once; pledges are refused; lifting does not resume; ADMIN resumes', async () => {
    const founder = await verifiedUser(t, 'FOUNDER');
    const debt = await liveCampaign(t, founder, admin.token, debtTerms());
    const reward = await liveCampaign(t, founder, admin.token, rewardTerms());
    const other = await liveCampaign(
      t,
      await verifiedUser(t, 'FOUNDER'),
      admin.token,
      rewardTerms(),
    );
    const investor = await readyInvestor(t);
    for (const id of [debt, reward, other]) await acknowledgeCampaign(t, investor, id);
    expect((await pledge(t, investor, reward, { amount: '50.00' })).status).toBe(201);

    const record = await block(founder.id);
    expect(record.status).toBe(201);
    expect(await status(founder, debt)).toBe('SUSPENDED');
    expect(await status(founder, reward)).toBe('SUSPENDED');
    expect(await status(founder, other)).toBe('LIVE'); // another founder's campaign
    const transitions = await as(founder.token).get(`/campaigns/${debt}/transitions`);
    expect(transitions.body.items.at(-1)).toMatchObject({
      from: 'LIVE',
      to: 'SUSPENDED',
      actorId: null,
      details: { creditRecordId: record.body.id, rules: ['PLAT-03'] },
    });

    const refused = await pledge(t, investor, reward, { amount: '50.00' });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({
      code: 'CAMPAIGN.NOT_OPEN',
      details: { status: 'SUSPENDED' },
    });
    // The held pledge stays held while suspended; the investor still sees the campaign.
    expect((await as(investor.token).get(`/campaigns/${reward}`)).body).toMatchObject({
      status: 'SUSPENDED',
      committed: '50.00',
    });

    const lifted = await as(admin.token).post(`/admin/credit-records/${record.body.id}/lift`, {
      reason: 'cleared',
    });
    expect(lifted.status).toBe(200);
    expect(await status(founder, reward)).toBe('SUSPENDED');
    await t.app.get(SettlementService).runOnce();
    expect(await status(founder, reward)).toBe('SUSPENDED');

    const resumed = await as(admin.token).post(`/admin/campaigns/${reward}/resume`, {
      reason: 'record lifted after review',
    });
    expect(resumed.status).toBe(200);
    expect(resumed.body.status).toBe('LIVE');
    expect((await pledge(t, investor, reward, { amount: '50.00' })).status).toBe(201);
    // Resuming a LIVE campaign is a state conflict.
    expect((await as(admin.token).post(`/admin/campaigns/${reward}/resume`)).body.error.code).toBe(
      'CAMPAIGN.INVALID_STATE',
    );
    // Only ADMIN resumes.
    expect((await as(founder.token).post(`/admin/campaigns/${debt}/resume`)).status).toBe(403);
  });

  it('ADMIN cancels a SUSPENDED campaign and every hold is refunded', async () => {
    const founder = await verifiedUser(t, 'FOUNDER');
    const id = await liveCampaign(t, founder, admin.token, rewardTerms());
    const investor = await readyInvestor(t, { deposit: '500.00' });
    await acknowledgeCampaign(t, investor, id);
    expect((await pledge(t, investor, id, { amount: '120.00' })).status).toBe(201);
    await block(founder.id);
    expect(await status(founder, id)).toBe('SUSPENDED');
    // The founder cannot cancel it away from under the investors.
    expect(
      (await as(founder.token).post(`/campaigns/${id}/cancel`, { reason: 'x' })).body.error.code,
    ).toBe('CAMPAIGN.HAS_PLEDGES');
    const cancelled = await as(admin.token).post(`/admin/campaigns/${id}/cancel`, {
      reason: 'founder barred',
    });
    expect(cancelled.body.status).toBe('CANCELLED');
    await t.app.get(SettlementService).runOnce();
    expect((await as(investor.token).get('/wallet')).body).toEqual({
      available: '500.00',
      held: '0.00',
      currency: 'CNY',
    });
  });

  it('a record that comes into force later suspends at the first sweep after; a WARNING never does', async () => {
    const founder = await verifiedUser(t, 'FOUNDER');
    const id = await liveCampaign(t, founder, admin.token, rewardTerms());
    await block(founder.id, { severity: 'WARNING' });
    expect(await status(founder, id)).toBe('LIVE');
    const later = new Date(Date.parse(TEST_START) + 3_600_000).toISOString();
    await block(founder.id, { effectiveFrom: later });
    expect(await status(founder, id)).toBe('LIVE');
    const sweeps = t.app.get(SettlementService);
    expect((await sweeps.runOnce()).suspended).toBe(0);
    t.clock.set(later);
    try {
      expect((await sweeps.runOnce()).suspended).toBe(1);
      expect(await status(founder, id)).toBe('SUSPENDED');
      expect((await sweeps.runOnce()).suspended).toBe(0);
    } finally {
      t.clock.set(TEST_START);
    }
  });
});
