import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
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

const DEADLINE = inDays(30);
const hoursBeforeDeadline = (h: number) =>
  new Date(Date.parse(DEADLINE) - h * 3_600_000).toISOString();

/**
 * The US_REGCF pack (rules-spec §10): no cooling-off and no confirmation call; an investor may
 * cancel any commitment until 48 hours before the deadline (US-CF-12) and, whatever the time,
 * while a reconfirmation after a material change is pending (US-CF-14).
 */
describe('US_REGCF: cancellation until 48 h before the deadline (US-CF-12, US-CF-14)', () => {
  let t: TestApp;
  let admin: { id: string; token: string };
  let founder: TestUser;
  let campaign: string;
  const cancel = (investor: TestUser, id: string) =>
    t.http
      .post(`/api/v1/pledges/${id}/cancel`)
      .set('authorization', `Bearer ${investor.token}`)
      .set('idempotency-key', randomUUID());

  beforeAll(async () => {
    t = await startTestApp({ RULE_PACK: 'US_REGCF' });
    admin = await staffToken(t, 'ADMIN');
    founder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    campaign = await liveCampaign(
      t,
      founder,
      admin.token,
      debtTerms({ riskRating: 'R3', deadline: DEADLINE }),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('a pledge is ACTIVE at once (no cooling-off, no call) and may be cancelled until 48 h before the deadline', async () => {
    const investor = await readyInvestor(t);
    await acknowledgeCampaign(t, investor, campaign);
    const placed = await pledge(t, investor, campaign, { amount: '100.00' });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({
      status: 'ACTIVE',
      currency: 'USD',
      coolingOffEndsAt: null,
      confirmationRequired: false,
    });
    const cancelled = await cancel(investor, placed.body.id);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');

    const again = await pledge(t, investor, campaign, { amount: '100.00' });
    t.clock.set(hoursBeforeDeadline(48.5));
    try {
      expect((await cancel(investor, again.body.id)).status).toBe(200);
    } finally {
      t.clock.set(TEST_START);
    }
  });

  it('inside the last 48 hours an ACTIVE pledge cannot be cancelled', async () => {
    const investor = await readyInvestor(t);
    await acknowledgeCampaign(t, investor, campaign);
    const placed = await pledge(t, investor, campaign, { amount: '100.00' });
    t.clock.set(hoursBeforeDeadline(47.5));
    try {
      const refused = await cancel(investor, placed.body.id);
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({
        code: 'PLEDGE.NOT_CANCELLABLE',
        details: { status: 'ACTIVE' },
      });
    } finally {
      t.clock.set(TEST_START);
    }
  });

  it('US-CF-14: while a reconfirmation is pending it may be cancelled even inside the last 48 hours', async () => {
    const investor = await readyInvestor(t);
    await acknowledgeCampaign(t, investor, campaign);
    const placed = await pledge(t, investor, campaign, { amount: '100.00' });
    t.clock.set(hoursBeforeDeadline(47.5));
    try {
      const changed = await t.http
        .post(`/api/v1/campaigns/${campaign}/disclosures`)
        .set('authorization', `Bearer ${founder.token}`)
        .send({ title: 'Plan v2', body: 'The use of funds changed.', material: true });
      expect(changed.status).toBe(201);
      await t.app.get(SettlementService).runOnce(); // applies the change if the event has not yet
      const mine = await t.http
        .get(`/api/v1/pledges/${placed.body.id}`)
        .set('authorization', `Bearer ${investor.token}`);
      expect(mine.body.status).toBe('AWAITING_RECONFIRMATION');
      const cancelled = await cancel(investor, placed.body.id);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('CANCELLED');
    } finally {
      t.clock.set(TEST_START);
    }
  });

  it('no confirmation call exists in this pack: a call is refused as not awaited', async () => {
    const investor = await readyInvestor(t);
    await acknowledgeCampaign(t, investor, campaign);
    const placed = await pledge(t, investor, campaign, { amount: '100.00' });
    const call = await t.http
      .post(`/api/v1/admin/pledges/${placed.body.id}/confirmation-call`)
      .set('authorization', `Bearer ${admin.token}`)
      .send({ outcome: 'CONFIRMED', notes: 'n/a' });
    expect(call.status).toBe(422);
    expect(call.body.error.code).toBe('PLEDGE.NOT_AWAITING_CONFIRMATION');
  });
});
