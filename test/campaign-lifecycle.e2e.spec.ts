import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { RiskDisclosureService } from '../src/modules/risk-disclosure/risk-disclosure.service.js';
import { type CreatedCampaign, deliveryPlan, loanTerms } from './support/pledging.js';
import { startTestApp, type TestApp, TEST_START } from './support/test-app.js';
import { registerAndLogin, staffToken, type TestUser, verifiedUser } from './support/users.js';

const inDays = (days: number) => new Date(Date.parse(TEST_START) + days * 86_400_000).toISOString();

const debt = (over: Record<string, unknown> = {}) => ({
  kind: 'DEBT',
  offering: 'PUBLIC',
  fundingModel: 'ALL_OR_NOTHING',
  title: 'Bakery expansion loan',
  summary: 'Two new ovens and a shop front.',
  targetAmount: '100000.00',
  maxAmount: '150000.00',
  minPledge: '100.00',
  deadline: inDays(30),
  riskRating: 'R3',
  ...over,
});

describe('campaign lifecycle to LIVE (DESIGN §6)', () => {
  let t: TestApp;
  let admin: { id: string; token: string };
  let founder: TestUser;
  let orgFounder: TestUser;
  const api = (token: string) => ({
    get: (p: string) => t.http.get(`/api/v1${p}`).set('authorization', `Bearer ${token}`),
    post: (p: string, b?: object) =>
      t.http
        .post(`/api/v1${p}`)
        .set('authorization', `Bearer ${token}`)
        .send(b ?? {}),
    patch: (p: string, b: object) =>
      t.http.patch(`/api/v1${p}`).set('authorization', `Bearer ${token}`).send(b),
  });
  const create = async (u: TestUser, body: object) => {
    const res = await api(u.token).post('/campaigns', body);
    if (res.status !== 201) throw new Error(`create failed ${res.status} ${res.text}`);
    // Issue 14: a debt campaign is submitted with its loan terms.
    if ((body as { kind?: string }).kind === 'DEBT')
      await t.http
        .put(`/api/v1/campaigns/${res.body.id}/loan-terms`)
        .set('authorization', `Bearer ${u.token}`)
        .send(loanTerms());
    const disclosure = {
      title: 'Financing plan',
      body: 'Business model, team, finances, use of funds.',
      material: false,
    };
    await api(u.token).post(`/campaigns/${res.body.id}/disclosures`, disclosure);
    return res.body as CreatedCampaign & { id: string; status: string };
  };
  const goLive = async (u: TestUser, body: object) => {
    const c = await create(u, body);
    await deliveryPlan(t, u, c.id, c); // RW-03 (issue 16): reward tiers state a month
    expect((await api(u.token).post(`/campaigns/${c.id}/submit`)).status).toBe(200);
    expect((await api(admin.token).post(`/admin/campaigns/${c.id}/approve`)).status).toBe(200);
    return c;
  };

  beforeAll(async () => {
    t = await startTestApp({ PLATFORM_LINES: 'EQUITY,DEBT,REWARD,DONATION' }); // PLAT-07: EQUITY campaigns here
    admin = await staffToken(t, 'ADMIN');
    orgFounder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
  });
  // A founder per test: a person may have at most 200,000 of DEBT campaigns in flight (CN-P2P-02),
  // and each test submits its own 150,000 ones.
  beforeEach(async () => {
    founder = await verifiedUser(t, 'FOUNDER');
  });
  afterAll(async () => {
    await t.close();
  });

  it('DRAFT -> PENDING_REVIEW -> LIVE, every transition recorded with who, when and why', async () => {
    const c = await create(founder, debt());
    expect(c).toMatchObject({
      status: 'DRAFT',
      committed: '0.00',
      investorCount: 0,
      remaining: '150000.00',
      feeRate: '0.03000',
    });
    const submitted = await api(founder.token).post(`/campaigns/${c.id}/submit`);
    expect(submitted.body.status).toBe('PENDING_REVIEW');
    const live = await api(admin.token).post(`/admin/campaigns/${c.id}/approve`, {
      riskRating: 'R4',
      ratingReason: 'unsecured loan to a young company',
    });
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ status: 'LIVE', publishedAt: TEST_START, riskRating: 'R4' });
    const transitions = await api(founder.token).get(`/campaigns/${c.id}/transitions`);
    expect(transitions.body.nextCursor).toBeNull();
    expect(transitions.body.items).toEqual([
      {
        from: null,
        to: 'DRAFT',
        actorId: founder.id,
        reason: null,
        details: {},
        occurredAt: TEST_START,
      },
      {
        from: 'DRAFT',
        to: 'PENDING_REVIEW',
        actorId: founder.id,
        reason: null,
        details: {},
        occurredAt: TEST_START,
      },
      {
        from: 'PENDING_REVIEW',
        to: 'LIVE',
        actorId: admin.id,
        reason: 'unsecured loan to a young company',
        details: {
          riskRating: 'R4',
          proposedRiskRating: 'R3',
          ratingReason: 'unsecured loan to a young company',
          ratingDefaulted: false,
          rules: ['CN-SUIT-08', 'CN-SUIT-20'],
        },
        occurredAt: TEST_START,
      },
    ]);
  });

  it('reject with a reason, edit returns it to DRAFT, resubmit', async () => {
    const c = await create(founder, debt());
    await api(founder.token).post(`/campaigns/${c.id}/submit`);
    const rejected = await api(admin.token).post(`/admin/campaigns/${c.id}/reject`, {
      reason: 'use of funds unclear',
    });
    expect(rejected.body).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'use of funds unclear',
    });
    expect((await api(admin.token).post(`/admin/campaigns/${c.id}/reject`, {})).status).toBe(400);
    const edited = await api(founder.token).patch(`/campaigns/${c.id}`, {
      summary: 'Two ovens (80k) and a shop front (20k).',
    });
    expect(edited.body).toMatchObject({ status: 'DRAFT', rejectionReason: null });
    expect((await api(founder.token).post(`/campaigns/${c.id}/submit`)).body.status).toBe(
      'PENDING_REVIEW',
    );
  });

  it.each([
    ['approve a DRAFT', 'draft', 'approve'],
    ['reject a LIVE campaign', 'live', 'reject'],
    ['submit a LIVE campaign', 'live', 'submit'],
    ['edit a LIVE campaign', 'live', 'edit'],
    ['approve a CANCELLED campaign', 'cancelled', 'approve'],
  ])('illegal transition: %s is 409 CAMPAIGN.INVALID_STATE', async (_name, state, action) => {
    const c = state === 'live' ? await goLive(founder, debt()) : await create(founder, debt());
    if (state === 'cancelled') await api(founder.token).post(`/campaigns/${c.id}/cancel`);
    const res =
      action === 'approve'
        ? await api(admin.token).post(`/admin/campaigns/${c.id}/approve`)
        : action === 'reject'
          ? await api(admin.token).post(`/admin/campaigns/${c.id}/reject`, { reason: 'x' })
          : action === 'submit'
            ? await api(founder.token).post(`/campaigns/${c.id}/submit`)
            : await api(founder.token).patch(`/campaigns/${c.id}`, { title: 'new' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CAMPAIGN.INVALID_STATE');
  });

  it("another founder's campaign is 404 for edit, submit, cancel and drafts are invisible to others", async () => {
    const c = await create(founder, debt());
    const other = await verifiedUser(t, 'FOUNDER');
    for (const res of [
      await api(other.token).patch(`/campaigns/${c.id}`, { title: 'mine now' }),
      await api(other.token).post(`/campaigns/${c.id}/submit`),
      await api(other.token).post(`/campaigns/${c.id}/cancel`),
      await api(other.token).get(`/campaigns/${c.id}`),
    ]) {
      expect(res.status).toBe(404);
    }
    expect((await api(founder.token).get(`/campaigns/${c.id}`)).status).toBe(200);
  });

  it('roles: an investor cannot create, a founder cannot approve (403 AUTH.FORBIDDEN)', async () => {
    const investor = await verifiedUser(t);
    expect((await api(investor.token).post('/campaigns', debt())).status).toBe(403);
    const c = await create(founder, debt());
    await api(founder.token).post(`/campaigns/${c.id}/submit`);
    const self = await api(founder.token).post(`/admin/campaigns/${c.id}/approve`);
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('AUTH.FORBIDDEN');
  });

  it('CN-ECF-07: a campaign without a disclosure cannot be submitted (422 CAMPAIGN.DISCLOSURE_REQUIRED)', async () => {
    const res = await api(founder.token).post('/campaigns', debt());
    const refused = await api(founder.token).post(`/campaigns/${res.body.id}/submit`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('CAMPAIGN.DISCLOSURE_REQUIRED');
  });

  it('PLAT-01: an unverified founder cannot submit (403 IDENTITY.REAL_NAME_REQUIRED)', async () => {
    const unverified = await registerAndLogin(t, 'FOUNDER');
    const c = await create(unverified, debt());
    const res = await api(unverified.token).post(`/campaigns/${c.id}/submit`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('IDENTITY.REAL_NAME_REQUIRED');
  });

  it('CN-ECF-06: equity needs an organisation founder; PLAT-08: donation needs a qualified charity', async () => {
    const equity = debt({ kind: 'EQUITY', unitPrice: '10.00', riskRating: 'R4' });
    const personal = await create(founder, equity);
    const refused = await api(founder.token).post(`/campaigns/${personal.id}/submit`);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({
      code: 'CAMPAIGN.FOUNDER_NOT_ELIGIBLE',
      details: { rule: 'CN-ECF-06' },
    });
    const corporate = await create(orgFounder, { ...equity, offering: 'PRIVATE' });
    expect((await api(orgFounder.token).post(`/campaigns/${corporate.id}/submit`)).status).toBe(
      200,
    );

    const donation = {
      kind: 'DONATION',
      fundingModel: 'FLEXIBLE',
      title: 'Flood relief',
      summary: 's',
      targetAmount: '5000.00',
      maxAmount: '9000.00',
      minPledge: '1.00',
      deadline: inDays(20),
    };
    const d = await create(orgFounder, donation);
    const notCharity = await api(orgFounder.token).post(`/campaigns/${d.id}/submit`);
    expect(notCharity.body.error).toMatchObject({
      code: 'CAMPAIGN.FOUNDER_NOT_ELIGIBLE',
      details: { rule: 'PLAT-08' },
    });
    expect(
      (
        await api(admin.token).post('/admin/charities', {
          userId: founder.id,
          certificateReference: 'C-1',
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await api(admin.token).post('/admin/charities', {
          userId: orgFounder.id,
          certificateReference: 'MCA-2026-001',
        })
      ).status,
    ).toBe(201);
    // PLAT-08 (issue 16): the campaign names its charity and a fund-use plan before submit.
    const plan = await t.http
      .put(`/api/v1/campaigns/${d.id}/charity-plan`)
      .set('authorization', `Bearer ${orgFounder.token}`)
      .send({
        charityUscc: orgFounder.uscc,
        fundUsePlan: [{ purpose: 'Relief', amount: '5000.00' }],
      });
    expect(plan.status).toBe(200);
    expect((await api(orgFounder.token).post(`/campaigns/${d.id}/submit`)).status).toBe(200);
  });

  it('PLAT-03: a BLOCKING credit record stops submission; lifting it lets the founder in again', async () => {
    const blocked = await verifiedUser(t, 'FOUNDER');
    const c = await create(blocked, debt());
    const record = await api(admin.token).post('/admin/credit-records', {
      userId: blocked.id,
      kind: 'FRAUD',
      severity: 'BLOCKING',
      source: 'PLATFORM',
      note: 'forged invoices',
    });
    expect(record.status).toBe(201);
    const refused = await api(blocked.token).post(`/campaigns/${c.id}/submit`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('CREDIT.MARKET_ACCESS_DENIED');
    expect(
      (
        await api(admin.token).post(`/admin/credit-records/${record.body.id}/lift`, {
          reason: 'court cleared',
        })
      ).status,
    ).toBe(200);
    expect((await api(blocked.token).post(`/campaigns/${c.id}/submit`)).status).toBe(200);
  });

  it('cancel: the founder before any pledge, the admin with a reason; both recorded', async () => {
    const c = await goLive(founder, debt());
    const cancelled = await api(founder.token).post(`/campaigns/${c.id}/cancel`, {
      reason: 'supplier fell through',
    });
    expect(cancelled.body.status).toBe('CANCELLED');
    const d = await goLive(founder, debt());
    expect(
      (
        await api(admin.token).post(`/admin/campaigns/${d.id}/cancel`, {
          reason: 'complaint upheld',
        })
      ).body.status,
    ).toBe('CANCELLED');
    const log = await api(admin.token).get(`/campaigns/${d.id}/transitions`);
    expect(log.body.items.at(-1)).toMatchObject({
      from: 'LIVE',
      to: 'CANCELLED',
      actorId: admin.id,
      reason: 'complaint upheld',
    });
  });

  it.each([
    ['a deadline in the past', { deadline: '2020-01-01T00:00:00Z' }, 'deadline'],
    ['a deadline beyond 60 days', { deadline: inDays(61) }, 'deadline'],
    ['maxAmount below the target', { maxAmount: '99999.99' }, 'maxAmount'],
    ['an unknown risk rating', { riskRating: 'R6' }, 'riskRating'],
    ['FLEXIBLE funding for debt', { fundingModel: 'FLEXIBLE' }, 'fundingModel'],
    ['an investor cap on a public offering', { investorCap: 10 }, 'investorCap'],
    ['a JSON number amount', { targetAmount: 100000 }, 'targetAmount'],
    ['maxPledge below minPledge', { maxPledge: '50.00' }, 'maxPledge'],
    [
      'reward tiers on a debt campaign',
      { rewardTiers: [{ title: 'mug', amount: '100.00', stock: 5 }] },
      'rewardTiers',
    ],
    ['an unknown field', { yield: '12%' }, 'yield'],
  ])('%s is 400 naming the field, nothing written', async (_name, over, field) => {
    const before = await (await t.db.client()).query('SELECT count(*)::int AS n FROM campaigns');
    const res = await api(founder.token).post('/campaigns', debt(over));
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    const after = await (await t.db.client()).query('SELECT count(*)::int AS n FROM campaigns');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('CN-ECF-04: private equity defaults to a 200-investor cap, unrated until approval; equity pledges are whole units', async () => {
    const c = await create(
      orgFounder,
      debt({
        kind: 'EQUITY',
        offering: 'PRIVATE',
        unitPrice: '25.00',
        riskRating: undefined,
        minPledge: '100.00',
      }),
    );
    expect(c).toMatchObject({
      riskRating: null,
      proposedRiskRating: null,
      investorCap: 200,
      unitPrice: '25.00',
    });
    const bad = await api(orgFounder.token).post(
      '/campaigns',
      debt({ kind: 'EQUITY', unitPrice: '30.00', minPledge: '100.00' }),
    );
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(
      'minPledge',
    );
    const tooMany = await api(orgFounder.token).post(
      '/campaigns',
      debt({ kind: 'EQUITY', offering: 'PRIVATE', unitPrice: '25.00', investorCap: 201 }),
    );
    expect(tooMany.status).toBe(400);
  });

  it('disclosures: sha256 of the exact body, stale acknowledgements refused, material changes announced', async () => {
    const c = await goLive(founder, debt());
    const published = await api(founder.token).post(`/campaigns/${c.id}/disclosures`, {
      title: 'Financing plan',
      body: 'Business model, management, finances, use of funds.',
      material: false,
    });
    expect(published.status).toBe(201);
    expect(published.body.version).toBe(2); // version 1 was published before submission
    const investor = await verifiedUser(t);
    const current = await api(investor.token).get(`/campaigns/${c.id}/disclosures/current`);
    expect(current.body.sha256).toBe(
      createHash('sha256').update(current.body.body, 'utf8').digest('hex'),
    );
    expect(current.body.body).toContain('use of funds'); // the founder's text, then the platform's warning
    const receipt = await api(investor.token).post(`/campaigns/${c.id}/disclosures/2/acknowledge`);
    expect(receipt.status).toBe(201);
    expect(receipt.body.documentSha256).toBe(current.body.sha256);

    const changes: unknown[] = [];
    const subscription = t.app
      .get(RiskDisclosureService)
      .materialChanges$.subscribe((e) => changes.push(e));
    try {
      const v2 = await api(founder.token).post(`/campaigns/${c.id}/disclosures`, {
        title: 'Revised plan',
        body: 'The shop front is dropped.',
        material: true,
      });
      expect(v2.body.version).toBe(3);
      expect(changes).toEqual([expect.objectContaining({ campaignId: c.id, version: 3 })]);
    } finally {
      subscription.unsubscribe();
    }
    const stale = await api(investor.token).post(`/campaigns/${c.id}/disclosures/2/acknowledge`);
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({
      code: 'DISCLOSURE.STALE_VERSION',
      details: { currentVersion: 3 },
    });
    const other = await verifiedUser(t, 'FOUNDER');
    expect(
      (
        await api(other.token).post(`/campaigns/${c.id}/disclosures`, {
          title: 't',
          body: 'b',
          material: false,
        })
      ).status,
    ).toBe(404);
    const unverified = await registerAndLogin(t);
    expect((await api(unverified.token).get(`/campaigns/${c.id}/disclosures/current`)).status).toBe(
      403,
    );
  });

  it('reward campaigns carry tiers with stock; progress updates by the founder', async () => {
    const c = await goLive(founder, {
      kind: 'REWARD',
      fundingModel: 'ALL_OR_NOTHING',
      title: 'Tea set',
      summary: 's',
      targetAmount: '10000.00',
      maxAmount: '20000.00',
      minPledge: '50.00',
      deadline: inDays(30),
      rewardTiers: [
        { title: 'Cup', amount: '50.00', stock: 100 },
        { title: 'Full set', amount: '300.00', stock: 5 },
      ],
    });
    const detail = await api(founder.token).get(`/campaigns/${c.id}`);
    expect(
      detail.body.rewardTiers.map((r: { title: string; remaining: number }) => [
        r.title,
        r.remaining,
      ]),
    ).toEqual([
      ['Cup', 100],
      ['Full set', 5],
    ]);
    const update = await api(founder.token).post(`/campaigns/${c.id}/updates`, {
      title: 'Kiln fired',
      body: 'First batch done.',
    });
    expect(update.status).toBe(201);
    const investor = await registerAndLogin(t);
    expect(
      (await api(investor.token).get(`/campaigns/${c.id}/updates`)).body.items.map(
        (u: { title: string }) => u.title,
      ),
    ).toEqual(['Kiln fired']);
  });
});

describe('campaign visibility (CN-ECF-02, CN-ECF-03, PLAT-01)', () => {
  let t: TestApp;
  let publicDebt: string;
  let privateEquity: string;
  let reward: string;
  const get = (token: string, p: string) =>
    t.http.get(`/api/v1${p}`).set('authorization', `Bearer ${token}`);

  beforeAll(async () => {
    t = await startTestApp({ PLATFORM_LINES: 'EQUITY,DEBT,REWARD,DONATION' }); // PLAT-07: EQUITY campaigns here
    const admin = await staffToken(t, 'ADMIN');
    const org = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    const live = async (body: object) => {
      const c = await t.http
        .post('/api/v1/campaigns')
        .set('authorization', `Bearer ${org.token}`)
        .send(body);
      if ((body as { kind?: string }).kind === 'DEBT')
        await t.http
          .put(`/api/v1/campaigns/${c.body.id}/loan-terms`)
          .set('authorization', `Bearer ${org.token}`)
          .send(loanTerms());
      await t.http
        .post(`/api/v1/campaigns/${c.body.id}/disclosures`)
        .set('authorization', `Bearer ${org.token}`)
        .send({ title: 'Plan', body: 'Use of funds.', material: false });
      await t.http
        .post(`/api/v1/campaigns/${c.body.id}/submit`)
        .set('authorization', `Bearer ${org.token}`);
      await t.http
        .post(`/api/v1/admin/campaigns/${c.body.id}/approve`)
        .set('authorization', `Bearer ${admin.token}`);
      return c.body.id as string;
    };
    publicDebt = await live(debt());
    privateEquity = await live(
      debt({ kind: 'EQUITY', offering: 'PRIVATE', unitPrice: '100.00', riskRating: undefined }),
    );
    reward = await live({
      kind: 'REWARD',
      fundingModel: 'FLEXIBLE',
      title: 'Mugs',
      summary: 's',
      targetAmount: '1000.00',
      maxAmount: '2000.00',
      minPledge: '10.00',
      deadline: inDays(10),
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const listed = async (token: string) =>
    ((await get(token, '/campaigns?pageSize=100')).body.items as { id: string }[])
      .map((c) => c.id)
      .sort();

  it('an unverified investor sees reward campaigns only; equity/debt details are 403 IDENTITY.REAL_NAME_REQUIRED', async () => {
    const u = await registerAndLogin(t);
    expect(await listed(u.token)).toEqual([reward]);
    const res = await get(u.token, `/campaigns/${publicDebt}`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('IDENTITY.REAL_NAME_REQUIRED');
    expect((await get(u.token, `/campaigns/${reward}`)).status).toBe(200);
  });

  it('a verified, unqualified investor sees public offerings; the private one is 403 CLASSIFICATION.NOT_QUALIFIED', async () => {
    const u = await verifiedUser(t);
    expect(await listed(u.token)).toEqual([publicDebt, reward].sort());
    const res = await get(u.token, `/campaigns/${privateEquity}`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CLASSIFICATION.NOT_QUALIFIED');
  });

  it('a verified, qualified investor sees everything LIVE; when qualification expires, the private one disappears', async () => {
    const u = await verifiedUser(t);
    const sql = await t.db.client();
    await sql.query(
      `INSERT INTO investor_profiles (user_id, category, qualified_until, updated_at) VALUES ($1, 'ORDINARY', $2, now())`,
      [u.id, new Date(Date.parse(TEST_START) + 86_400_000)],
    );
    expect(await listed(u.token)).toEqual([publicDebt, privateEquity, reward].sort());
    expect((await get(u.token, `/campaigns/${privateEquity}`)).status).toBe(200);
    t.clock.advanceHours(25);
    try {
      expect(await listed(u.token)).toEqual([publicDebt, reward].sort());
    } finally {
      t.clock.set(TEST_START);
    }
  });

  it('staff see every status; a cursor continues the list to its end', async () => {
    const admin = await staffToken(t, 'ADMIN');
    const page = await get(admin.token, '/campaigns?pageSize=2');
    expect(page.body).toMatchObject({ pageSize: 2 });
    expect(page.body.items).toHaveLength(2);
    const rest = await get(
      admin.token,
      `/campaigns?pageSize=2&cursor=${encodeURIComponent(page.body.nextCursor as string)}`,
    );
    expect(rest.body.items).toHaveLength(1);
    expect(rest.body.nextCursor).toBeNull();
    const ids = [...page.body.items, ...rest.body.items].map((c: { id: string }) => c.id);
    expect(new Set(ids).size).toBe(3);
    expect((await get(admin.token, '/campaigns?pageSize=500')).status).toBe(400);
    expect((await get(admin.token, '/campaigns?kind=SPACESHIP')).status).toBe(400);
  });
});
