import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  acknowledgeCampaign,
  cautiousAnswers,
  debtTerms,
  loanTerms,
  pledge,
  readyInvestor,
  rewardTerms,
} from './support/pledging.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

/**
 * CN-SUIT-08/20: the platform, not the founder, rates a product. The founder may propose a rating;
 * ADMIN sets the final one at approval (defaults: equity R5, debt R4, reward/donation R1), and it
 * is recorded with the transition. CAV-02: a PUBLIC equity raise needs an authorisation the CN pack
 * does not grant.
 */
describe('the platform rates campaigns (CN-SUIT-08, CN-SUIT-20) and public equity is refused (CAV-02)', () => {
  let t: TestApp;
  let admin: { id: string; token: string };
  let founder: TestUser;
  let orgFounder: TestUser;
  const as = (token: string) => ({
    post: (p: string, b: object = {}) =>
      t.http.post(`/api/v1${p}`).set('authorization', `Bearer ${token}`).send(b),
    get: (p: string) => t.http.get(`/api/v1${p}`).set('authorization', `Bearer ${token}`),
  });

  /** Creates, discloses and submits; returns the id of the campaign under review. */
  async function underReview(owner: TestUser, terms: object): Promise<string> {
    const created = await as(owner.token).post('/campaigns', terms);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    // Issue 14: a debt campaign is submitted with its loan terms.
    if ((terms as { kind?: string }).kind === 'DEBT')
      await t.http
        .put(`/api/v1/campaigns/${id}/loan-terms`)
        .set('authorization', `Bearer ${owner.token}`)
        .send(loanTerms());
    await as(owner.token).post(`/campaigns/${id}/disclosures`, {
      title: 'Plan',
      body: 'Use of funds.',
      material: false,
    });
    const submitted = await as(owner.token).post(`/campaigns/${id}/submit`);
    expect(submitted.status).toBe(200);
    return id;
  }

  beforeAll(async () => {
    t = await startTestApp({ PLATFORM_LINES: 'EQUITY,DEBT,REWARD,DONATION' }); // PLAT-07: EQUITY campaigns here
    admin = await staffToken(t, 'ADMIN');
    founder = await verifiedUser(t, 'FOUNDER');
    orgFounder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
  });
  afterAll(async () => {
    await t.close();
  });

  it('the founder proposes R1; approval without a rating gives the platform default R4 for debt, recorded in the transition', async () => {
    const id = await underReview(founder, debtTerms({ riskRating: 'R1' }));
    const pending = await as(founder.token).get(`/campaigns/${id}`);
    expect(pending.body).toMatchObject({ riskRating: null, proposedRiskRating: 'R1' });

    const approved = await as(admin.token).post(`/admin/campaigns/${id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'LIVE',
      riskRating: 'R4',
      proposedRiskRating: 'R1',
      ratingReason: 'platform default for debt campaigns (CN-SUIT-20)',
    });
    const transitions = await as(founder.token).get(`/campaigns/${id}/transitions`);
    expect(transitions.body.items.at(-1)).toMatchObject({
      from: 'PENDING_REVIEW',
      to: 'LIVE',
      actorId: admin.id,
      details: { riskRating: 'R4', proposedRiskRating: 'R1', ratingDefaulted: true },
    });

    // The pledge is judged against the platform's R4, not the founder's R1: a C1 investor needs
    // the special warning (CN-SUIT-11).
    const cautious = await readyInvestor(t, { answers: cautiousAnswers() });
    await acknowledgeCampaign(t, cautious, id);
    const refused = await pledge(t, cautious, id, { amount: '100.00' });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({
      code: 'SUITABILITY.SPECIAL_WARNING_REQUIRED',
      details: { productRisk: 'R4' },
    });
  });

  it('ADMIN sets the rating with a reason; equity defaults to R5; reward and donation are R1 only', async () => {
    const debt = await underReview(founder, debtTerms({ riskRating: 'R2' }));
    const rated = await as(admin.token).post(`/admin/campaigns/${debt}/approve`, {
      riskRating: 'R5',
      ratingReason: 'no collateral, first-year borrower',
    });
    expect(rated.body).toMatchObject({
      riskRating: 'R5',
      ratingReason: 'no collateral, first-year borrower',
    });

    const equity = await underReview(
      orgFounder,
      debtTerms({ kind: 'EQUITY', offering: 'PRIVATE', unitPrice: '10.00', riskRating: 'R2' }),
    );
    expect((await as(admin.token).post(`/admin/campaigns/${equity}/approve`)).body).toMatchObject({
      riskRating: 'R5',
    });

    const reward = await underReview(founder, rewardTerms());
    const badRating = await as(admin.token).post(`/admin/campaigns/${reward}/approve`, {
      riskRating: 'R3',
    });
    expect(badRating.status).toBe(400);
    expect(badRating.body.error.details.fields[0].field).toBe('riskRating');
    expect((await as(founder.token).get(`/campaigns/${reward}`)).body.status).toBe(
      'PENDING_REVIEW',
    );
    expect((await as(admin.token).post(`/admin/campaigns/${reward}/approve`)).body).toMatchObject({
      status: 'LIVE',
      riskRating: 'R1',
    });
  });

  it('a rating outside R1..R5 is 400 and the campaign stays under review', async () => {
    const id = await underReview(founder, debtTerms());
    for (const body of [{ riskRating: 'R6' }, { riskRating: 5 }, { ratingReason: '' }]) {
      const res = await as(admin.token).post(`/admin/campaigns/${id}/approve`, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await as(founder.token).get(`/campaigns/${id}`)).body).toMatchObject({
      status: 'PENDING_REVIEW',
      riskRating: null,
    });
  });

  it('CAV-02: a PUBLIC equity raise is refused at submit (422 CAMPAIGN.PUBLIC_EQUITY_NOT_AUTHORISED)', async () => {
    const created = await as(orgFounder.token).post(
      '/campaigns',
      debtTerms({ kind: 'EQUITY', offering: 'PUBLIC', unitPrice: '10.00' }),
    );
    const id = created.body.id as string;
    await as(orgFounder.token).post(`/campaigns/${id}/disclosures`, {
      title: 'Plan',
      body: 'Use of funds.',
      material: false,
    });
    const refused = await as(orgFounder.token).post(`/campaigns/${id}/submit`);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({
      code: 'CAMPAIGN.PUBLIC_EQUITY_NOT_AUTHORISED',
      details: { rule: 'CAV-02' },
    });
    expect((await as(orgFounder.token).get(`/campaigns/${id}`)).body.status).toBe('DRAFT');
  });
});

describe('CAV-02: a pack that allows public equity (publicEquityAllowed)', () => {
  let t: TestApp;
  afterAll(async () => {
    await t.close();
  });

  it('accepts the public equity raise at submit', async () => {
    t = await startTestApp({
      PLATFORM_LINES: 'EQUITY,DEBT,REWARD,DONATION',
      RULE_PACK_OVERRIDES: JSON.stringify({ publicEquityAllowed: true }),
    });
    const orgFounder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    const auth = { authorization: `Bearer ${orgFounder.token}` };
    const created = await t.http
      .post('/api/v1/campaigns')
      .set(auth)
      .send(debtTerms({ kind: 'EQUITY', offering: 'PUBLIC', unitPrice: '10.00' }));
    await t.http
      .post(`/api/v1/campaigns/${created.body.id}/disclosures`)
      .set(auth)
      .send({ title: 'Plan', body: 'Use of funds.', material: false });
    const submitted = await t.http.post(`/api/v1/campaigns/${created.body.id}/submit`).set(auth);
    expect(submitted.status).toBe(200);
  });
});
