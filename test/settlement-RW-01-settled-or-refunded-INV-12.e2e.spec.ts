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
  rewardTerms,
} from './support/pledging.js';
import { TEST_START, startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

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
    const id = await liveCampaign(t, founder, admin.token, rewardTerms());
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
    const id = await liveCampaign(t, founder, admin.token, rewardTerms());
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

  it('a refund batch with two pledges from one investor gives the investor count back once', async () => {
    const id = await liveCampaign(t, founder, admin.token, rewardTerms());
    const inv = await readyInvestor(t, { deposit: '300.00' });
    await acknowledgeCampaign(t, inv, id);
    await pledge(t, inv, id, { amount: '100.00' });
    await pledge(t, inv, id, { amount: '200.00' });
    expect(
      (await sql(`SELECT investor_count FROM campaigns WHERE id = $1`, [id]))[0].investor_count,
    ).toBe(1);
    afterDeadline();
    try {
      expect(await sweep()).toMatchObject({ refunded: 1 });
      expect(
        (
          await sql(`SELECT status, committed::text, investor_count FROM campaigns WHERE id = $1`, [
            id,
          ])
        )[0],
      ).toEqual({
        status: 'REFUNDED',
        committed: '0.00',
        investor_count: 0,
      });
      expect(await account(inv.wallet)).toEqual({
        dp: '0.00',
        cp: '300.00',
        dq: '0.00',
        cq: '0.00',
      });
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

  it('RW-02: a FLEXIBLE campaign short of its target still settles what it raised', async () => {
    const id = await liveCampaign(
      t,
      founder,
      admin.token,
      rewardTerms({ fundingModel: 'FLEXIBLE', targetAmount: '1000.00' }),
    );
    const inv = await readyInvestor(t, { deposit: '300.00' });
    await acknowledgeCampaign(t, inv, id);
    await pledge(t, inv, id, { amount: '250.00' });
    afterDeadline();
    try {
      expect(await sweep()).toMatchObject({ closed: 1, settled: 1, failed: 0 });
      expect((await sql(`SELECT status FROM campaigns WHERE id = $1`, [id]))[0].status).toBe(
        'SETTLED',
      );
    } finally {
      resetClock();
    }
  });

  it('DESIGN §6: a CLOSING campaign waits while a pledge is still in a window, then settles', async () => {
    const id = await liveCampaign(
      t,
      founder,
      admin.token,
      debtTerms({ targetAmount: '500.00', deadline: inDays(1) }),
    );
    const inv = await readyInvestor(t, { deposit: '600.00' });
    await acknowledgeCampaign(t, inv, id);
    const campaignStatus = async () =>
      (await sql(`SELECT status FROM campaigns WHERE id = $1`, [id]))[0].status as string;
    t.clock.set(inDays(0.5)); // pledged 12 h before the deadline: cooling-off runs 12 h past it
    try {
      const placed = await pledge(t, inv, id, { amount: '600.00' });
      expect(placed.body.status).toBe('COOLING_OFF');
      t.clock.set(inDays(1.01)); // past the deadline, still inside the cooling-off
      expect(await sweep()).toMatchObject({ closed: 1, settled: 0 });
      expect(await campaignStatus()).toBe('CLOSING');
      expect(await account(`campaign:${id}:escrow`)).toMatchObject({ cp: '0.00', cq: '600.00' });
      t.clock.set(inDays(1.51)); // cooling-off over: now it waits for the call
      expect(await sweep()).toMatchObject({ coolingOffEnded: 1, settled: 0 });
      expect(await campaignStatus()).toBe('CLOSING');
      const call = await t.http
        .post(`/api/v1/admin/pledges/${placed.body.id}/confirmation-call`)
        .set('authorization', `Bearer ${admin.token}`)
        .send({ outcome: 'CONFIRMED', notes: 'confirmed' });
      expect(call.body.status).toBe('ACTIVE');
      // CN-PF-08: once confirmed an equity/debt pledge is binding.
      const cancel = await t.http
        .post(`/api/v1/pledges/${placed.body.id}/cancel`)
        .set('authorization', `Bearer ${inv.token}`)
        .set('idempotency-key', 'binding-1');
      expect(cancel.status).toBe(422);
      expect(cancel.body.error.code).toBe('PLEDGE.NOT_CANCELLABLE');
      expect(await sweep()).toMatchObject({ settled: 1 });
      expect(await campaignStatus()).toBe('SETTLED');
    } finally {
      resetClock();
    }
  });

  it('two sweepers at once settle a campaign exactly once; the ledger verifies', async () => {
    const id = await liveCampaign(t, founder, admin.token, rewardTerms({ targetAmount: '100.00' }));
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
