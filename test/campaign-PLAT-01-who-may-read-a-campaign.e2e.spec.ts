import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { debtTerms, liveCampaign, rewardTerms } from './support/pledging.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { registerAndLogin, staffToken, type TestUser, verifiedUser } from './support/users.js';

/**
 * Reward and donation campaigns are for everyone: listed and readable signed in or not, with no
 * personal data in the view. Equity and debt stay behind real-name verification (PLAT-01,
 * CN-ECF-02): anonymous callers are asked to sign in, unverified users are refused.
 */
describe('who may read a campaign (PLAT-01, CN-ECF-02)', () => {
  let t: TestApp;
  let founder: TestUser;
  let reward: string;
  let debt: string;

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await staffToken(t, 'ADMIN');
    founder = await verifiedUser(t, 'FOUNDER');
    reward = await liveCampaign(t, founder, admin.token, rewardTerms({ title: 'Open teapot' }));
    debt = await liveCampaign(t, founder, admin.token, debtTerms());
  });
  afterAll(async () => {
    await t.close();
  });

  it('anyone, signed in or not, lists and reads reward campaigns, and only those', async () => {
    const anonymous = await t.http.get('/api/v1/campaigns');
    expect(anonymous.status).toBe(200);
    const ids = (anonymous.body.items as { id: string }[]).map((c) => c.id);
    expect(ids).toContain(reward);
    expect(ids).not.toContain(debt);
    expect((await t.http.get('/api/v1/campaigns?kind=DEBT')).body.items).toEqual([]);

    const detail = await t.http.get(`/api/v1/campaigns/${reward}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: reward, kind: 'REWARD', status: 'LIVE' });
    // No personal data: the founder is an id, never a name, e-mail or ID number.
    const text = JSON.stringify(detail.body);
    expect(text).not.toContain(founder.email);
    expect(text).not.toContain('测试');
  });

  it('equity and debt: anonymous callers must sign in (401); unverified users are refused (403)', async () => {
    const anonymous = await t.http.get(`/api/v1/campaigns/${debt}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('AUTH.UNAUTHENTICATED');
    const unverified = await registerAndLogin(t);
    const refused = await t.http
      .get(`/api/v1/campaigns/${debt}`)
      .set('authorization', `Bearer ${unverified.token}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('IDENTITY.REAL_NAME_REQUIRED');
    const verified = await verifiedUser(t);
    const shown = await t.http
      .get(`/api/v1/campaigns/${debt}`)
      .set('authorization', `Bearer ${verified.token}`);
    expect(shown.status).toBe(200);
  });

  it('a bad token on a public read is still 401 (an optional token must be a valid one)', async () => {
    const res = await t.http
      .get(`/api/v1/campaigns/${reward}`)
      .set('authorization', 'Bearer not-a-token');
    expect(res.status).toBe(401);
  });

  it('a DRAFT is not visible anonymously', async () => {
    const draft = await t.http
      .post('/api/v1/campaigns')
      .set('authorization', `Bearer ${founder.token}`)
      .send(rewardTerms());
    expect((await t.http.get(`/api/v1/campaigns/${draft.body.id}`)).status).toBe(404);
  });
});
