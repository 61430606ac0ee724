import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
const MAX_INPUT_DEPTH = 32; // src/common/http/validation.ts
import { startTestApp, type TestApp } from './support/test-app.js';
import { registerAndLogin, staffToken } from './support/users.js';

/** Bugs the API fuzzer (test/reliability/api-fuzz.ts) found, each pinned by a plain test. */
describe('hostile input the fuzzer found (DESIGN §7: never a 500 for bad input)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const countUsers = async (): Promise<number> => {
    const c = await t.db.client();
    return Number(
      (await c.query<{ n: string }>('SELECT count(*)::text AS n FROM users')).rows[0].n,
    );
  };

  it.each([
    ['an array', (d: number) => `${'['.repeat(d)}${']'.repeat(d)}`],
    ['an object', (d: number) => `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`],
    ['a field', (d: number) => `{"email":${'['.repeat(d)}${']'.repeat(d)}}`],
  ])(
    'a body of %s nested thousands deep is 400 VALIDATION_FAILED, not a stack overflow (500)',
    async (_what, nest) => {
      const before = await countUsers();
      for (const depth of [MAX_INPUT_DEPTH + 1, 2_000, 10_000]) {
        const res = await t.http
          .post('/api/v1/auth/register')
          .set('content-type', 'application/json')
          .send(nest(depth));
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
      }
      expect(await countUsers()).toBe(before);
    },
  );

  it("headers or a URL over the HTTP parser limit get 431 with the error body, not Fastify's", async () => {
    const query = await t.http.get(`/api/v1/campaigns?cursor=${'%C3%A9'.repeat(4_000)}`);
    expect(query.status).toBe(431);
    expect(query.body).toEqual({
      error: { code: 'HEADERS_TOO_LARGE', message: expect.any(String) },
    });
    const header = await t.http
      .get('/api/v1/me')
      .set('authorization', `Bearer ${'A'.repeat(20_000)}`);
    expect(header.status).toBe(431);
    expect(header.body.error.code).toBe('HEADERS_TOO_LARGE');
  });

  it.each([
    ['a bad percent-encoding', '/api/v1/campaigns/%ZZ', 400, 'VALIDATION_FAILED'],
    ['an overlong UTF-8 dot-dot', '/api/v1/pledges/%C0%AE%C0%AE', 400, 'VALIDATION_FAILED'],
    [
      'a path parameter over the router limit',
      `/api/v1/campaigns/${'x'.repeat(500)}`,
      414,
      'URI_TOO_LONG',
    ],
  ])('%s in the URL gets the error body from the router too', async (_what, url, status, code) => {
    const user = await registerAndLogin(t);
    const res = await t.http.get(url).set('authorization', `Bearer ${user.token}`);
    expect(res.status).toBe(status);
    expect(res.body).toEqual({
      error: { code, message: expect.any(String), requestId: expect.any(String) },
    });
    expect(res.headers['x-request-id']).toBe(res.body.error.requestId);
  });

  it('a NUL character in any string is 400 VALIDATION_FAILED, not a Postgres error (500)', async () => {
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'a\u0000b@example.com', password: 'whatever whatever' });
    expect(login.status).toBe(400);
    expect(login.body.error.code).toBe('VALIDATION_FAILED');
    const user = await registerAndLogin(t, 'FOUNDER');
    const before = await countUsers();
    const campaign = await t.http
      .post('/api/v1/campaigns')
      .set('authorization', `Bearer ${user.token}`)
      .send({ title: 'Tea\u0000pot' });
    expect(campaign.status).toBe(400);
    expect(campaign.body.error.details.fields).toEqual([
      { field: '(body)', problems: [expect.stringContaining('NUL')] },
    ]);
    const query = await t.http
      .get('/api/v1/campaigns?kind=%00')
      .set('authorization', `Bearer ${user.token}`);
    expect(query.status).toBe(400);
    expect(await countUsers()).toBe(before);
  });

  it('a lone UTF-16 surrogate is 400, not a validator crash (500); a real emoji pair is fine', async () => {
    for (const email of ['\ud800', '\udfff@example.com']) {
      const res = await t.http
        .post('/api/v1/auth/register')
        .set('content-type', 'application/json')
        .send(
          `{"email":${JSON.stringify(email)},"password":"long enough pass","role":"INVESTOR","kind":"PERSON"}`,
        );
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields[0].problems[0]).toContain('lone surrogate');
    }
    const emoji = await t.http.post('/api/v1/auth/register').send({
      email: '😀@example.com',
      password: 'long enough pass',
      role: 'INVESTOR',
      kind: 'PERSON',
    });
    expect(emoji.status).toBe(400);
    expect(emoji.body.error.details.fields[0].field).toBe('email');
  });

  it('an ordinary nested body (an assessment) still reaches the service', async () => {
    const user = await registerAndLogin(t);
    const answers = [{ questionId: 'q01', optionId: 'q01a' }];
    const res = await t.http
      .post('/api/v1/investors/me/assessment')
      .set('authorization', `Bearer ${user.token}`)
      .send({ questionnaireVersion: 'nope', answers });
    expect(res.status).not.toBe(500);
    expect(res.body.error.code).not.toBe('VALIDATION_FAILED');
  });

  it('a NUL in a query parameter of a finance read is recorded safely (the audit trail), not a 500', async () => {
    const finance = await staffToken(t, 'FINANCE');
    for (const odd of ['a%00b']) {
      const res = await t.http
        .get(`/api/v1/finance/verify?note=${odd}`)
        .set('authorization', `Bearer ${finance.token}`);
      expect(res.status).toBe(200);
    }
    const c = await t.db.client();
    const rows = (
      await c.query(
        `SELECT details->'query'->>'note' AS note FROM audit_events
         WHERE action = 'finance.request' AND actor_id = $1 ORDER BY id`,
        [finance.id],
      )
    ).rows as { note: string | null }[];
    expect(rows.map((r) => r.note)).toEqual(['a\uFFFDb']);
  });
});
