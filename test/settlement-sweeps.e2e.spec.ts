import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LedgerVerifierService } from '../src/modules/escrow-ledger/ledger-verifier.service.js';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
import { sealEverything } from './support/ledger.js';
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

const reward = (over: Record<string, unknown> = {}) => ({
  kind: 'REWARD',
  fundingModel: 'ALL_OR_NOTHING',
  title: 'Teapot',
  summary: 's',
  targetAmount: '1000.00',
  maxAmount: '5000.00',
  minPledge: '10.00',
  deadline: inDays(10),
  ...over,
});

describe('settlement sweeps (DESIGN §6, RW-01, INV-12)', () => {
  let t: TestApp;
  let admin: { id: string; token: string };
  let founder: TestUser;
  const sql = async (text: string, params: unknown[] = []) =>
    (await (await t.db.client()).query(text, params)).rows;
  const account = async (code: string) =>
    (
      await sql(
        `SELECT debits_posted::text AS dp, credits_posted::text AS cp, debits_pending::text AS dq, credits_pending::text AS cq
         FROM ledger_accounts WHERE code = $1`,
        [code],
      )
    )[0];
  const sweep = () => t.app.get(SettlementService).runOnce();
  const afterDeadline = () => t.clock.set(inDays(10.01));

  beforeAll(async () => {
    t = await startTestApp();
    admin = await staffToken(t, 'ADMIN');
    founder = await verifiedUser(t, 'FOUNDER');
  });
  afterAll(async () => {
    await t.close();
  });
  const resetClock = () => t.clock.set(TEST_START);

  it('target met: every hold posted, founder paid net, platform the 5% fee half-up, escrow exactly 0', async () => {
    const id = await liveCampaign(t, founder, admin.token, reward());
    const a = await readyInvestor(t, { deposit: '1000.00' });
    const b = await readyInvestor(t, { deposit: '1000.00' });
    for (const inv of [a, b]) await acknowledgeCampaign(t, inv, id);
    expect((await pledge(t, a, id, { amount: '600.10' })).body.status).toBe('ACTIVE');
    await pledge(t, b, id, { amount: '500.00' });
    afterDeadline();
    try {
      const report = await sweep();
      expect(report).toMatchObject({ closed: 1, settled: 1 });
      expect((await sql(`SELECT status FROM campaigns WHERE id = $1`, [id]))[0].status).toBe(
        'SETTLED',
      );
      // gross 1,100.10; fee = 55.005 -> 55.01 (half-up); net 1,045.09
      expect(await account(`campaign:${id}:escrow`)).toEqual({
        dp: '1100.10',
        cp: '1100.10',
        dq: '0.00',
        cq: '0.00',
      });
      expect((await account(`founder:${founder.id}:payable`)).cp).toBe('1045.09');
      const fees = await sql(
        `SELECT amount::text FROM ledger_transfers WHERE kind = 'FEE' AND reference = $1`,
        [`campaign:${id}`],
      );
      expect(fees).toEqual([{ amount: '55.01' }]);
      expect(await account(a.wallet)).toMatchObject({ dp: '600.10', cp: '1000.00', dq: '0.00' });
      expect(
        (await sql(`SELECT DISTINCT status FROM pledges WHERE campaign_id = $1`, [id])).map(
          (r) => r.status,
        ),
      ).toEqual(['SETTLED']);

      const again = await sweep(); // idempotent: nothing left to do
      expect(again).toMatchObject({ closed: 0, settled: 0 });
      expect(
        await sql(`SELECT count(*)::int AS n FROM ledger_transfers WHERE reference = $1`, [
          `campaign:${id}`,
        ]),
      ).toEqual([{ n: 2 }]);
    } finally {
      resetClock();
    }
  });

  it('target missed: FAILED -> REFUNDED and every available balance restored exactly', async () => {
    const id = await liveCampaign(t, founder, admin.token, reward());
    const a = await readyInvestor(t, { deposit: '333.33' });
    await acknowledgeCampaign(t, a, id);
    await pledge(t, a, id, { amount: '333.33' });
    afterDeadline();
    try {
      const report = await sweep();
      expect(report).toMatchObject({ closed: 1, refunded: 1 });
      expect(
        (await sql(`SELECT status, committed::text FROM campaigns WHERE id = $1`, [id]))[0],
      ).toEqual({ status: 'REFUNDED', committed: '0.00' });
      expect(await account(a.wallet)).toEqual({ dp: '0.00', cp: '333.33', dq: '0.00', cq: '0.00' });
      expect(await account(`campaign:${id}:escrow`)).toEqual({
        dp: '0.00',
        cp: '0.00',
        dq: '0.00',
        cq: '0.00',
      });
      const log = await sql(
        `SELECT from_status, to_status FROM campaign_transitions WHERE campaign_id = $1 ORDER BY id`,
        [id],
      );
      expect(log.slice(-2)).toEqual([
        { from_status: 'LIVE', to_status: 'FAILED' },
        { from_status: 'FAILED', to_status: 'REFUNDED' },
      ]);
    } finally {
      resetClock();
    }
  });

  it('CN-PF-06/07/08: cooling-off ends into AWAITING_CONFIRMATION; no call in 72 h cancels and refunds', async () => {
    const id = await liveCampaign(t, founder, admin.token, debtTerms({ deadline: inDays(30) }));
    const inv = await readyInvestor(t, { deposit: '800.00' });
    await acknowledgeCampaign(t, inv, id);
    const placed = await pledge(t, inv, id, { amount: '800.00' });
    t.clock.set(new Date(Date.parse(TEST_START) + 24 * 3_600_000).toISOString());
    try {
      expect((await sweep()).coolingOffEnded).toBe(1);
      expect(
        (await sql(`SELECT status FROM pledges WHERE id = $1`, [placed.body.id]))[0].status,
      ).toBe('AWAITING_CONFIRMATION');
      t.clock.advanceHours(72);
      expect((await sweep()).unconfirmedCancelled).toBe(1);
      expect(
        (await sql(`SELECT status FROM pledges WHERE id = $1`, [placed.body.id]))[0].status,
      ).toBe('CANCELLED');
      expect(await account(inv.wallet)).toMatchObject({ dp: '0.00', cp: '800.00', dq: '0.00' });
      expect(
        (await sql(`SELECT committed::text, investor_count FROM campaigns WHERE id = $1`, [id]))[0],
      ).toEqual({ committed: '0.00', investor_count: 0 });
    } finally {
      resetClock();
    }
  });

  it('two sweepers at once settle a campaign exactly once; the ledger verifies', async () => {
    const id = await liveCampaign(t, founder, admin.token, reward({ targetAmount: '100.00' }));
    const investors = [];
    for (let i = 0; i < 12; i++) investors.push(await readyInvestor(t, { deposit: '100.00' }));
    for (const inv of investors) {
      await acknowledgeCampaign(t, inv, id);
      await pledge(t, inv, id, { amount: '33.33' });
    }
    afterDeadline();
    try {
      const service = t.app.get(SettlementService);
      await Promise.all([service.runOnce(), service.runOnce(), service.runOnce()]);
      await service.runOnce();
      expect((await sql(`SELECT status FROM campaigns WHERE id = $1`, [id]))[0].status).toBe(
        'SETTLED',
      );
      expect(
        await sql(
          `SELECT kind, amount::text FROM ledger_transfers WHERE reference = $1 ORDER BY kind`,
          [`campaign:${id}`],
        ),
      ).toEqual([
        { kind: 'FEE', amount: '20.00' }, // 399.96 x 5% = 19.998 -> 20.00
        { kind: 'SETTLEMENT', amount: '379.96' },
      ]);
      expect(await account(`campaign:${id}:escrow`)).toMatchObject({
        dq: '0.00',
        cq: '0.00',
        cp: '399.96',
        dp: '399.96',
      });
      await sealEverything(t);
      const report = await t.app.get(LedgerVerifierService).verify();
      expect(report.problems).toEqual([]);
    } finally {
      resetClock();
    }
  });
});

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

