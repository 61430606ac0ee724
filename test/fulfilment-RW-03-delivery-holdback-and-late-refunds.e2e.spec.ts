import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Money } from '../src/common/money/money.js';
import { LedgerService } from '../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../src/modules/escrow-ledger/ledger.types.js';
import { Holdbacks } from '../src/modules/fulfilment/holdbacks.service.js';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
import { sealEverything } from './support/ledger.js';
import {
  acknowledgeCampaign,
  inDays,
  type Investor,
  pledge,
  readyInvestor,
  rewardTerms,
} from './support/pledging.js';
import { TEST_START, startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

/**
 * Issue 16, delivery of rewards (RW-02, RW-03, RW-05): a delivery month per tier at submit, the
 * fulfilment list with the decrypted address for the owning founder only, shipments in bulk, the
 * backer's receipt or problem, the holdback kept in escrow and released by the rules, and
 * late-delivery refunds paid holdback first, then payable, the rest a claim, the ledger clean.
 */
describe('reward fulfilment (RW-03)', () => {
  let t: TestApp;
  let admin: { id: string; token: string };
  let finance: { id: string; token: string };
  let founder: TestUser;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const sql = async <T extends object>(text: string, params: unknown[] = []) =>
    (await (await t.db.client()).query(text, params)).rows as T[];
  const balance = async (code: string) => {
    const a = await t.app.get(LedgerService).findAccount(code);
    if (!a) return '0.00';
    const m = (v: string) => Money.fromDecimalString(v, 'CNY');
    return m(a.creditsPosted).minus(m(a.debitsPosted)).minus(m(a.debitsPending)).toString();
  };
  const settle = async () => {
    t.clock.set(inDays(10.01));
    await t.app.get(SettlementService).runOnce();
  };

  /** A reward campaign with a physical Teapot tier (Feb 2027) and a digital Thanks tier (Jan 2027). */
  async function rewardCampaign(
    owner: TestUser,
    plan: 'set' | 'none' = 'set',
  ): Promise<{ id: string; teapot: string; thanks: string; submitted: number; code?: string }> {
    const created = await t.http
      .post('/api/v1/campaigns')
      .set(auth(owner.token))
      .send(
        rewardTerms({
          targetAmount: '100.00',
          rewardTiers: [
            { title: 'Teapot', amount: '200.00', stock: 20 },
            { title: 'Thanks', amount: '10.00', stock: 100 },
          ],
        }),
      );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const [teapot, thanks] = (created.body.rewardTiers as { id: string }[]).map((x) => x.id);
    await t.http
      .post(`/api/v1/campaigns/${id}/disclosures`)
      .set(auth(owner.token))
      .send({ title: 'Plan', body: 'Use of funds.', material: false });
    if (plan === 'set') {
      const put = await t.http
        .put(`/api/v1/campaigns/${id}/delivery-plan`)
        .set(auth(owner.token))
        .send({
          tiers: [
            { tierId: teapot, deliveryMonth: '2027-02', physical: true },
            { tierId: thanks, deliveryMonth: '2027-01', physical: false },
          ],
        });
      expect(put.status).toBe(200);
    }
    const submitted = await t.http.post(`/api/v1/campaigns/${id}/submit`).set(auth(owner.token));
    if (submitted.status === 200) {
      const approved = await t.http
        .post(`/api/v1/admin/campaigns/${id}/approve`)
        .set(auth(admin.token))
        .send({});
      expect(approved.status).toBe(200);
    }
    return {
      id,
      teapot,
      thanks,
      submitted: submitted.status,
      code: submitted.body?.error?.code as string | undefined,
    };
  }

  async function backer(
    campaignId: string,
    tierId: string,
    amount: string,
  ): Promise<{ investor: Investor; pledgeId: string }> {
    const investor = await readyInvestor(t, { deposit: '1000.00' });
    await acknowledgeCampaign(t, investor, campaignId);
    const placed = await pledge(t, investor, campaignId, { amount, rewardTierId: tierId });
    expect(placed.status).toBe(201);
    return { investor, pledgeId: placed.body.id as string };
  }

  beforeAll(async () => {
    t = await startTestApp();
    admin = await staffToken(t, 'ADMIN');
    finance = await staffToken(t, 'FINANCE');
    founder = await verifiedUser(t, 'FOUNDER');
  });
  afterEach(() => {
    t.clock.set(TEST_START);
  });
  afterAll(async () => {
    await t.close();
  });

  it('RW-03: a reward campaign cannot be submitted until every tier states its delivery month', async () => {
    const refused = await rewardCampaign(founder, 'none');
    expect([refused.submitted, refused.code]).toEqual([422, 'FULFILMENT.DELIVERY_MONTH_REQUIRED']);
    const status = await t.http.get(`/api/v1/campaigns/${refused.id}`).set(auth(founder.token));
    expect(status.body.status).toBe('DRAFT');

    const plan = (tiers: object[]) =>
      t.http
        .put(`/api/v1/campaigns/${refused.id}/delivery-plan`)
        .set(auth(founder.token))
        .send({ tiers });
    const unknown = await plan([
      { tierId: randomUUID(), deliveryMonth: '2027-02', physical: true },
    ]);
    expect(unknown.body.error.code).toBe('FULFILMENT.UNKNOWN_TIER');
    const badMonth = await plan([
      { tierId: refused.teapot, deliveryMonth: '2027-13', physical: true },
    ]);
    expect(badMonth.status).toBe(400);
    // Only one tier planned: still refused, naming the other.
    expect(
      (await plan([{ tierId: refused.teapot, deliveryMonth: '2027-02', physical: true }])).status,
    ).toBe(200);
    const half = await t.http
      .post(`/api/v1/campaigns/${refused.id}/submit`)
      .set(auth(founder.token));
    expect(half.body.error).toMatchObject({
      code: 'FULFILMENT.DELIVERY_MONTH_REQUIRED',
      details: { tierIds: [refused.thanks] },
    });

    const ok = await rewardCampaign(founder);
    expect(ok.submitted).toBe(200);
    const locked = await t.http
      .put(`/api/v1/campaigns/${ok.id}/delivery-plan`)
      .set(auth(founder.token))
      .send({ tiers: [{ tierId: ok.teapot, deliveryMonth: '2027-05', physical: true }] });
    expect(locked.body.error.code).toBe('FULFILMENT.PLAN_LOCKED');
    const shown = await t.http.get(`/api/v1/campaigns/${ok.id}/delivery-plan`);
    expect(shown.body).toEqual(
      expect.arrayContaining([
        { tierId: ok.teapot, deliveryMonth: '2027-02', physical: true },
        { tierId: ok.thanks, deliveryMonth: '2027-01', physical: false },
      ]),
    );
  });

  it('fulfilment CSV: one row per physical pledge, the decrypted address only for the owning founder; holdback held until every delivery is confirmed', async () => {
    const c = await rewardCampaign(founder);
    const a = await backer(c.id, c.teapot, '200.00');
    const b = await backer(c.id, c.teapot, '200.00');
    const digital = await backer(c.id, c.thanks, '10.00');

    const address = {
      recipient: '李雷',
      phone: '13800138000',
      region: '浙江省杭州市西湖区',
      line: '文三路 100 号 5 幢 301',
      postalCode: '310012',
    };
    const given = await t.http
      .put(`/api/v1/pledges/${a.pledgeId}/shipping-address`)
      .set(auth(a.investor.token))
      .send(address);
    expect(given.status).toBe(200);
    expect(given.body.address).toEqual({
      recipient: '李*',
      phone: '138****8000',
      region: '浙江省杭州市西湖区',
      line: '********',
      postalCode: '310012',
    });
    const notPhysical = await t.http
      .put(`/api/v1/pledges/${digital.pledgeId}/shipping-address`)
      .set(auth(digital.investor.token))
      .send(address);
    expect(notPhysical.body.error.code).toBe('FULFILMENT.NOT_A_PHYSICAL_PLEDGE');
    const othersPledge = await t.http
      .put(`/api/v1/pledges/${a.pledgeId}/shipping-address`)
      .set(auth(b.investor.token))
      .send(address);
    expect(othersPledge.status).toBe(404);
    // PLAT-06: stored encrypted, never in clear.
    const stored = await sql<{ enc: string }>(
      `SELECT address_encrypted AS enc FROM shipping_addresses WHERE pledge_id = $1`,
      [a.pledgeId],
    );
    expect(stored[0].enc).not.toContain('文三路');
    expect(stored[0].enc).not.toContain('13800138000');

    await settle();
    const csv = await t.http
      .get(`/api/v1/campaigns/${c.id}/fulfilment.csv`)
      .set(auth(founder.token));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'pledgeId,tierId,tierTitle,deliveryMonth,amount,currency,recipient,phone,region,addressLine,postalCode,status,carrier,trackingNumber',
    );
    expect(lines).toHaveLength(3); // two Teapots; the digital Thanks is not shipped
    const row = (pledgeId: string) => lines.find((l) => l.startsWith(pledgeId));
    expect(row(a.pledgeId)).toBe(
      `${a.pledgeId},${c.teapot},Teapot,2027-02,200.00,CNY,李雷,13800138000,浙江省杭州市西湖区,文三路 100 号 5 幢 301,310012,TO_SHIP,,`,
    );
    expect(row(b.pledgeId)).toContain(',ADDRESS_MISSING,');
    expect(row(digital.pledgeId)).toBeUndefined();
    const other = await verifiedUser(t, 'FOUNDER');
    expect(
      (await t.http.get(`/api/v1/campaigns/${c.id}/fulfilment.csv`).set(auth(other.token))).status,
    ).toBe(404);
    expect(
      (await t.http.get(`/api/v1/campaigns/${c.id}/fulfilment.csv`).set(auth(a.investor.token)))
        .status,
    ).toBe(403);
    expect(
      (await t.http.get(`/api/v1/campaigns/${c.id}/fulfilment.csv`).set(auth(admin.token))).status,
    ).toBe(403);

    // gross 410.00, fee 5% = 20.50, net 389.50; holdback 20% = 77.90 stays in escrow (RW-03).
    const holdback = await t.http
      .get(`/api/v1/campaigns/${c.id}/holdback`)
      .set(auth(founder.token));
    expect(holdback.body).toMatchObject({
      net: '389.50',
      amount: '77.90',
      held: '77.90',
      status: 'HELD',
    });
    expect(await balance(`campaign:${c.id}:holdback`)).toBe('77.90');
    expect(await balance(AccountCodes.founderPayable(founder.id))).toBe('311.60');
    const payout = await t.http
      .post('/api/v1/payouts')
      .set(auth(founder.token))
      .set('idempotency-key', randomUUID())
      .send({ campaignId: c.id });
    expect(payout.body).toMatchObject({ status: 'REQUESTED', amount: '311.60' }); // the rest, as today

    const ship = (shipments: object[]) =>
      t.http
        .post(`/api/v1/campaigns/${c.id}/shipments`)
        .set(auth(founder.token))
        .send({ shipments });
    const wrong = await ship([
      { pledgeId: digital.pledgeId, carrier: 'SF', trackingNumber: 'SF1' },
    ]);
    expect(wrong.body.error).toMatchObject({
      code: 'FULFILMENT.NOT_A_PHYSICAL_PLEDGE',
      details: { pledgeIds: [digital.pledgeId] },
    });
    expect(await sql(`SELECT 1 FROM shipments WHERE campaign_id = $1`, [c.id])).toHaveLength(0);
    const shipped = await ship([
      { pledgeId: a.pledgeId, carrier: '顺丰速运', trackingNumber: 'SF100' },
      { pledgeId: b.pledgeId, carrier: '顺丰速运', trackingNumber: 'SF101' },
    ]);
    expect(shipped.body).toEqual({ recorded: 2 });

    const confirm = (x: { investor: Investor; pledgeId: string }) =>
      t.http.post(`/api/v1/pledges/${x.pledgeId}/delivery/confirm`).set(auth(x.investor.token));
    expect((await confirm(a)).body.shipment).toMatchObject({
      status: 'DELIVERED',
      trackingNumber: 'SF100',
    });
    expect(
      (await t.http.get(`/api/v1/campaigns/${c.id}/holdback`).set(auth(founder.token))).body.status,
    ).toBe('HELD');
    const problem = await t.http
      .post(`/api/v1/pledges/${b.pledgeId}/delivery/problem`)
      .set(auth(b.investor.token))
      .send({ problem: 'The lid was broken.' });
    expect(problem.body.shipment).toMatchObject({
      status: 'PROBLEM',
      problem: 'The lid was broken.',
    });
    expect(
      (await ship([{ pledgeId: a.pledgeId, carrier: 'SF', trackingNumber: 'SF102' }])).body.error
        .code,
    ).toBe('FULFILMENT.ALREADY_SHIPPED');
    expect(
      (await ship([{ pledgeId: b.pledgeId, carrier: 'SF', trackingNumber: 'SF103' }])).status,
    ).toBe(200);
    expect((await confirm(b)).body.shipment).toMatchObject({
      status: 'DELIVERED',
      trackingNumber: 'SF103',
    });

    // Every physical reward confirmed: the holdback goes to the founder's payable, exactly.
    const released = await t.http
      .get(`/api/v1/campaigns/${c.id}/holdback`)
      .set(auth(founder.token));
    expect(released.body).toMatchObject({
      status: 'RELEASED',
      releaseReason: 'DELIVERY_CONFIRMED',
      released: '77.90',
      held: '0.00',
    });
    expect(await balance(`campaign:${c.id}:holdback`)).toBe('0.00');
    expect(await balance(AccountCodes.founderPayable(founder.id))).toBe('389.50');
  });

  it('RW-03: without confirmation the holdback is released 30 days after the delivery month, not before', async () => {
    const owner = await verifiedUser(t, 'FOUNDER');
    const c = await rewardCampaign(owner);
    await backer(c.id, c.teapot, '200.00');
    await settle();
    const view = async () =>
      (await t.http.get(`/api/v1/campaigns/${c.id}/holdback`).set(auth(owner.token))).body;
    // Feb 2027 ends 2027-02-28T16:00Z (Beijing midnight); + 30 days = 2027-03-30T16:00Z.
    expect(await view()).toMatchObject({
      amount: '38.00',
      releaseDueAt: '2027-03-30T16:00:00.000Z',
    });
    const holdbacks = t.app.get(Holdbacks);
    t.clock.set('2027-03-30T15:59:59.000Z');
    await holdbacks.releaseDue();
    expect((await view()).status).toBe('HELD');
    t.clock.set('2027-03-30T16:00:00.000Z');
    expect(await holdbacks.releaseDue()).toBeGreaterThanOrEqual(1);
    expect(await view()).toMatchObject({
      status: 'RELEASED',
      releaseReason: 'DELIVERY_MONTH_PASSED',
      released: '38.00',
    });
    expect(await balance(AccountCodes.founderPayable(owner.id))).toBe('190.00');
    await holdbacks.releaseDue(); // idempotent
    expect(await balance(AccountCodes.founderPayable(owner.id))).toBe('190.00');
  });

  it('late delivery: refunds paid from the holdback, then the payable, the rest a claim with a credit WARNING; /finance/verify stays clean', async () => {
    const owner = await verifiedUser(t, 'FOUNDER');
    const c = await rewardCampaign(owner);
    const backers = [
      await backer(c.id, c.teapot, '200.00'),
      await backer(c.id, c.teapot, '200.00'),
      await backer(c.id, c.teapot, '200.00'),
    ];
    await settle();
    // gross 600.00, fee 30.00, net 570.00: holdback 114.00, payable 456.00.
    const payable = AccountCodes.founderPayable(owner.id);
    expect(await balance(payable)).toBe('456.00');
    // The founder was paid 300.00 of it (a payout the custodian settled): 156.00 left.
    await t.app.get(LedgerService).transfer({
      idempotencyKey: `test-payout:${c.id}`,
      kind: 'PAYOUT',
      debitAccount: payable,
      creditAccount: AccountCodes.custodyCash,
      amount: Money.parse('300.00', 'CNY'),
      reference: `test-payout:${c.id}`,
    });
    const refund = (x: { investor: Investor; pledgeId: string }) =>
      t.http.post(`/api/v1/pledges/${x.pledgeId}/late-delivery-refund`).set(auth(x.investor.token));

    t.clock.set('2027-02-28T15:00:00.000Z'); // still February in Beijing
    const early = await refund(backers[0]);
    expect(early.body.error.code).toBe('FULFILMENT.NOT_LATE');
    expect(
      await sql(`SELECT 1 FROM late_delivery_refunds WHERE campaign_id = $1`, [c.id]),
    ).toHaveLength(0);

    t.clock.set('2027-03-02T00:00:00.000Z');
    const view = await t.http
      .get(`/api/v1/pledges/${backers[0].pledgeId}/delivery`)
      .set(auth(backers[0].investor.token));
    expect(view.body).toMatchObject({ late: true, shipment: null, refund: null });
    const first = await refund(backers[0]);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      amount: '200.00',
      fromHoldback: '114.00',
      fromPayable: '86.00',
      shortfall: '0.00',
      claimCreditRecordId: null,
    });
    expect((await refund(backers[0])).body).toEqual(first.body); // once per pledge

    // Two at once: the payable's last 70.00 goes to one of them; the rest are claims.
    const [second, third] = await Promise.all([refund(backers[1]), refund(backers[2])]);
    expect([second.status, third.status]).toEqual([200, 200]);
    const parts = [second.body, third.body].sort((x, y) =>
      x.fromPayable < y.fromPayable ? 1 : -1,
    );
    expect(parts.map((p) => [p.fromHoldback, p.fromPayable, p.shortfall])).toEqual([
      ['0.00', '70.00', '130.00'],
      ['0.00', '0.00', '200.00'],
    ]);
    expect(await balance(payable)).toBe('0.00');
    expect(await balance(`campaign:${c.id}:holdback`)).toBe('0.00');
    // Each backer got exactly what the ledger paid them.
    expect(await balance(backers[0].investor.wallet)).toBe('1000.00');
    const paid = (p: { fromHoldback: string; fromPayable: string }) =>
      Money.parse(p.fromHoldback, 'CNY', { allowZero: true }).plus(
        Money.parse(p.fromPayable, 'CNY', { allowZero: true }),
      );
    expect(await balance(backers[1].investor.wallet)).toBe(
      Money.parse('800.00', 'CNY').plus(paid(second.body)).toString(),
    );

    // The shortfalls are claims: a credit WARNING on the founder for each.
    const records = await t.http
      .get(`/api/v1/admin/credit-records?userId=${owner.id}`)
      .set(auth(admin.token));
    expect(
      records.body.items.map((r: { severity: string; kind: string; createdBy: string | null }) => [
        r.severity,
        r.kind,
        r.createdBy,
      ]),
    ).toEqual([
      ['WARNING', 'DEFAULT', null],
      ['WARNING', 'DEFAULT', null],
    ]);
    expect(
      [second.body.claimCreditRecordId, third.body.claimCreditRecordId].every(
        (id) => typeof id === 'string',
      ),
    ).toBe(true);
    const notices = await sql<{ n: string }>(
      `SELECT count(*)::text AS n FROM notifications WHERE type = 'delivery.late_refund_paid' AND campaign_id = $1`,
      [c.id],
    );
    expect(notices[0].n).toBe('3');

    // The holdback was spent on refunds: nothing left to release, and the payout asks for nothing more.
    await t.app.get(Holdbacks).releaseDue();
    const holdback = await t.http.get(`/api/v1/campaigns/${c.id}/holdback`).set(auth(owner.token));
    expect(holdback.body).toMatchObject({ amount: '114.00', refunded: '114.00', held: '0.00' });

    // The finance office's verification: every counter, seal and invariant holds (INV-3/4/5/8/12).
    await sealEverything(t);
    const verify = await t.http.get('/api/v1/finance/verify').set(auth(finance.token));
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true, problems: [] });
  });
});
