import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { FundUse } from '../src/modules/charity/fund-use.service.js';
import { SettlementHandovers } from '../src/modules/settlement/settlement-handovers.js';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
import {
  acknowledgeCampaign,
  inDays,
  type Investor,
  pledge,
  readyInvestor,
} from './support/pledging.js';
import { TEST_START, startTestApp, type TestApp } from './support/test-app.js';
import { freshUscc, staffToken, type TestUser, verifiedUser } from './support/users.js';

/**
 * Issue 16, charitable crowdfunding (公益众筹; PLAT-08, RW-07): a donation campaign names its
 * registered charity and a fund-use plan; each settled donation gets a receipt numbered without a
 * gap per charity and year, even when settlements run concurrently or one rolls back; the charity
 * reports fund use, donors see spent against raised, and a missing report is noticed once.
 */
describe('charitable crowdfunding (PLAT-08)', () => {
  let t: TestApp;
  let admin: { id: string; token: string };
  let charity: TestUser;
  let donors: Investor[];
  const campaigns: string[] = [];
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const sql = async <T extends object>(text: string, params: unknown[] = []) =>
    (await (await t.db.client()).query(text, params)).rows as T[];
  const AMOUNTS = ['10.00', '20.50', '33.33'];

  async function donationCampaign(
    owner: TestUser,
    plan: object | null,
  ): Promise<{ id: string; submit: { status: number; code?: string } }> {
    const created = await t.http
      .post('/api/v1/campaigns')
      .set(auth(owner.token))
      .send({
        kind: 'DONATION',
        fundingModel: 'FLEXIBLE',
        title: '山区图书',
        summary: 's',
        targetAmount: '50.00',
        maxAmount: '100000.00',
        minPledge: '1.00',
        deadline: inDays(10),
      });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await t.http
      .post(`/api/v1/campaigns/${id}/disclosures`)
      .set(auth(owner.token))
      .send({ title: 'Plan', body: 'Books for mountain schools.', material: false });
    if (plan) {
      const put = await t.http
        .put(`/api/v1/campaigns/${id}/charity-plan`)
        .set(auth(owner.token))
        .send(plan);
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
    return { id, submit: { status: submitted.status, code: submitted.body?.error?.code } };
  }

  const goodPlan = () => ({
    charityUscc: charity.uscc,
    fundUsePlan: [
      { purpose: 'Books', amount: '40.00' },
      { purpose: 'Shelves', amount: '20.00' },
    ],
  });

  beforeAll(async () => {
    t = await startTestApp();
    admin = await staffToken(t, 'ADMIN');
    charity = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    const qualified = await t.http
      .post('/api/v1/admin/charities')
      .set(auth(admin.token))
      .send({ userId: charity.id, certificateReference: 'MCA-2026-007' });
    expect(qualified.status).toBe(201);
    donors = [];
    for (let i = 0; i < 3; i++) donors.push(await readyInvestor(t, { deposit: '1000.00' }));
  });
  afterEach(() => {
    t.clock.set(TEST_START);
  });
  afterAll(async () => {
    await t.close();
  });

  it('PLAT-08: the campaign names its qualified charity by a checked USCC and a fund-use plan before submit', async () => {
    const refused = await donationCampaign(charity, null);
    expect(refused.submit).toEqual({ status: 422, code: 'CHARITY.PLAN_REQUIRED' });
    const put = (body: object) =>
      t.http
        .put(`/api/v1/campaigns/${refused.id}/charity-plan`)
        .set(auth(charity.token))
        .send(body);
    const uscc = charity.uscc ?? '';
    const badCheck = uscc.slice(0, 17) + (uscc[17] === '0' ? '1' : '0');
    expect((await put({ ...goodPlan(), charityUscc: badCheck })).body.error.code).toBe(
      'IDENTITY.INVALID_USCC',
    );
    expect((await put({ ...goodPlan(), charityUscc: await freshUscc() })).body.error).toMatchObject(
      {
        code: 'CHARITY.NOT_REGISTERED',
        details: { reason: 'USCC_MISMATCH' },
      },
    );
    expect(
      (await put({ ...goodPlan(), fundUsePlan: [{ purpose: 'Books', amount: '49.99' }] })).body
        .error.code,
    ).toBe('CHARITY.PLAN_TOO_SMALL');
    expect(
      await sql(`SELECT 1 FROM donation_plans WHERE campaign_id = $1`, [refused.id]),
    ).toHaveLength(0);

    const ok = await donationCampaign(charity, goodPlan());
    expect(ok.submit.status).toBe(200);
    const shown = await t.http.get(`/api/v1/campaigns/${ok.id}/charity-plan`);
    expect(shown.body).toMatchObject({
      charity: { name: '测试公司', uscc, certificateReference: 'MCA-2026-007' },
      planTotal: '60.00',
      fundUsePlan: [
        { purpose: 'Books', amount: '40.00' },
        { purpose: 'Shelves', amount: '20.00' },
      ],
    });
    campaigns.push(ok.id);
  });

  it('receipts are numbered 1..n per charity and year with no gap under concurrent settlements, one rolled back', async () => {
    for (let i = 0; i < 3; i++) campaigns.push((await donationCampaign(charity, goodPlan())).id);
    for (const id of campaigns) {
      for (const [i, donor] of donors.entries()) {
        await acknowledgeCampaign(t, donor, id);
        expect((await pledge(t, donor, id, { amount: AMOUNTS[i] })).status).toBe(201);
      }
    }
    // One settlement fails once after its receipts were numbered: its numbers must come back.
    let failOnce = true;
    t.app.get(SettlementHandovers).register('DONATION', async (campaign) => {
      if (campaign.id === campaigns[1] && failOnce) {
        failOnce = false;
        throw new Error('hand-over failed');
      }
    });
    t.clock.set(inDays(10.01));
    const sweeps = t.app.get(SettlementService);
    const first = await Promise.allSettled([sweeps.runOnce(), sweeps.runOnce(), sweeps.runOnce()]);
    expect(first.filter((r) => r.status === 'rejected')).toHaveLength(1);
    for (let i = 0; i < 3; i++) await sweeps.runOnce();
    const statuses = await sql<{ status: string }>(
      `SELECT status FROM campaigns WHERE id = ANY($1::uuid[])`,
      [campaigns],
    );
    expect(statuses.map((s) => s.status)).toEqual(campaigns.map(() => 'SETTLED'));

    const receipts = await sql<{
      number: number;
      year: number;
      pledge_id: string;
      charity_id: string;
    }>(`SELECT number, year, pledge_id, charity_id FROM donation_receipts ORDER BY number`);
    expect(receipts.map((r) => r.number)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(new Set(receipts.map((r) => r.pledge_id)).size).toBe(12);
    expect(new Set(receipts.map((r) => `${r.charity_id}:${r.year}`))).toEqual(
      new Set([`${charity.id}:2026`]),
    );
    const settledPledges = await sql<{ id: string }>(
      `SELECT id FROM pledges WHERE campaign_id = ANY($1::uuid[]) AND status = 'SETTLED'`,
      [campaigns],
    );
    expect(new Set(settledPledges.map((p) => p.id))).toEqual(
      new Set(receipts.map((r) => r.pledge_id)),
    );
    expect(
      await sql(`SELECT last_number FROM donation_receipt_counters WHERE charity_id = $1`, [
        charity.id,
      ]),
    ).toEqual([{ last_number: 12 }]);
    // Receipts are append-only.
    await expect(sql(`UPDATE donation_receipts SET amount = 1 WHERE number = 1`)).rejects.toThrow(
      'append-only',
    );

    const mine = await t.http.get('/api/v1/donations/receipts').set(auth(donors[2].token));
    expect(mine.body.items).toHaveLength(4);
    expect(mine.body.nextCursor).toBeNull();
    const receipt = mine.body.items[0];
    expect(receipt).toMatchObject({
      donorNameMasked: '测*',
      amount: '33.33',
      currency: 'CNY',
      charityName: '测试公司',
      charityUscc: charity.uscc,
      year: 2026,
      donatedAt: inDays(10.01),
    });
    expect(receipt.receiptNo).toBe(
      `${charity.uscc}-2026-${String(receipt.number).padStart(6, '0')}`,
    );
    const doc = await t.http
      .get(`/api/v1/donations/receipts/${receipt.id}/document`)
      .set(auth(donors[2].token));
    expect(doc.status).toBe(200);
    expect(doc.headers['content-type']).toMatch(/^text\/html/);
    expect(doc.headers['content-disposition']).toContain('attachment');
    for (const text of [
      receipt.receiptNo,
      '测*',
      '33.33 CNY',
      charity.uscc ?? '-',
      '测试公司',
      '2026-12-08',
    ])
      expect(doc.text).toContain(text);
    expect(
      (await t.http.get(`/api/v1/donations/receipts/${receipt.id}`).set(auth(donors[0].token)))
        .status,
    ).toBe(404);
    expect(
      (await t.http.get(`/api/v1/donations/receipts/${receipt.id}`).set(auth(charity.token)))
        .status,
    ).toBe(200);
    const ofCampaign = await t.http
      .get(`/api/v1/campaigns/${campaigns[0]}/receipts`)
      .set(auth(charity.token));
    expect(ofCampaign.body.items.map((r: { amount: string }) => r.amount).sort()).toEqual(
      [...AMOUNTS].sort(),
    );
  });

  it('fund-use reports: per purpose of the plan, never more than received; donors see spent against raised', async () => {
    const id = campaigns[0];
    const file = (items: object[]) =>
      t.http
        .post(`/api/v1/campaigns/${id}/fund-use-reports`)
        .set(auth(charity.token))
        .send({ items });
    expect(
      (await file([{ purpose: 'Cars', amount: '1.00', evidence: ['INV-1'] }])).body.error.code,
    ).toBe('CHARITY.UNKNOWN_PURPOSE');
    expect(
      (await file([{ purpose: 'Books', amount: '63.84', evidence: ['INV-1'] }])).body.error,
    ).toMatchObject({
      code: 'CHARITY.SPENT_EXCEEDS_RAISED',
      details: { raised: '63.83', spent: '63.84' },
    });
    const filed = await file([
      { purpose: 'Books', amount: '40.00', evidence: ['INV-2026-001', 'photo:shelf-1'] },
      { purpose: 'Shelves', amount: '10.50', evidence: ['INV-2026-002'] },
    ]);
    expect(filed.status).toBe(201);
    const view = await t.http.get(`/api/v1/campaigns/${id}/fund-use`);
    expect(view.body).toMatchObject({
      raised: '63.83',
      received: '63.83',
      spent: '50.50',
      unspent: '13.33',
      reportOverdue: false,
      byPurpose: [
        { purpose: 'Books', planned: '40.00', spent: '40.00' },
        { purpose: 'Shelves', planned: '20.00', spent: '10.50' },
      ],
    });
    expect(view.body.reports).toHaveLength(1);
    expect(
      (await file([{ purpose: 'Shelves', amount: '13.34', evidence: ['x'] }])).body.error.code,
    ).toBe('CHARITY.SPENT_EXCEEDS_RAISED');
  });

  it('a missing report 90 days after settlement notifies the donors and records a credit WARNING, once', async () => {
    const fundUse = t.app.get(FundUse);
    t.clock.set(inDays(100.0));
    expect(await fundUse.noticeOverdue()).toBe(0);
    t.clock.set(inDays(100.02));
    expect(await fundUse.noticeOverdue()).toBe(3); // campaigns 1-3; campaign 0 reported
    expect(await fundUse.noticeOverdue()).toBe(0);
    const notices = await sql<{ n: string }>(
      `SELECT count(*)::text AS n FROM notifications WHERE type = 'charity.report_overdue'`,
    );
    expect(notices[0].n).toBe('9'); // 3 donors x 3 campaigns
    const records = await t.http
      .get(`/api/v1/admin/credit-records?userId=${charity.id}`)
      .set(auth(admin.token));
    expect(
      records.body.items.map((r: { severity: string; source: string }) => [r.severity, r.source]),
    ).toEqual(Array.from({ length: 3 }, () => ['WARNING', 'charity:fund-use-report']));
    expect(
      (await t.http.get(`/api/v1/campaigns/${campaigns[1]}/fund-use`)).body.reportOverdue,
    ).toBe(true);
    expect(
      (await t.http.get(`/api/v1/campaigns/${campaigns[0]}/fund-use`)).body.reportOverdue,
    ).toBe(false);
  });
});
