import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { PASSWORD, registerAndLogin, type TestUser } from '../support/users.js';

/**
 * The console's session routes (issue 17): the refresh token travels only in an HttpOnly,
 * SameSite=Strict cookie scoped to /api/v1/auth/console (Secure in production), rotates on every
 * use with the same reuse detection as POST /auth/refresh, and never appears in a body.
 */
const COOKIE =
  /^zc_console_refresh=([A-Za-z0-9_-]{43}); Path=\/api\/v1\/auth\/console; Max-Age=(\d+); HttpOnly; SameSite=Strict(; Secure)?$/;

const setCookie = (res: { headers: Record<string, unknown> }): string => {
  const value = res.headers['set-cookie'];
  const list = Array.isArray(value) ? (value as string[]) : [String(value)];
  expect(list).toHaveLength(1);
  return list[0];
};
const tokenIn = (cookie: string): string => COOKIE.exec(cookie)![1];

describe('console sessions: the refresh token as an HttpOnly cookie (issue 17)', () => {
  let t: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    user = await registerAndLogin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const consoleLogin = () =>
    t.http.post('/api/v1/auth/console/login').send({ email: user.email, password: PASSWORD });
  const refresh = (token?: string) => {
    const req = t.http.post('/api/v1/auth/console/refresh');
    return token ? req.set('cookie', `other=1; zc_console_refresh=${token}`) : req;
  };

  it('signs in with the refresh token only in the cookie, never in the body', async () => {
    const res = await consoleLogin();
    expect(res.status).toBe(200);
    const cookie = setCookie(res);
    expect(cookie).toMatch(COOKIE);
    expect(cookie).not.toContain('Secure'); // NODE_ENV=test: plain http on loopback
    expect(COOKIE.exec(cookie)![2]).toBe(String(t.config.auth.refreshTokenTtlSeconds));
    expect(res.body).toMatchObject({ secondFactorRequired: false, tokenType: 'Bearer' });
    expect(res.body.refreshToken).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toContain(tokenIn(cookie));
    expect(res.headers['cache-control']).toBe('no-store');
    const me = await t.http
      .get('/api/v1/me')
      .set('authorization', `Bearer ${res.body.accessToken}`);
    expect(me.body.id).toBe(user.id);
  });

  it('rotates the cookie on refresh; the used one presented again ends the session', async () => {
    const first = tokenIn(setCookie(await consoleLogin()));
    const rotated = await refresh(first);
    expect(rotated.status).toBe(200);
    expect(rotated.body.refreshToken).toBeUndefined();
    const second = tokenIn(setCookie(rotated));
    expect(second).not.toBe(first);
    const me = await t.http
      .get('/api/v1/me')
      .set('authorization', `Bearer ${rotated.body.accessToken}`);
    expect(me.status).toBe(200);

    const replay = await refresh(first);
    expect([replay.status, replay.body.error.code]).toEqual([401, 'AUTH.REFRESH_TOKEN_REUSED']);
    const after = await refresh(second);
    expect([after.status, after.body.error.code]).toEqual([401, 'AUTH.REFRESH_TOKEN_INVALID']);
  });

  it('refuses a missing or malformed cookie with 401 AUTH.REFRESH_TOKEN_INVALID', async () => {
    for (const res of [await refresh(), await refresh('not-a-token')]) {
      expect([res.status, res.body.error.code]).toEqual([401, 'AUTH.REFRESH_TOKEN_INVALID']);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('logs out: ends the session and clears the cookie', async () => {
    const token = tokenIn(setCookie(await consoleLogin()));
    const out = await t.http
      .post('/api/v1/auth/console/logout')
      .set('cookie', `zc_console_refresh=${token}`);
    expect(out.status).toBe(204);
    expect(setCookie(out)).toMatch(
      /^zc_console_refresh=; Path=\/api\/v1\/auth\/console; Max-Age=0; HttpOnly; SameSite=Strict$/,
    );
    const res = await refresh(token);
    expect(res.status).toBe(401);
  });

  it('leaves the JSON API as it was: POST /auth/login still answers the refresh token in the body', async () => {
    const res = await t.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('console sessions in production', () => {
  it('mark the cookie Secure', async () => {
    const t = await startTestApp({
      NODE_ENV: 'production',
      JWT_SECRET: 'production-like-secret-for-this-test-0123456789',
      PII_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      PII_LOOKUP_KEY: 'production-like-lookup-key-0123456789',
      CUSTODY_WEBHOOK_SECRET: 'production-like-custody-secret-0123456789',
      DOCUMENT_SIGNING_KEY: 'production-like-document-signing-key-0123456789',
    });
    try {
      const user = await registerAndLogin(t);
      const res = await t.http
        .post('/api/v1/auth/console/login')
        .send({ email: user.email, password: PASSWORD });
      expect(setCookie(res)).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
    } finally {
      await t.close();
    }
  });
});
