import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  acknowledgeCampaign,
  debtTerms,
  liveCampaign,
  pledge,
  readyInvestor,
} from './support/pledging.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, verifiedUser } from './support/users.js';

/**
 * Issue 13: an unverified e-mail cannot pledge or submit a campaign (the notices that protect
 * investors' rights must reach them). The state is set behind the application, as an account
 * whose address was never confirmed would be.
 */
describe('a verified e-mail before pledging and before submitting a campaign', () => {
  let t: TestApp;
  const unverify = async (userId: string) =>
    (await t.db.client()).query(`UPDATE users SET email_verified_at = NULL WHERE id = $1`, [
      userId,
    ]);

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('a pledge is 403 IDENTITY.EMAIL_NOT_VERIFIED, audited, and holds nothing', async () => {
    const admin = await staffToken(t, 'ADMIN');
    const founder = await verifiedUser(t, 'FOUNDER');
    const id = await liveCampaign(t, founder, admin.token, debtTerms());
    const investor = await readyInvestor(t, { deposit: '500.00' });
    await acknowledgeCampaign(t, investor, id);
    await unverify(investor.id);
    const refused = await pledge(t, investor, id, { amount: '100.00' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('IDENTITY.EMAIL_NOT_VERIFIED');
    const wallet = await t.http
      .get('/api/v1/wallet')
      .set('authorization', `Bearer ${investor.token}`);
    expect(wallet.body).toMatchObject({ available: '500.00', held: '0.00' });
    const audit = await (
      await t.db.client()
    ).query(
      `SELECT details->>'code' AS code FROM audit_events WHERE actor_id = $1 AND action = 'pledge.refused'`,
      [investor.id],
    );
    expect(audit.rows).toEqual([{ code: 'IDENTITY.EMAIL_NOT_VERIFIED' }]);
  });

  it('submitting a campaign is 403 IDENTITY.EMAIL_NOT_VERIFIED and it stays a DRAFT', async () => {
    const founder = await verifiedUser(t, 'FOUNDER');
    const auth = { authorization: `Bearer ${founder.token}` };
    const created = await t.http.post('/api/v1/campaigns').set(auth).send(debtTerms());
    await t.http
      .post(`/api/v1/campaigns/${created.body.id}/disclosures`)
      .set(auth)
      .send({ title: 'Plan', body: 'Use of funds.', material: false });
    await unverify(founder.id);
    const refused = await t.http.post(`/api/v1/campaigns/${created.body.id}/submit`).set(auth);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('IDENTITY.EMAIL_NOT_VERIFIED');
    expect((await t.http.get(`/api/v1/campaigns/${created.body.id}`).set(auth)).body.status).toBe(
      'DRAFT',
    );
  });
});
