import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ClassificationService } from '../src/modules/investor-classification/classification.service.js';
import { QUESTIONNAIRE_CN_V1 } from '../src/modules/investor-classification/questionnaire-cn-v1.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { registerAndLogin, type TestUser, staffToken } from './support/users.js';

/** One answer per question: the highest-scoring option unless `pick` says otherwise. */
const answers = (pick: Record<string, string> = {}) =>
  QUESTIONNAIRE_CN_V1.questions.map((q) => ({
    questionId: q.id,
    optionId: pick[q.id] ?? [...q.options].sort((a, b) => b.score - a.score)[0].id,
  }));
const SHA = 'a'.repeat(64);

describe('investor classification over HTTP (PLAT-09, CN-SUIT-03..07, CN-SUIT-18, CN-ECF-03)', () => {
  let t: TestApp;
  let admin: string;
  const as = (token: string) => ({
    get: (path: string) => t.http.get(`/api/v1${path}`).set('authorization', `Bearer ${token}`),
    post: (path: string, body?: object) =>
      t.http
        .post(`/api/v1${path}`)
        .set('authorization', `Bearer ${token}`)
        .send(body ?? {}),
    put: (path: string, body: object) =>
      t.http.put(`/api/v1${path}`).set('authorization', `Bearer ${token}`).send(body),
  });
  const count = async (table: string) =>
    Number(
      (await (await t.db.client()).query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`))
        .rows[0].n,
    );

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await staffToken(t, 'ADMIN')).token; // issue 13: staff sign in with TOTP
  });
  afterAll(async () => {
    await t.close();
  });

  it('the questionnaire is versioned and does not reveal its scoring', async () => {
    const u = await registerAndLogin(t);
    const res = await as(u.token).get('/risk-questionnaire');
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(QUESTIONNAIRE_CN_V1.version);
    expect(res.body.questions.length).toBeGreaterThanOrEqual(10);
    expect(JSON.stringify(res.body)).not.toMatch(/score|lowestCategory/);
  });

  it('CN-SUIT-07/18: an assessment round trip, valid for 3 years, then expired (fixed clock)', async () => {
    const u = await registerAndLogin(t);
    const res = await as(u.token).post('/investors/me/assessment', {
      questionnaireVersion: QUESTIONNAIRE_CN_V1.version,
      answers: answers(),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      score: 100,
      riskLevel: 'C5',
      lowestCategory: false,
      rulePack: 'CN@2026.1',
    });
    expect(res.body.validUntil).toBe(
      new Date(Date.parse('2026-11-28T02:00:00.000Z') + 1095 * 86_400_000).toISOString(),
    );
    const profile = await as(u.token).get('/investors/me/profile');
    expect(profile.body.assessment).toMatchObject({ riskLevel: 'C5', status: 'VALID' });
    const service = t.app.get(ClassificationService);
    await expect(service.requireValidAssessment(u.id)).resolves.toMatchObject({ riskLevel: 'C5' });

    t.clock.advanceMs(1095 * 86_400_000);
    try {
      expect((await as(u.token).get('/investors/me/profile')).body.assessment.status).toBe(
        'EXPIRED',
      );
      await expect(service.requireValidAssessment(u.id)).rejects.toMatchObject({
        code: 'CLASSIFICATION.ASSESSMENT_EXPIRED',
      });
    } finally {
      t.clock.set('2026-11-28T02:00:00.000Z');
    }
    const fresh = await registerAndLogin(t);
    await expect(service.requireValidAssessment(fresh.id)).rejects.toMatchObject({
      code: 'CLASSIFICATION.ASSESSMENT_REQUIRED',
    });
  });

  it('CN-SUIT-10: an answer of "no loss acceptable" makes the investor C1 lowest category', async () => {
    const u = await registerAndLogin(t);
    const res = await as(u.token).post('/investors/me/assessment', {
      questionnaireVersion: QUESTIONNAIRE_CN_V1.version,
      answers: answers({ q10: 'q10a' }),
    });
    expect(res.body).toMatchObject({ riskLevel: 'C1', lowestCategory: true });
  });

  it('a tampered or stale questionnaire version is 409 and stores nothing', async () => {
    const u = await registerAndLogin(t);
    const before = await count('investor_assessments');
    const res = await as(u.token).post('/investors/me/assessment', {
      questionnaireVersion: 'CN-2020.1',
      answers: answers(),
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'CLASSIFICATION.QUESTIONNAIRE_VERSION_MISMATCH',
      details: { currentVersion: QUESTIONNAIRE_CN_V1.version },
    });
    expect(await count('investor_assessments')).toBe(before);
  });

  it.each([
    ['an unknown question', () => [...answers().slice(1), { questionId: 'q99', optionId: 'q99a' }]],
    ['an unknown option', () => answers({ q03: 'q03z' })],
    ['a missing answer', () => answers().slice(1)],
    ['a duplicated answer', () => [...answers(), answers()[0]]],
  ])('%s is 400 with the field named, nothing stored', async (_name, build) => {
    const u = await registerAndLogin(t);
    const before = await count('investor_assessments');
    const res = await as(u.token).post('/investors/me/assessment', {
      questionnaireVersion: QUESTIONNAIRE_CN_V1.version,
      answers: build(),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.fields[0].field).toMatch(/^answers/);
    expect(await count('investor_assessments')).toBe(before);
  });

  it.each([
    ['a negative figure', { annualIncome: '-1.00' }, 'annualIncome'],
    ['a float as a JSON number', { financialAssets: 1000.5 }, 'financialAssets'],
    ['three decimals', { netWorth: '10.005' }, 'netWorth'],
    ['fractional experience', { investmentExperienceYears: 1.5 }, 'investmentExperienceYears'],
  ])(
    'financials with %s are 400 naming the field, nothing stored',
    async (_name, override, field) => {
      const u = await registerAndLogin(t);
      const before = await count('investor_financials');
      const body = {
        annualIncome: '100.00',
        financialAssets: '100.00',
        netWorth: '100.00',
        investmentExperienceYears: 1,
        ...override,
      };
      const res = await as(u.token).put('/investors/me/financials', body);
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual([field]);
      expect(await count('investor_financials')).toBe(before);
    },
  );

  it('the CN limit follows the declared figures (D: min(500k, max(20k, 10% x max(income, assets))))', async () => {
    const u = await registerAndLogin(t);
    expect((await as(u.token).get('/investors/me/profile')).body.limits).toMatchObject({
      annualLimit: '20000.00',
      remaining: '20000.00',
      usedLast12Months: '0.00',
      rulePack: 'CN@2026.1',
    });
    await as(u.token).put('/investors/me/financials', {
      annualIncome: '300000.00',
      financialAssets: '123456.78',
      netWorth: '0.00',
      investmentExperienceYears: 0,
    });
    expect((await as(u.token).get('/investors/me/profile')).body.limits).toMatchObject({
      annualLimit: '30000.00',
      remaining: '30000.00',
    });
  });

  it('a qualification application is decided by ADMIN only, against the thresholds, once', async () => {
    const u: TestUser = await registerAndLogin(t);
    const applied = await as(u.token).post('/investors/me/applications', {
      type: 'QUALIFIED',
      evidence: [{ kind: 'BANK_STATEMENT', reference: 'doc-1', sha256: SHA }],
    });
    expect(applied.status).toBe(201);
    expect(applied.body.status).toBe('PENDING');
    const again = await as(u.token).post('/investors/me/applications', {
      type: 'QUALIFIED',
      evidence: [{ kind: 'X', reference: 'doc-2', sha256: SHA }],
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CLASSIFICATION.APPLICATION_PENDING');

    expect((await as(u.token).post(`/admin/applications/${applied.body.id}/approve`)).status).toBe(
      403,
    );
    expect((await as(u.token).get('/admin/applications')).status).toBe(403);

    const noFigures = await as(admin).post(`/admin/applications/${applied.body.id}/approve`);
    expect(noFigures.status).toBe(422);
    expect(noFigures.body.error.code).toBe('CLASSIFICATION.FINANCIALS_REQUIRED');
    await as(u.token).put('/investors/me/financials', {
      annualIncome: '499999.99',
      financialAssets: '2999999.99',
      netWorth: '0.00',
      investmentExperienceYears: 3,
    });
    const short = await as(admin).post(`/admin/applications/${applied.body.id}/approve`);
    expect(short.status).toBe(422);
    expect(short.body.error.code).toBe('CLASSIFICATION.THRESHOLDS_NOT_MET');
    await as(u.token).put('/investors/me/financials', {
      annualIncome: '500000.00',
      financialAssets: '0.00',
      netWorth: '0.00',
      investmentExperienceYears: 3,
    });

    const listed = await as(admin).get('/admin/applications?status=PENDING');
    expect(listed.body.items.map((a: { id: string }) => a.id)).toContain(applied.body.id);
    const approved = await as(admin).post(`/admin/applications/${applied.body.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'APPROVED',
      decisionInputs: { rulePack: 'CN@2026.1', rules: ['CN-ECF-03(5)', 'CN-PF-01'] },
    });
    expect(approved.body.decidedBy).toBeTruthy();
    const profile = (await as(u.token).get('/investors/me/profile')).body;
    expect(profile).toMatchObject({
      qualified: true,
      category: 'ORDINARY',
      limits: { annualLimit: 'UNLIMITED', remaining: 'UNLIMITED' },
    });
    expect(profile.qualifiedUntil).toBe(
      new Date(Date.parse('2026-11-28T02:00:00.000Z') + 365 * 86_400_000).toISOString(),
    );

    const twice = await as(admin).post(`/admin/applications/${applied.body.id}/reject`, {
      reason: 'late',
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('CLASSIFICATION.APPLICATION_DECIDED');
    expect((await as(admin).post('/admin/applications/not-a-uuid/approve')).status).toBe(400);
    expect((await as(admin).post(`/admin/applications/${randomUUID()}/approve`)).status).toBe(404);
  });

  it('CN-SUIT-04/03: opt-up to professional, then opt down; a rejection carries its reason', async () => {
    const u = await registerAndLogin(t);
    await as(u.token).put('/investors/me/financials', {
      annualIncome: '300000.00',
      financialAssets: '0.00',
      netWorth: '0.00',
      investmentExperienceYears: 1,
    });
    const rejected = await as(u.token).post('/investors/me/applications', {
      type: 'PROFESSIONAL',
      evidence: [{ kind: 'TAX', reference: 'r1', sha256: SHA }],
    });
    const rejection = await as(admin).post(`/admin/applications/${rejected.body.id}/reject`, {
      reason: 'evidence unreadable',
    });
    expect(rejection.body).toMatchObject({ status: 'REJECTED', reason: 'evidence unreadable' });
    expect(
      (await as(admin).post(`/admin/applications/${rejected.body.id}/reject`, {})).status,
    ).toBe(400);

    const applied = await as(u.token).post('/investors/me/applications', {
      type: 'PROFESSIONAL',
      evidence: [{ kind: 'TAX', reference: 'r2', sha256: SHA }],
    });
    expect((await as(admin).post(`/admin/applications/${applied.body.id}/approve`)).status).toBe(
      200,
    );
    expect((await as(u.token).get('/investors/me/profile')).body).toMatchObject({
      category: 'PROFESSIONAL',
      limits: { annualLimit: 'UNLIMITED' },
    });
    const down = await as(u.token).post('/investors/me/opt-down');
    expect(down.status).toBe(200);
    expect(down.body).toMatchObject({ category: 'ORDINARY', limits: { annualLimit: '30000.00' } });
    const again = await as(u.token).post('/investors/me/opt-down');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CLASSIFICATION.NOT_PROFESSIONAL');
  });

  it('bad applications are 400: no evidence, a bad hash, an unknown type, an array for a document', async () => {
    const u = await registerAndLogin(t);
    for (const body of [
      { type: 'QUALIFIED', evidence: [] },
      // found by the API fuzz (seed 1236162347): an array element passed ValidateNested unchecked
      { type: 'QUALIFIED', evidence: [[]] },
      { type: 'QUALIFIED', evidence: [{ kind: 'X', reference: 'r', sha256: 'abc' }] },
      { type: 'ACCREDITED', evidence: [{ kind: 'X', reference: 'r', sha256: SHA }] },
    ]) {
      const res = await as(u.token).post('/investors/me/applications', body);
      expect(res.status).toBe(400);
    }
    const written = await (
      await t.db.client()
    ).query<{ n: string }>(
      `SELECT count(*)::text AS n FROM classification_applications WHERE user_id = $1`,
      [u.id],
    );
    expect(written.rows[0].n).toBe('0'); // nothing written
    const founder = await registerAndLogin(t, 'FOUNDER');
    expect((await as(founder.token).get('/investors/me/profile')).status).toBe(403);
  });
});

describe('the US_REGCF rule pack (US-CF-02..04)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RULE_PACK: 'US_REGCF' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('the profile limit follows 17 CFR 227.100(a)(2) in USD, recorded as US_REGCF@version', async () => {
    const u = await registerAndLogin(t);
    const put = await t.http
      .put('/api/v1/investors/me/financials')
      .set('authorization', `Bearer ${u.token}`)
      .send({
        annualIncome: '150000.00',
        financialAssets: '0.00',
        netWorth: '80000.00',
        investmentExperienceYears: 0,
      });
    expect(put.status).toBe(200);
    const profile = await t.http
      .get('/api/v1/investors/me/profile')
      .set('authorization', `Bearer ${u.token}`);
    expect(profile.body.limits).toEqual({
      rulePack: 'US_REGCF@2022.9',
      annualLimit: '7500.00', // net worth < $124k -> 5% x 150,000 (rules-spec §14.2)
      usedLast12Months: '0.00',
      remaining: '7500.00',
      currency: 'USD',
    });
  });
});