describe('material change and reconfirmation (CN-SUIT-14, US-CF-14 analogue)', () => {
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
  const status = async (pledgeId: string) =>
    (await (await t.db.client()).query(`SELECT status FROM pledges WHERE id = $1`, [pledgeId]))
      .rows[0].status as string;
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 20));
  };

  it('a material version puts live pledges into reconfirmation; one reconfirms, the other lapses and is refunded', async () => {
    const id = await liveCampaign(t, founder, admin.token, reward({ deadline: inDays(20) }));
    const keeper = await readyInvestor(t, { deposit: '100.00' });
    const lapser = await readyInvestor(t, { deposit: '100.00' });
    const placed: string[] = [];
    for (const inv of [keeper, lapser]) {
      await acknowledgeCampaign(t, inv, id);
      placed.push((await pledge(t, inv, id, { amount: '100.00' })).body.id as string);
    }
    const published = await t.http
      .post(`/api/v1/campaigns/${id}/disclosures`)
      .set('authorization', `Bearer ${founder.token}`)
      .send({ title: 'Revised', body: 'Delivery moves by three months.', material: true });
    expect(published.status).toBe(201);
    await until(async () => (await status(placed[0])) === 'AWAITING_RECONFIRMATION');
    expect(await status(placed[0])).toBe('AWAITING_RECONFIRMATION');
    expect(await status(placed[1])).toBe('AWAITING_RECONFIRMATION');

    const reconfirm = (inv: TestUser, pledgeId: string) =>
      t.http
        .post(`/api/v1/pledges/${pledgeId}/reconfirm`)
        .set('authorization', `Bearer ${inv.token}`);
    const unacknowledged = await reconfirm(keeper, placed[0]);
    expect(unacknowledged.status).toBe(422);
    expect(unacknowledged.body.error.code).toBe('DISCLOSURE.ACKNOWLEDGEMENT_REQUIRED');
    await acknowledgeCampaign(t, keeper, id);
    const kept = await reconfirm(keeper, placed[0]);
    expect(kept.status).toBe(200);
    expect(kept.body.status).toBe('ACTIVE');

    t.clock.advanceHours(121); // past the 120 h window
    try {
      expect((await t.app.get(SettlementService).runOnce()).reconfirmationsExpired).toBe(1);
      expect(await status(placed[1])).toBe('CANCELLED');
      const wallet = await t.http
        .get('/api/v1/wallet')
        .set('authorization', `Bearer ${lapser.token}`);
      expect(wallet.body).toEqual({ available: '100.00', held: '0.00', currency: 'CNY' });
      expect((await reconfirm(lapser, placed[1])).status).toBe(422);
    } finally {
      t.clock.set(TEST_START);
    }
  });
});

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
    const id = await liveCampaign(t, founder, admin.token, reward({ targetAmount: '100.00' }));
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
      expect(requested.body).toMatchObject({ status: 'REQUESTED', amount: '190.00' }); // 200 - 5% fee
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
      const approved = await t.http
        .post(`/api/v1/finance/payouts/${requested.body.id}/approve`)
        .set('authorization', `Bearer ${finance.token}`);
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: 'APPROVED', decidedBy: finance.id });
      const wallet = await t.http
        .get('/api/v1/wallet')
        .set('authorization', `Bearer ${founder.token}`);
      expect(wallet.body).toEqual({ available: '0.00', held: '190.00', currency: 'CNY' });

      const raw = JSON.stringify({
        type: 'PAYOUT_SETTLED',
        bankReference: `po-bank-${id}`,
        transferId: approved.body.holdTransferId,
        amount: '190.00',
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
