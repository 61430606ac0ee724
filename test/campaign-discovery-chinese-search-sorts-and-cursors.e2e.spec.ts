import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { inDays, rewardTerms } from './support/pledging.js';
import { startTestApp, TEST_START, type TestApp } from './support/test-app.js';
import { registerAndLogin, staffToken, type TestUser, verifiedUser } from './support/users.js';

/**
 * Issue 16: GET /campaigns?q=&category=&kind=&status=&sort=&cursor. Search by title, summary and
 * story that finds a two-character Chinese word (pg_trgm over character pairs), ranks by the
 * chosen sort, and walks every page by cursor; `progress` in every campaign view.
 */
describe('campaign discovery: Chinese search, sorts and cursors', () => {
  let t: TestApp;
  let founder: TestUser;
  let adminToken: string;
  const ids: Record<string, string> = {};

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  /** A LIVE reward campaign with a page; committed, target and creation time set for the sorts. */
  async function campaign(
    name: string,
    terms: { title: string; story: string; category: string; deadlineDays: number },
    figures: { committed: string; target: string; createdMinutes: number },
  ): Promise<void> {
    const created = await t.http
      .post('/api/v1/campaigns')
      .set(auth(founder.token))
      .send(
        rewardTerms({
          title: terms.title,
          targetAmount: figures.target,
          maxAmount: '100000.00',
          deadline: inDays(terms.deadlineDays),
        }),
      );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const page = await t.http
      .patch(`/api/v1/campaigns/${id}/page`)
      .set(auth(founder.token))
      .send({ story: terms.story, category: terms.category, cityCode: '440300' });
    expect(page.status).toBe(200);
    await t.http
      .post(`/api/v1/campaigns/${id}/disclosures`)
      .set(auth(founder.token))
      .send({ title: 'Plan', body: 'Use of funds.', material: false });
    expect(
      (await t.http.post(`/api/v1/campaigns/${id}/submit`).set(auth(founder.token))).status,
    ).toBe(200);
    expect(
      (await t.http.post(`/api/v1/admin/campaigns/${id}/approve`).set(auth(adminToken)).send({}))
        .status,
    ).toBe(200);
    const sql = await t.db.client();
    await sql.query(`UPDATE campaigns SET committed = $2, created_at = $3 WHERE id = $1`, [
      id,
      figures.committed,
      new Date(Date.parse(TEST_START) + figures.createdMinutes * 60_000),
    ]);
    ids[name] = id;
  }

  beforeAll(async () => {
    t = await startTestApp();
    founder = await verifiedUser(t, 'FOUNDER');
    adminToken = (await staffToken(t, 'ADMIN')).token;
    // committed / target: teapot 900/1000 = 0.9, lamp 3000/10000 = 0.3, cafe 1500/1000 = 1.5
    await campaign(
      'teapot',
      {
        title: '智能茶壶',
        story: '我们的**众筹**项目为城市带来新茶具。',
        category: 'DESIGN',
        deadlineDays: 20,
      },
      { committed: '900.00', target: '1000.00', createdMinutes: 3 },
    );
    await campaign(
      'lamp',
      {
        title: 'Solar Lamp',
        story: '一个关于众筹的太阳能灯，适合乡村。',
        category: 'TECHNOLOGY',
        deadlineDays: 5,
      },
      { committed: '3000.00', target: '10000.00', createdMinutes: 1 },
    );
    await campaign(
      'cafe',
      {
        title: '众筹咖啡馆',
        story: 'A neighbourhood café run by its backers.',
        category: 'FOOD',
        deadlineDays: 12,
      },
      { committed: '1500.00', target: '1000.00', createdMinutes: 2 },
    );
    // Has both characters, but never next to each other: not a match for 众筹.
    await campaign(
      'library',
      {
        title: '乡村图书馆',
        story: '大众的书，筹集图书。',
        category: 'EDUCATION',
        deadlineDays: 8,
      },
      { committed: '50.00', target: '1000.00', createdMinutes: 4 },
    );
  });
  afterAll(async () => {
    await t.close();
  });

  const search = async (query: Record<string, string>) => {
    const res = await t.http.get('/api/v1/campaigns').query(query);
    expect(res.status).toBe(200);
    return res.body as { items: { id: string; progress: string }[]; nextCursor: string | null };
  };
  const names = (items: { id: string }[]) =>
    items.map((c) => Object.entries(ids).find(([, id]) => id === c.id)?.[0]);

  it('a two-character Chinese word finds campaigns by title and by story, and ranks by each sort', async () => {
    expect(names((await search({ q: '众筹', sort: 'newest' })).items)).toEqual([
      'teapot',
      'cafe',
      'lamp',
    ]);
    expect(names((await search({ q: '众筹', sort: 'ending' })).items)).toEqual([
      'lamp',
      'cafe',
      'teapot',
    ]);
    expect(names((await search({ q: '众筹', sort: 'most-funded' })).items)).toEqual([
      'lamp',
      'cafe',
      'teapot',
    ]);
    expect(names((await search({ q: '众筹', sort: 'progress' })).items)).toEqual([
      'cafe',
      'teapot',
      'lamp',
    ]);
    // Without a sort: newest first.
    expect(names((await search({ q: '众筹' })).items)).toEqual(['teapot', 'cafe', 'lamp']);
  });

  it('longer words, Latin text in any case, the summary and filters; LIKE wildcards in q are plain characters', async () => {
    expect(names((await search({ q: '咖啡' })).items)).toEqual(['cafe']);
    expect(names((await search({ q: '太阳能灯' })).items)).toEqual(['lamp']);
    expect(names((await search({ q: 'SOLAR' })).items)).toEqual(['lamp']);
    expect(names((await search({ q: 'café run' })).items)).toEqual(['cafe']);
    expect(names((await search({ q: '乡村', sort: 'progress' })).items)).toEqual([
      'lamp',
      'library',
    ]);
    expect(names((await search({ q: '乡村', category: 'EDUCATION' })).items)).toEqual(['library']);
    expect(names((await search({ category: 'FOOD' })).items)).toEqual(['cafe']);
    expect((await search({ q: '%%' })).items).toEqual([]);
    expect((await search({ q: '__' })).items).toEqual([]);
    expect((await search({ q: '众筹', kind: 'DONATION' })).items).toEqual([]);
    expect((await search({ q: '众筹', status: 'SETTLED' })).items).toEqual([]);
  });

  it('a cursor walks every sort page by page, with no campaign twice or missed', async () => {
    for (const sort of ['newest', 'ending', 'most-funded', 'progress']) {
      const all = names((await search({ sort })).items);
      const walked: (string | undefined)[] = [];
      let cursor: string | null = null;
      do {
        const page = await search({ sort, pageSize: '1', ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(1);
        walked.push(...names(page.items));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(walked).toEqual(all);
      expect(walked).toHaveLength(4);
    }
  });

  it('progress is committed / target as a decimal string in lists and in the detail', async () => {
    const listed = (await search({ sort: 'progress' })).items.map((c) => c.progress);
    expect(listed).toEqual(['1.5000', '0.9000', '0.3000', '0.0500']);
    const detail = await t.http.get(`/api/v1/campaigns/${ids.teapot}`);
    expect(detail.body.progress).toBe('0.9000');
  });

  it('a bad cursor, a cursor of another sort, a one-character or unknown query are 400', async () => {
    const first = await search({ sort: 'newest', pageSize: '1' });
    const wrongSort = await t.http
      .get('/api/v1/campaigns')
      .query({ sort: 'progress', cursor: first.nextCursor as string });
    expect(wrongSort.status).toBe(400);
    expect(wrongSort.body.error.details.fields[0].field).toBe('cursor');
    const forged = Buffer.from(
      JSON.stringify(['newest', "1' OR 1=1", first.items[0]?.id]),
    ).toString('base64url');
    expect((await t.http.get('/api/v1/campaigns').query({ cursor: forged })).status).toBe(400);
    expect((await t.http.get('/api/v1/campaigns').query({ cursor: 'garbage' })).status).toBe(400);
    expect((await t.http.get('/api/v1/campaigns').query({ q: '众' })).status).toBe(400);
    expect((await t.http.get('/api/v1/campaigns').query({ sort: 'random' })).status).toBe(400);
    expect((await t.http.get('/api/v1/campaigns').query({ category: 'WEAPONS' })).status).toBe(400);
  });

  it('the pair search is answered from the pg_trgm index, which sees Chinese characters in this database', async () => {
    const sql = await t.db.client();
    // pg_trgm makes trigrams of letters only; in a C/POSIX LC_CTYPE Chinese is no letter and the
    // index could not help (the LIKE stays exact, but scans). The test databases use C.UTF-8.
    const trigrams = await sql.query(`SELECT array_length(show_trgm(' 众筹 '), 1) AS n`);
    expect(trigrams.rows[0].n).toBe(3);
    await sql.query('BEGIN');
    try {
      await sql.query('SET LOCAL enable_seqscan = off');
      const plan = await sql.query(
        `EXPLAIN SELECT campaign_id FROM campaign_content WHERE search_bigrams LIKE '% 众筹 %'`,
      );
      expect(plan.rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n')).toContain(
        'campaign_content_search_bigrams_idx',
      );
    } finally {
      await sql.query('ROLLBACK');
    }
  });

  it('the story is rendered sanitised: raw HTML is text, script links are dropped', async () => {
    const other = await registerAndLogin(t, 'FOUNDER');
    const created = await t.http
      .post('/api/v1/campaigns')
      .set(auth(founder.token))
      .send(rewardTerms());
    const id = created.body.id as string;
    const page = await t.http.patch(`/api/v1/campaigns/${id}/page`).set(auth(founder.token)).send({
      story:
        '# 故事\n<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>',
    });
    expect(page.status).toBe(200);
    expect(page.body.storyHtml).toContain('<h1>故事</h1>');
    expect(page.body.storyHtml).not.toMatch(/<script|<img|href="javascript/i);
    expect(page.body.storyHtml).toContain('&lt;script&gt;');
    // Another founder's campaign is not found; a LIVE campaign's story is locked, its FAQ is not.
    expect(
      (
        await t.http
          .patch(`/api/v1/campaigns/${id}/page`)
          .set(auth(other.token))
          .send({ story: 'x' })
      ).status,
    ).toBe(404);
    const live = await t.http
      .patch(`/api/v1/campaigns/${ids.cafe}/page`)
      .set(auth(founder.token))
      .send({ story: 'new' });
    expect(live.status).toBe(409);
    const faq = await t.http
      .patch(`/api/v1/campaigns/${ids.cafe}/page`)
      .set(auth(founder.token))
      .send({ faq: [{ question: '何时发货？', answer: '三月。' }] });
    expect(faq.status).toBe(200);
    expect(faq.body.faq).toEqual([{ question: '何时发货？', answer: '三月。' }]);
    expect(
      (
        await t.http
          .patch(`/api/v1/campaigns/${id}/page`)
          .set(auth(founder.token))
          .send({ coverMediaId: 'a'.repeat(64) })
      ).body.error.code,
    ).toBe('CAMPAIGN.UNKNOWN_MEDIA');
  });
});
