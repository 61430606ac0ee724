import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  acknowledgeCampaign,
  liveCampaign,
  pledge,
  readyInvestor,
  rewardTerms,
  type Investor,
} from './support/pledging.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, type StaffUser, type TestUser, verifiedUser } from './support/users.js';

/**
 * Issue 16: backers ask questions on a campaign, the founder answers publicly (once), ADMIN
 * moderates (hides, audited), asking is rate limited per user; the list pages by cursor.
 */
describe('campaign questions: backers ask, the founder answers, ADMIN moderates', () => {
  let t: TestApp;
  let founder: TestUser;
  let admin: StaffUser;
  let backer: Investor;
  let campaignId: string;
  const PER_HOUR = 4;

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const ask = (token: string, body: string, id = campaignId) =>
    t.http.post(`/api/v1/campaigns/${id}/questions`).set(auth(token)).send({ body });

  beforeAll(async () => {
    t = await startTestApp({ QUESTIONS_PER_HOUR: String(PER_HOUR) });
    [founder, admin, backer] = await Promise.all([
      verifiedUser(t, 'FOUNDER'),
      staffToken(t, 'ADMIN'),
      readyInvestor(t, { deposit: '1000.00' }),
    ]);
    campaignId = await liveCampaign(t, founder, admin.token, rewardTerms());
    await acknowledgeCampaign(t, backer, campaignId);
    expect((await pledge(t, backer, campaignId, { amount: '100.00' })).status).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('an investor who has not backed the campaign is 403 QUESTION.BACKERS_ONLY and nothing is written', async () => {
    const stranger = await readyInvestor(t, { deposit: '10.00' });
    const res = await ask(stranger.token, '这是真的吗？');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('QUESTION.BACKERS_ONLY');
    const sql = await t.db.client();
    expect((await sql.query(`SELECT count(*)::int AS n FROM campaign_questions`)).rows[0].n).toBe(
      0,
    );
  });

  it('a backer asks; anyone reads it; the founder answers once, in public; another founder cannot', async () => {
    const asked = await ask(backer.token, '什么时候发货？');
    expect(asked.status).toBe(201);
    const id = asked.body.id as string;
    const publicList = await t.http.get(`/api/v1/campaigns/${campaignId}/questions`);
    expect(publicList.status).toBe(200);
    expect(publicList.body.items).toEqual([
      expect.objectContaining({ id, body: '什么时候发货？', answer: null, hiddenAt: null }),
    ]);
    const stranger = await verifiedUser(t, 'FOUNDER');
    expect(
      (
        await t.http
          .post(`/api/v1/campaign-questions/${id}/answer`)
          .set(auth(stranger.token))
          .send({ answer: '我来答' })
      ).status,
    ).toBe(404);
    const answered = await t.http
      .post(`/api/v1/campaign-questions/${id}/answer`)
      .set(auth(founder.token))
      .send({ answer: '三月发货。' });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ id, answer: '三月发货。' });
    const again = await t.http
      .post(`/api/v1/campaign-questions/${id}/answer`)
      .set(auth(founder.token))
      .send({ answer: '改口了' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('QUESTION.ALREADY_ANSWERED');
    const read = await t.http.get(`/api/v1/campaigns/${campaignId}/questions`);
    expect(read.body.items[0]).toMatchObject({ id, answer: '三月发货。' });
  });

  it('ADMIN hides a question: gone for the public, shown to staff with the reason, audited', async () => {
    const asked = await ask(backer.token, '广告：买我的东西');
    const id = asked.body.id as string;
    const hidden = await t.http
      .post(`/api/v1/admin/campaign-questions/${id}/hide`)
      .set(auth(admin.token))
      .send({ reason: 'advertising' });
    expect(hidden.status).toBe(200);
    const publicIds = (
      await t.http.get(`/api/v1/campaigns/${campaignId}/questions`)
    ).body.items.map((q: { id: string }) => q.id);
    expect(publicIds).not.toContain(id);
    const staffView = await t.http
      .get(`/api/v1/campaigns/${campaignId}/questions`)
      .set(auth(admin.token));
    expect(staffView.body.items).toContainEqual(
      expect.objectContaining({ id, hiddenReason: 'advertising' }),
    );
    const sql = await t.db.client();
    const audit = await sql.query(
      `SELECT actor_id FROM audit_events WHERE action = 'campaign.question_hidden' AND subject_id = $1`,
      [id],
    );
    expect(audit.rows).toEqual([{ actor_id: admin.id }]);
    // A hidden question cannot be answered.
    expect(
      (
        await t.http
          .post(`/api/v1/campaign-questions/${id}/answer`)
          .set(auth(founder.token))
          .send({ answer: 'x' })
      ).status,
    ).toBe(404);
    expect(
      (
        await t.http
          .post(`/api/v1/admin/campaign-questions/${id}/hide`)
          .set(auth(founder.token))
          .send({ reason: 'x' })
      ).status,
    ).toBe(403);
  });

  it(`asking is rate limited: the ${PER_HOUR + 1}th question within the hour is 429 RATE_LIMITED and not stored`, async () => {
    const sql = await t.db.client();
    const count = async () =>
      (
        await sql.query(`SELECT count(*)::int AS n FROM campaign_questions WHERE asker_id = $1`, [
          backer.id,
        ])
      ).rows[0].n as number;
    // Two asked above; the limit counts every attempt of this user.
    const results: number[] = [];
    for (let i = 0; i < 3; i++) results.push((await ask(backer.token, `第${i}个问题`)).status);
    expect(results).toEqual([201, 201, 429]);
    const limited = await ask(backer.token, 'one more');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(limited.body.error.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(await count()).toBe(PER_HOUR);
  });

  it('the list pages by cursor, newest first, every visible question once', async () => {
    const all = (await t.http.get(`/api/v1/campaigns/${campaignId}/questions`)).body.items as {
      id: string;
    }[];
    expect(all).toHaveLength(PER_HOUR - 1); // one hidden
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.http
        .get(`/api/v1/campaigns/${campaignId}/questions`)
        .query({ pageSize: '1', ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      walked.push(...res.body.items.map((q: { id: string }) => q.id));
      cursor = res.body.nextCursor as string | null;
    } while (cursor !== null);
    expect(walked).toEqual(all.map((q) => q.id));
    expect(
      (await t.http.get(`/api/v1/campaigns/${campaignId}/questions`).query({ cursor: 'nope' }))
        .status,
    ).toBe(400);
  });
});
