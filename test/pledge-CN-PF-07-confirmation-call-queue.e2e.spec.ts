import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  acknowledgeCampaign,
  debtTerms,
  inDays,
  liveCampaign,
  pledge,
  readyInvestor,
} from './support/pledging.js';
import { TEST_START, startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

/**
 * ADMIN's confirmation-call queue (CN-PF-07, issue 17's console): every pledge that still needs
 * its call, callable from the end of cooling-off and due by the end of the call window, with the
 * last call made; a CONFIRMED call takes it off the queue.
 */
describe('the confirmation-call queue (CN-PF-07)', () => {
  let t: TestApp;
  let admin: { id: string; token: string };
  let founder: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await staffToken(t, 'ADMIN');
    founder = await verifiedUser(t, 'FOUNDER');
  });
  afterAll(async () => {
    t.clock.set(TEST_START);
    await t.close();
  });
  const queue = (token = admin.token) =>
    t.http.get('/api/v1/admin/confirmation-calls').set('authorization', `Bearer ${token}`);
  const call = (id: string, outcome: string) =>
    t.http
      .post(`/api/v1/admin/pledges/${id}/confirmation-call`)
      .set('authorization', `Bearer ${admin.token}`)
      .send({ outcome, notes: 'called the number on file' });

  it('lists the pledge from its placing, with when it may be called and when it lapses', async () => {
    const id = await liveCampaign(
      t,
      founder,
      admin.token,
      debtTerms({ targetAmount: '500.00', deadline: inDays(5) }),
    );
    const inv = await readyInvestor(t, { deposit: '600.00' });
    await acknowledgeCampaign(t, inv, id);
    const placed = await pledge(t, inv, id, { amount: '600.00' });
    expect(placed.status).toBe(201);
    const coolingOffEndsAt = placed.body.coolingOffEndsAt as string;
    const hours = 72; // the CN pack's confirmationCallTimeoutHours

    const listed = await queue();
    expect(listed.status).toBe(200);
    expect(listed.body.nextCursor).toBeNull();
    expect(listed.body.items).toEqual([
      {
        pledgeId: placed.body.id,
        campaignId: id,
        investorId: inv.id,
        amount: '600.00',
        currency: 'CNY',
        status: 'COOLING_OFF',
        callableFrom: coolingOffEndsAt,
        dueBy: new Date(Date.parse(coolingOffEndsAt) + hours * 3_600_000).toISOString(),
        lastCall: null,
      },
    ]);

    t.clock.advanceHours(24);
    expect((await call(placed.body.id, 'UNREACHABLE')).status).toBe(200);
    const after = (await queue()).body.items;
    expect(after).toEqual([
      expect.objectContaining({
        pledgeId: placed.body.id,
        status: 'AWAITING_CONFIRMATION',
        lastCall: { outcome: 'UNREACHABLE', calledAt: t.clock.now().toISOString() },
      }),
    ]);

    expect((await call(placed.body.id, 'CONFIRMED')).status).toBe(200);
    expect((await queue()).body.items).toEqual([]);
  });

  it('is for ADMIN only', async () => {
    const finance = await staffToken(t, 'FINANCE');
    expect((await queue(finance.token)).status).toBe(403);
    expect((await queue(founder.token)).status).toBe(403);
    expect((await t.http.get('/api/v1/admin/confirmation-calls')).status).toBe(401);
  });
});
