import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { debtTerms, loanTerms } from './support/pledging.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, verifiedUser } from './support/users.js';

/**
 * Issue 14: a DEBT campaign carries loan terms (rate capped by the pack, purpose allowed) and is
 * refused at submit when the loan would take its borrower over a CN-P2P-02 cap, with both figures.
 */
describe('loan terms and borrower caps (CN-P2P-02, CN-P2P-05(11))', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const draft = async (token: string, terms: object) => {
    const auth = { authorization: `Bearer ${token}` };
    const created = await t.http.post('/api/v1/campaigns').set(auth).send(terms);
    expect(created.status).toBe(201);
    await t.http
      .post(`/api/v1/campaigns/${created.body.id}/disclosures`)
      .set(auth)
      .send({ title: 'Plan', body: 'Use of funds.', material: false });
    return created.body.id as string;
  };
  const rows = async (table: string, campaignId: string) =>
    (
      await (
        await t.db.client()
      ).query(`SELECT * FROM ${table} WHERE campaign_id = $1`, [campaignId])
    ).rows;

  it('terms are required at submit, validated, and refused over the rate cap with nothing written', async () => {
    const founder = await verifiedUser(t, 'FOUNDER');
    const auth = { authorization: `Bearer ${founder.token}` };
    const id = await draft(founder.token, debtTerms());
    const noTerms = await t.http.post(`/api/v1/campaigns/${id}/submit`).set(auth);
    expect([noTerms.status, noTerms.body.error.code]).toEqual([422, 'LENDING.TERMS_REQUIRED']);

    const put = (over: Record<string, unknown>) =>
      t.http.put(`/api/v1/campaigns/${id}/loan-terms`).set(auth).send(loanTerms(over));
    const tooHigh = await put({ annualRate: '0.2401' });
    expect([tooHigh.status, tooHigh.body.error.code]).toEqual([422, 'LENDING.RATE_ABOVE_CAP']);
    expect(tooHigh.body.error.details).toMatchObject({ rate: '0.2401', cap: '0.2400' });
    const stocks = await put({ purposeCategory: 'STOCKS' });
    expect([stocks.status, stocks.body.error.code]).toEqual([422, 'LENDING.PURPOSE_FORBIDDEN']);
    const numberRate = await put({ annualRate: 0.08 });
    expect(numberRate.status).toBe(400);
    expect(await rows('loan_terms', id)).toHaveLength(0);

    const ok = await put({ annualRate: '0.24' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      annualRate: '0.2400',
      otherPlatformDebt: '0.00',
      dayCountBasis: 365,
    });
    const submitted = await t.http.post(`/api/v1/campaigns/${id}/submit`).set(auth);
    expect(submitted.status).toBe(200);
    const [decision] = await rows('borrower_cap_decisions', id);
    expect(decision).toMatchObject({
      requested: '10000.00',
      outstanding_here: '0.00',
      cap_here: '200000.00',
      cap_all: '1000000.00',
      borrower_kind: 'PERSON',
    });
    expect(decision.rule_pack).toMatch(/^CN@/);
    // Terms lock once it left DRAFT.
    const late = await put({});
    expect([late.status, late.body.error.code]).toEqual([409, 'LENDING.TERMS_LOCKED']);
  });

  it('CN-P2P-02: a person over 200,000 here, or 1,000,000 across platforms, is refused with both figures', async () => {
    const founder = await verifiedUser(t, 'FOUNDER');
    const auth = { authorization: `Bearer ${founder.token}` };
    const here = await draft(
      founder.token,
      debtTerms({ targetAmount: '150000.00', maxAmount: '200000.01' }),
    );
    await t.http.put(`/api/v1/campaigns/${here}/loan-terms`).set(auth).send(loanTerms());
    const overHere = await t.http.post(`/api/v1/campaigns/${here}/submit`).set(auth);
    expect([overHere.status, overHere.body.error.code]).toEqual([
      422,
      'LENDING.BORROWER_CAP_EXCEEDED',
    ]);
    expect(overHere.body.error.details).toMatchObject({
      rule: 'CN-P2P-02',
      scope: 'PLATFORM',
      wouldOwe: '200000.01',
      cap: '200000.00',
      capHere: '200000.00',
      capAll: '1000000.00',
    });
    expect(await rows('borrower_cap_decisions', here)).toHaveLength(0);

    const all = await draft(
      founder.token,
      debtTerms({ targetAmount: '50000.00', maxAmount: '100000.00' }),
    );
    await t.http
      .put(`/api/v1/campaigns/${all}/loan-terms`)
      .set(auth)
      .send(loanTerms({ otherPlatformDebt: '900000.01' }));
    const overAll = await t.http.post(`/api/v1/campaigns/${all}/submit`).set(auth);
    expect(overAll.body.error).toMatchObject({
      code: 'LENDING.BORROWER_CAP_EXCEEDED',
      details: {
        scope: 'ALL_PLATFORMS',
        requested: '100000.00',
        otherPlatformDebt: '900000.01',
        wouldOwe: '1000000.01',
        cap: '1000000.00',
      },
    });
    await t.http
      .put(`/api/v1/campaigns/${all}/loan-terms`)
      .set(auth)
      .send(loanTerms({ otherPlatformDebt: '900000.00' }));
    expect((await t.http.post(`/api/v1/campaigns/${all}/submit`).set(auth)).status).toBe(200);
  });

  it('CN-P2P-02: an organisation may owe 1,000,000 here', async () => {
    const org = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    const auth = { authorization: `Bearer ${org.token}` };
    const id = await draft(
      org.token,
      debtTerms({ targetAmount: '500000.00', maxAmount: '1000000.00' }),
    );
    await t.http.put(`/api/v1/campaigns/${id}/loan-terms`).set(auth).send(loanTerms());
    expect((await t.http.post(`/api/v1/campaigns/${id}/submit`).set(auth)).status).toBe(200);
    expect((await rows('borrower_cap_decisions', id))[0]).toMatchObject({
      borrower_kind: 'ORGANIZATION',
      cap_here: '1000000.00',
      cap_all: '5000000.00',
    });
  });

  it('CN-P2P-02: DEBT campaigns still in flight count against the cap, also when submitted at once', async () => {
    const founder = await verifiedUser(t, 'FOUNDER');
    const auth = { authorization: `Bearer ${founder.token}` };
    const drafted = async (maxAmount: string) => {
      const id = await draft(founder.token, debtTerms({ targetAmount: '50000.00', maxAmount }));
      await t.http.put(`/api/v1/campaigns/${id}/loan-terms`).set(auth).send(loanTerms());
      return id;
    };
    // Two of 120,000 submitted at the same moment: no loan exists yet for either, but together
    // they could owe 240,000 > 200,000. The borrower's submits take turns: one passes.
    const [a, b] = await Promise.all([drafted('120000.00'), drafted('120000.00')]);
    const answers = await Promise.all(
      [a, b].map((id) => t.http.post(`/api/v1/campaigns/${id}/submit`).set(auth)),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 422]);
    const refused = answers.find((r) => r.status === 422)!;
    expect(refused.body.error).toMatchObject({
      code: 'LENDING.BORROWER_CAP_EXCEEDED',
      details: {
        scope: 'PLATFORM',
        requested: '120000.00',
        outstandingHere: '0.00',
        inFlightHere: '120000.00',
        wouldOwe: '240000.00',
        cap: '200000.00',
      },
    });
    const passed = answers[0].status === 200 ? a : b;
    const other = passed === a ? b : a;
    expect(await rows('borrower_cap_decisions', other)).toHaveLength(0);
    expect((await rows('borrower_cap_decisions', passed))[0]).toMatchObject({
      requested: '120000.00',
      in_flight_here: '0.00',
    });

    // 80,000 more fits exactly beside the one in review, and is recorded with it.
    const fits = await drafted('80000.00');
    expect((await t.http.post(`/api/v1/campaigns/${fits}/submit`).set(auth)).status).toBe(200);
    expect((await rows('borrower_cap_decisions', fits))[0]).toMatchObject({
      in_flight_here: '120000.00',
    });

    // Approved, it is LIVE and still counts: 120,000 live + 80,000 in review leave no room.
    const admin = await staffToken(t, 'ADMIN');
    const approved = await t.http
      .post(`/api/v1/admin/campaigns/${passed}/approve`)
      .set({ authorization: `Bearer ${admin.token}` })
      .send({ riskRating: 'R3', ratingReason: 'test: as proposed' });
    expect(approved.body.status).toBe('LIVE');
    const more = await drafted('50000.00');
    const noRoom = await t.http.post(`/api/v1/campaigns/${more}/submit`).set(auth);
    expect(noRoom.body.error).toMatchObject({
      code: 'LENDING.BORROWER_CAP_EXCEEDED',
      details: { inFlightHere: '200000.00', wouldOwe: '250000.00' },
    });

    // Once the live one is cancelled it no longer counts: the refused one now fits.
    const cancelled = await t.http
      .post(`/api/v1/campaigns/${passed}/cancel`)
      .set(auth)
      .send({ reason: 'Withdrawn' });
    expect(cancelled.status).toBe(200);
    const again = await t.http.post(`/api/v1/campaigns/${other}/submit`).set(auth);
    expect(again.status).toBe(200);
    expect((await rows('borrower_cap_decisions', other))[0]).toMatchObject({
      in_flight_here: '80000.00',
    });
  });
});
