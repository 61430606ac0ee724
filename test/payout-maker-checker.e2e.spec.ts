import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
import {
  acknowledgeCampaign,
  inDays,
  liveCampaign,
  pledge,
  readyInvestor,
  rewardTerms,
} from './support/pledging.js';
import { TEST_START, startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

describe('payouts, maker-checker (DESIGN §7)', () => {
  let t: TestApp;
  let admin: { id: string; token: string };
  let finance: { id: string; token: string };
  let founder: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await staffToken(t, 'ADMIN');
    finance = await staffToken(t, 'FINANCE');
    founder = await verifiedUser(t, 'FOUNDER');
  });
  afterAll(async () => {
    await t.close();
  });

  it('a settled campaign is paid out: founder requests, FINANCE approves, the bank settles', async () => {
    const id = await liveCampaign(t, founder, admin.token, rewardTerms({ targetAmount: '100.00' }));
    const inv = await readyInvestor(t, { deposit: '200.00' });
    await acknowledgeCampaign(t, inv, id);
    await pledge(t, inv, id, { amount: '200.00' });
    const early = await t.http
      .post('/api/v1/payouts')
      .set('authorization', `Bearer ${founder.token}`)
      .set('idempotency-key', 'po-0')
      .send({ campaignId: id });
    expect(early.body.error.code).toBe('PAYOUT.NOT_SETTLED');
    t.clock.set(inDays(10.01));
    try {
      await t.app.get(SettlementService).runOnce();
      const requested = await t.http
        .post('/api/v1/payouts')
        .set('authorization', `Bearer ${founder.token}`)
        .set('idempotency-key', 'po-1')
        .send({ campaignId: id });
      expect(requested.status).toBe(201);
      expect(requested.body).toMatchObject({ status: 'REQUESTED', amount: '152.00' }); // 200 - 5% fee = 190, less the 20% holdback (RW-03)
      const twice = await t.http
        .post('/api/v1/payouts')
        .set('authorization', `Bearer ${founder.token}`)
        .set('idempotency-key', 'po-2')
        .send({ campaignId: id });
      expect(twice.body.error.code).toBe('PAYOUT.ALREADY_REQUESTED');
      expect(
        (
          await t.http
            .post(`/api/v1/finance/payouts/${requested.body.id}/approve`)
            .set('authorization', `Bearer ${founder.token}`)
        ).status,
      ).toBe(403);
      // Two checkers at once: the row lock lets exactly one approval place the hold.
      const second = await staffToken(t, 'FINANCE');
      const outcomes = await Promise.all(
        [finance, second].map((f) =>
          t.http
            .post(`/api/v1/finance/payouts/${requested.body.id}/approve`)
            .set('authorization', `Bearer ${f.token}`),
        ),
      );
      const approved = outcomes.find((r) => r.status === 200)!;
      const racing = outcomes.find((r) => r !== approved)!;
      const winner = approved.body.decidedBy === second.id ? second : finance;
      const holds = await (
        await t.db.client()
      ).query(
        `SELECT count(*)::int AS n FROM ledger_transfers WHERE kind = 'PAYOUT' AND status = 'PENDING' AND reference = $1`,
        [`payout:${requested.body.id}`],
      );
      expect(holds.rows[0].n).toBe(1);
      expect(racing.status).toBe(409);
      expect(racing.body.error.code).toBe('PAYOUT.ALREADY_DECIDED');
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: 'APPROVED', decidedBy: winner.id });
      const wallet = await t.http
        .get('/api/v1/wallet')
        .set('authorization', `Bearer ${founder.token}`);
      expect(wallet.body).toEqual({ available: '0.00', held: '152.00', currency: 'CNY' });

      const raw = JSON.stringify({
        type: 'PAYOUT_SETTLED',
        bankReference: `po-bank-${id}`,
        transferId: approved.body.holdTransferId,
        amount: '152.00',
        currency: 'CNY',
        occurredAt: '2026-12-08T03:00:00Z',
      });
      const { createHmac } = await import('node:crypto');
      const sig = `sha256=${createHmac('sha256', t.config.ledger.custodyWebhookSecret).update(raw).digest('hex')}`;
      const bank = await t.http
        .post('/api/v1/custody/notifications')
        .set('content-type', 'application/json')
        .set('x-custody-signature', sig)
        .send(raw);
      expect(bank.status).toBe(200);
      const paid = await t.http
        .get(`/api/v1/payouts/${requested.body.id}`)
        .set('authorization', `Bearer ${finance.token}`);
      expect(paid.body.status).toBe('PAID');
      expect(
        (await t.http.get('/api/v1/wallet').set('authorization', `Bearer ${founder.token}`)).body,
      ).toEqual({ available: '0.00', held: '0.00', currency: 'CNY' });
      const again = await t.http
        .post(`/api/v1/finance/payouts/${requested.body.id}/reject`)
        .set('authorization', `Bearer ${finance.token}`)
        .send({ reason: 'late' });
      expect(again.body.error.code).toBe('PAYOUT.ALREADY_DECIDED');
    } finally {
      t.clock.set(TEST_START);
    }
  });
});
