import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SettlementService } from '../../src/modules/settlement/settlement.service.js';
import { sealEverything } from '../support/ledger.js';
import {
  acknowledgeCampaign,
  inDays,
  liveCampaign,
  pledge,
  readyInvestor,
  rewardTerms,
} from '../support/pledging.js';
import { TEST_START, startTestApp, type TestApp } from '../support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from '../support/users.js';

const zero = { count: 0, amount: '0.00' };

describe('GET /finance/campaigns/:id/escrow (RW-01, INV-12): a settled and a refunded campaign', () => {
  let t: TestApp;
  let admin: { id: string; token: string };
  let finance: { id: string; token: string };
  let founder: TestUser;
  let settling: string;
  let refunding: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const escrow = (id: string) =>
    t.http.get(`/api/v1/finance/campaigns/${id}/escrow`).set(auth(finance.token));

  beforeAll(async () => {
    t = await startTestApp();
    admin = await staffToken(t, 'ADMIN');
    finance = await staffToken(t, 'FINANCE');
    founder = await verifiedUser(t, 'FOUNDER');

    settling = await liveCampaign(t, founder, admin.token, rewardTerms());
    refunding = await liveCampaign(t, founder, admin.token, rewardTerms());
    const a = await readyInvestor(t, { deposit: '1000.00' });
    const b = await readyInvestor(t, { deposit: '1000.00' });
    const c = await readyInvestor(t, { deposit: '1000.00' });
    for (const inv of [a, b, c]) {
      await acknowledgeCampaign(t, inv, settling);
      await acknowledgeCampaign(t, inv, refunding);
    }
    for (const [inv, campaign, amount] of [
      [a, settling, '600.10'],
      [b, settling, '500.00'],
      [a, refunding, '333.33'],
      [b, refunding, '250.00'],
    ] as const) {
      const placed = await pledge(t, inv, campaign, { amount });
      if (placed.status !== 201) throw new Error(`pledge: ${placed.status} ${placed.text}`);
    }
    const cancelled = await pledge(t, c, settling, { amount: '100.00' });
    const cancel = await t.http
      .post(`/api/v1/pledges/${cancelled.body.id}/cancel`)
      .set(auth(c.token))
      .set('idempotency-key', randomUUID());
    if (cancel.status !== 200) throw new Error(`cancel: ${cancel.status} ${cancel.text}`);
  });
  afterAll(async () => {
    t.clock.set(TEST_START);
    await t.close();
  });

  it('while live: committed and held are the live pledges; the cancelled hold is voided', async () => {
    const res = await escrow(settling);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      campaignId: settling,
      status: 'LIVE',
      currency: 'CNY',
      escrowAccount: `campaign:${settling}:escrow`,
      committed: '1100.10',
      held: '1100.10',
      posted: '0.00',
      voided: '100.00',
      fee: '0.00',
      net: '0.00',
      paidOut: '0.00',
      payoutHeld: '0.00',
      escrowBalance: '1100.10',
      escrowZero: false,
      pledges: {
        COOLING_OFF: zero,
        AWAITING_CONFIRMATION: zero,
        ACTIVE: { count: 2, amount: '1100.10' },
        AWAITING_RECONFIRMATION: zero,
        SETTLED: zero,
        CANCELLED: { count: 1, amount: '100.00' },
        REFUNDED: zero,
      },
    });
  });

  it('settled: every hold posted, fee 5% half-up and net out, escrow exactly 0; then the payout is held and paid', async () => {
    t.clock.set(inDays(10.01));
    const sweeps = t.app.get(SettlementService);
    await sweeps.runOnce();
    await sweeps.runOnce();

    const settled = await escrow(settling);
    // gross 1,100.10 x 5% = 55.005 -> 55.01 (half-up); net = 1,100.10 - 55.01 = 1,045.09
    expect(settled.body).toMatchObject({
      status: 'SETTLED',
      committed: '1100.10',
      held: '0.00',
      posted: '1100.10',
      voided: '100.00',
      fee: '55.01',
      net: '1045.09',
      paidOut: '0.00',
      payoutHeld: '0.00',
      escrowBalance: '0.00',
      escrowZero: true,
    });
    expect(settled.body.pledges).toMatchObject({
      ACTIVE: zero,
      SETTLED: { count: 2, amount: '1100.10' },
      CANCELLED: { count: 1, amount: '100.00' },
    });

    const requested = await t.http
      .post('/api/v1/payouts')
      .set(auth(founder.token))
      .set('idempotency-key', randomUUID())
      .send({ campaignId: settling });
    expect(requested.status).toBe(201);
    const approved = await t.http
      .post(`/api/v1/finance/payouts/${requested.body.id}/approve`)
      .set(auth(finance.token));
    expect(approved.status).toBe(200);
    // The payout is the net less the 20% reward holdback (1,045.09 x 0.2 = 209.018 -> 209.02, RW-03).
    expect((await escrow(settling)).body).toMatchObject({ payoutHeld: '836.07', paidOut: '0.00' });

    const raw = JSON.stringify({
      type: 'PAYOUT_SETTLED',
      bankReference: `bank-${settling}`,
      transferId: approved.body.holdTransferId,
      amount: '836.07',
      currency: 'CNY',
      occurredAt: '2026-12-08T03:00:00Z',
    });
    const sig = `sha256=${createHmac('sha256', t.config.ledger.custodyWebhookSecret).update(raw).digest('hex')}`;
    const bank = await t.http
      .post('/api/v1/custody/notifications')
      .set('content-type', 'application/json')
      .set('x-custody-signature', sig)
      .send(raw);
    expect(bank.status).toBe(200);
    expect((await escrow(settling)).body).toMatchObject({
      payoutHeld: '0.00',
      paidOut: '836.07',
      escrowZero: true,
    });
  });

  it('refunded: nothing posted, no fee, every hold voided, escrow exactly 0', async () => {
    const res = await escrow(refunding);
    expect(res.body).toMatchObject({
      status: 'REFUNDED',
      committed: '0.00',
      held: '0.00',
      posted: '0.00',
      voided: '583.33',
      fee: '0.00',
      net: '0.00',
      paidOut: '0.00',
      escrowBalance: '0.00',
      escrowZero: true,
    });
    expect(res.body.pledges).toMatchObject({
      ACTIVE: zero,
      REFUNDED: { count: 2, amount: '583.33' },
    });
  });

  it('after these real flows the invariant monitor reports every invariant ok', async () => {
    await sealEverything(t);
    const res = await t.http.get('/api/v1/finance/verify').set(auth(finance.token));
    expect(res.body.problems).toEqual([]);
    expect(res.body.ok).toBe(true);
    expect(Object.values(res.body.invariants).every((i) => (i as { ok: boolean }).ok)).toBe(true);
  });

  it('an unknown campaign is 404 NOT_FOUND; a malformed id is 400', async () => {
    const unknown = await escrow(randomUUID());
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const malformed = await escrow('not-a-uuid');
    expect(malformed.status).toBe(400);
  });
});
