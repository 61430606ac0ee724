import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  acknowledgeCampaign,
  deliveryPlan,
  debtTerms,
  type Investor,
  liveCampaign,
  pledge,
  readyInvestor,
} from './support/pledging.js';
import { ledgerProblems } from './support/ledger.js';
import { TEST_START, startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

describe('pledges under concurrency (INV-7, INV-9)', () => {
  let t: TestApp;
  let admin: { id: string; token: string };
  let founder: TestUser;
  const sql = async (text: string, params: unknown[] = []) =>
    (await (await t.db.client()).query(text, params)).rows;

  beforeAll(async () => {
    t = await startTestApp({ DATABASE_POOL_SIZE: '20' });
    admin = await staffToken(t, 'ADMIN');
    founder = await verifiedUser(t, 'FOUNDER');
  });
  afterAll(async () => {
    await t.close();
  });

  it('INV-7: 50 concurrent pledges against a cap that fits 33: committed never above cap, accepted = committed = escrow held', async () => {
    const campaign = await liveCampaign(
      t,
      founder,
      admin.token,
      debtTerms({ targetAmount: '5000.00', maxAmount: '10000.00', minPledge: '300.00' }),
    );
    const investors: Investor[] = [];
    for (let i = 0; i < 50; i++) investors.push(await readyInvestor(t, { deposit: '1000.00' }));
    await Promise.all(investors.map((inv) => acknowledgeCampaign(t, inv, campaign)));
    const results = await Promise.all(
      investors.map((inv) => pledge(t, inv, campaign, { amount: '300.00' })),
    );
    const accepted = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(accepted).toHaveLength(33); // 33 x 300 = 9,900 <= 10,000 < 10,200
    expect(new Set(refused.map((r) => r.body.error.code))).toEqual(
      new Set(['PLEDGE.HARD_CAP_EXCEEDED']),
    );
    const [c] = await sql(`SELECT committed::text, investor_count FROM campaigns WHERE id = $1`, [
      campaign,
    ]);
    expect(c).toEqual({ committed: '9900.00', investor_count: 33 });
    const [escrow] = await sql(
      `SELECT credits_pending::text FROM ledger_accounts WHERE code = $1`,
      [`campaign:${campaign}:escrow`],
    );
    expect(escrow.credits_pending).toBe('9900.00'); // INV-8
    const [live] = await sql(
      `SELECT sum(amount)::text AS total FROM pledges WHERE campaign_id = $1 AND status = 'COOLING_OFF'`,
      [campaign],
    );
    expect(live.total).toBe('9900.00');
  }, 120_000);

  it('INV-7: 20 concurrent pledges for a reward tier of 5 sell exactly 5', async () => {
    const created = await t.http
      .post('/api/v1/campaigns')
      .set('authorization', `Bearer ${founder.token}`)
      .send({
        kind: 'REWARD',
        fundingModel: 'ALL_OR_NOTHING',
        title: 'Kettle',
        summary: 's',
        targetAmount: '1000.00',
        maxAmount: '100000.00',
        minPledge: '10.00',
        deadline: new Date(Date.parse(TEST_START) + 20 * 86_400_000).toISOString(),
        rewardTiers: [{ title: 'Kettle', amount: '200.00', stock: 5 }],
      });
    const id = created.body.id as string;
    const tierId = created.body.rewardTiers[0].id as string;
    await t.http
      .post(`/api/v1/campaigns/${id}/disclosures`)
      .set('authorization', `Bearer ${founder.token}`)
      .send({ title: 'p', body: 'b', material: false });
    await deliveryPlan(t, founder, id, created.body); // RW-03: each tier's delivery month
    await t.http
      .post(`/api/v1/campaigns/${id}/submit`)
      .set('authorization', `Bearer ${founder.token}`);
    await t.http
      .post(`/api/v1/admin/campaigns/${id}/approve`)
      .set('authorization', `Bearer ${admin.token}`);
    const investors: Investor[] = [];
    for (let i = 0; i < 20; i++) investors.push(await readyInvestor(t, { deposit: '500.00' }));
    await Promise.all(investors.map((inv) => acknowledgeCampaign(t, inv, id)));
    const results = await Promise.all(
      investors.map((inv) => pledge(t, inv, id, { amount: '200.00', rewardTierId: tierId })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(new Set(results.filter((r) => r.status !== 201).map((r) => r.body.error.code))).toEqual(
      new Set(['PLEDGE.REWARD_SOLD_OUT']),
    );
    const [tier] = await sql(`SELECT claimed, stock FROM reward_tiers WHERE id = $1`, [tierId]);
    expect(tier).toEqual({ claimed: 5, stock: 5 });
    const [c] = await sql(`SELECT committed::text FROM campaigns WHERE id = $1`, [id]);
    expect(c.committed).toBe('1000.00');
  }, 120_000);

  it('INV-9: one investor pledging to six campaigns at once never passes the 12-month limit (CN floor 20,000)', async () => {
    const campaigns: string[] = [];
    // An organisation borrows: six 50,000 raises in flight stay within its 1,000,000 (CN-P2P-02).
    const borrower = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    for (let i = 0; i < 6; i++)
      campaigns.push(
        await liveCampaign(
          t,
          borrower,
          admin.token,
          debtTerms({ maxAmount: '50000.00', targetAmount: '10000.00' }),
        ),
      );
    const inv = await readyInvestor(t, { deposit: '100000.00' });
    for (const c of campaigns) await acknowledgeCampaign(t, inv, c);
    const results = await Promise.all(
      campaigns.map((c) => pledge(t, inv, c, { amount: '5000.00' })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(4);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused.map((r) => r.body.error.code)).toEqual([
      'PLEDGE.LIMIT_EXCEEDED',
      'PLEDGE.LIMIT_EXCEEDED',
    ]);
    expect(refused[0].body.error.details).toMatchObject({
      annualLimit: '20000.00',
      usedLast12Months: '20000.00',
      remaining: '0.00',
    });
    const [sum] = await sql(
      `SELECT sum(amount)::text AS total FROM pledges WHERE investor_id = $1`,
      [inv.id],
    );
    expect(sum.total).toBe('20000.00');
  }, 120_000);

  it('after every concurrent run above, the trial balance balances and the ledger verifies (INV-3, INV-4, INV-8)', async () => {
    expect(await ledgerProblems(t)).toEqual([]);
  });
});
