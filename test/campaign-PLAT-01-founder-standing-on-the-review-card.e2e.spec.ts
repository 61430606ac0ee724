import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deliveryPlan, type CreatedCampaign, inDays, rewardTerms } from './support/pledging.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import {
  freshRic,
  registerAndLogin,
  staffToken,
  type StaffUser,
  type TestUser,
  verifiedUser,
} from './support/users.js';

/**
 * GET /admin/campaigns/:id/founder (issue 17): what the console's review card shows of a founder:
 * the real-name state (PLAT-01) with the masked name only, e-mail verified, credit records counted
 * (PLAT-03). ADMIN only; the ID number never leaves, not even masked.
 */
describe('PLAT-01: the founder’s real-name state on the campaign review card', () => {
  let t: TestApp;
  let admin: StaffUser;
  let founder: TestUser;
  let ric: string;
  let campaignId: string;
  const as = (token: string | null, id: string) => {
    const req = t.http.get(`/api/v1/admin/campaigns/${id}/founder`);
    return token ? req.set('authorization', `Bearer ${token}`) : req;
  };
  const sql = async (text: string, params: unknown[] = []) =>
    (await (await t.db.client()).query(text, params)).rows;

  /** A reward campaign submitted for review (PENDING_REVIEW). */
  const underReview = async (owner: TestUser): Promise<string> => {
    const auth = { authorization: `Bearer ${owner.token}` };
    const created = await t.http
      .post('/api/v1/campaigns')
      .set(auth)
      .send(rewardTerms({ deadline: inDays(20) }));
    if (created.status !== 201) throw new Error(`campaign: ${created.status} ${created.text}`);
    const id = created.body.id as string;
    await deliveryPlan(t, owner, id, created.body as CreatedCampaign);
    await t.http
      .post(`/api/v1/campaigns/${id}/disclosures`)
      .set(auth)
      .send({ title: 'Plan', body: 'Use of funds.', material: false });
    const submitted = await t.http.post(`/api/v1/campaigns/${id}/submit`).set(auth);
    if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${submitted.text}`);
    return id;
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await staffToken(t, 'ADMIN');
    founder = await registerAndLogin(t, 'FOUNDER');
    ric = await freshRic();
    const verified = await t.http
      .post('/api/v1/me/real-name')
      .set('authorization', `Bearer ${founder.token}`)
      .send({ name: '张小明', idNumber: ric });
    expect(verified.status).toBe(200);
    campaignId = await underReview(founder);
  });
  afterAll(async () => {
    await t.close();
  });

  it('ADMIN sees verified, the kind of identity, when, and the masked name; no ID number in any form', async () => {
    const res = await as(admin.token, campaignId);
    expect(res.status).toBe(200);
    const [identity] = await sql(
      `SELECT verified_at, id_number_masked FROM real_name_identities WHERE user_id = $1`,
      [founder.id],
    );
    expect(res.body).toEqual({
      campaignId,
      founderId: founder.id,
      accountKind: 'PERSON',
      emailVerified: true,
      realName: {
        verified: true,
        idKind: 'RIC',
        verifiedAt: (identity.verified_at as Date).toISOString(),
        nameMasked: '张**',
      },
      credit: { total: 0, inForce: 0, blockingInForce: 0 },
    });
    const text = res.text;
    expect(text).not.toContain(ric);
    expect(text).not.toContain(identity.id_number_masked as string);
    expect(text).not.toContain(ric.slice(-4));
    expect(text).not.toMatch(/idNumber|uscc|小明/i);
  });

  it('counts the founder’s credit records, in force and BLOCKING (PLAT-03)', async () => {
    const record = (severity: string) =>
      t.http
        .post('/api/v1/admin/credit-records')
        .set('authorization', `Bearer ${admin.token}`)
        .send({
          userId: founder.id,
          kind: 'DEFAULT',
          severity,
          source: 'PLATFORM',
          note: 'late',
        });
    expect((await record('WARNING')).status).toBe(201);
    const res = await as(admin.token, campaignId);
    expect(res.body.credit).toEqual({ total: 1, inForce: 1, blockingInForce: 0 });
  });

  it('shows “not verified” when the founder has no real-name identity (nothing else is made up)', async () => {
    const other = await verifiedUser(t, 'FOUNDER');
    const id = await underReview(other);
    // Founders must be verified to create a campaign; a lost identity row is what this guards.
    await sql(`DELETE FROM real_name_identities WHERE user_id = $1`, [other.id]);
    const res = await as(admin.token, id);
    expect(res.status).toBe(200);
    expect(res.body.realName).toEqual({
      verified: false,
      idKind: null,
      verifiedAt: null,
      nameMasked: null,
    });
    expect(res.body.emailVerified).toBe(true);
  });

  it('ADMIN only: 401 without a token, 403 for FINANCE, the founder and an investor', async () => {
    const finance = await staffToken(t, 'FINANCE');
    const investor = await verifiedUser(t, 'INVESTOR');
    expect((await as(null, campaignId)).status).toBe(401);
    for (const token of [finance.token, founder.token, investor.token]) {
      const res = await as(token, campaignId);
      expect([res.status, res.body.error.code]).toEqual([403, 'AUTH.FORBIDDEN']);
      expect(res.text).not.toContain('张');
    }
  });

  it('404 for a campaign that does not exist, 400 for an id that is not a uuid', async () => {
    const missing = await as(admin.token, '00000000-0000-4000-8000-000000000000');
    expect([missing.status, missing.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect((await as(admin.token, 'not-a-uuid')).status).toBe(400);
  });
});
