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

describe('confirmation calls and evidence (CN-PF-07, CN-PF-08, CN-SUIT-16)', () => {
  let t: TestApp;
  let admin: { id: string; token: string };
  let founder: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await staffToken(t, 'ADMIN');
    founder = await verifiedUser(t, 'FOUNDER');
  });
  afterAll(async () => {
    await t.close();
  });
  const call = (id: string, body: object, token = admin.token) =>
    t.http
      .post(`/api/v1/admin/pledges/${id}/confirmation-call`)
      .set('authorization', `Bearer ${token}`)
      .send(body);

  it('a call during cooling-off is refused; after it, CONFIRMED makes the pledge ACTIVE and settles', async () => {
    const id = await liveCampaign(
      t,
      founder,
      admin.token,
      debtTerms({ targetAmount: '500.00', deadline: inDays(5) }),
    );
    const inv = await readyInvestor(t, { deposit: '600.00' });
    await acknowledgeCampaign(t, inv, id);
    const placed = await pledge(t, inv, id, { amount: '600.00' });
    const early = await call(placed.body.id, { outcome: 'CONFIRMED', notes: 'confirmed identity' });
    expect(early.status).toBe(422);
    expect(early.body.error.code).toBe('PLEDGE.CALL_TOO_EARLY');
    expect(
      (await call(placed.body.id, { outcome: 'CONFIRMED', notes: 'x' }, inv.token)).status,
    ).toBe(403);

    t.clock.advanceHours(24);
    try {
      const confirmed = await call(placed.body.id, {
        outcome: 'CONFIRMED',
        notes: 'identity, own purchase, risks understood',
      });
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.status).toBe('ACTIVE');
      const again = await call(placed.body.id, { outcome: 'RESCINDED', notes: 'late' });
      expect(again.body.error.code).toBe('PLEDGE.NOT_AWAITING_CONFIRMATION');

      const finance = await staffToken(t, 'FINANCE');
      const evidence = await t.http
        .get(`/api/v1/admin/pledges/${placed.body.id}/evidence`)
        .set('authorization', `Bearer ${finance.token}`);
      expect(evidence.status).toBe(200);
      expect(evidence.body.decision).toMatchObject({
        rulePack: 'CN@2026.1',
        suitability: 'MATCH',
        riskLevel: 'C5',
        productRisk: 'R3',
      });
      expect(evidence.body.decision.platformAcknowledgementId).toBeTruthy();
      expect(evidence.body.confirmationCalls).toEqual([
        expect.objectContaining({ outcome: 'CONFIRMED', adminId: admin.id }),
      ]);
      expect(
        (
          await t.http
            .get(`/api/v1/admin/pledges/${placed.body.id}/evidence`)
            .set('authorization', `Bearer ${inv.token}`)
        ).status,
      ).toBe(403);

      t.clock.set(inDays(5.01));
      expect(await t.app.get(SettlementService).runOnce()).toMatchObject({ closed: 1, settled: 1 });
    } finally {
      t.clock.set(TEST_START);
    }
  });

  it('CN-PF-08: RESCINDED on the call cancels with a full refund', async () => {
    const id = await liveCampaign(t, founder, admin.token, debtTerms());
    const inv = await readyInvestor(t, { deposit: '250.00' });
    await acknowledgeCampaign(t, inv, id);
    const placed = await pledge(t, inv, id, { amount: '250.00' });
    t.clock.advanceHours(25);
    try {
      const rescinded = await call(placed.body.id, {
        outcome: 'RESCINDED',
        notes: 'investor changed their mind',
      });
      expect(rescinded.body).toMatchObject({ status: 'CANCELLED' });
      const wallet = await t.http.get('/api/v1/wallet').set('authorization', `Bearer ${inv.token}`);
      expect(wallet.body).toEqual({ available: '250.00', held: '0.00', currency: 'CNY' });
    } finally {
      t.clock.set(TEST_START);
    }
  });
});
