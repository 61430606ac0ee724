import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { startTestApp, TEST_START, type TestApp } from './support/test-app.js';
import { PASSWORD, registerAndLogin, type TestUser } from './support/users.js';

/**
 * Issue 13: short access tokens, rotating refresh tokens with reuse detection, logout, password
 * change ending every session; issue 12: an expired access token is AUTH.TOKEN_EXPIRED.
 */
describe('sessions: access tokens, rotating refresh tokens, logout (issue 13)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const me = (token: string) => t.http.get('/api/v1/me').set('authorization', `Bearer ${token}`);
  const refresh = (refreshToken: string) =>
    t.http.post('/api/v1/auth/refresh').send({ refreshToken });
  const login = async (user: TestUser) => {
    const res = await t.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: PASSWORD });
    expect(res.status).toBe(200);
    return res.body as { accessToken: string; refreshToken: string };
  };
  const audit = async (userId: string) =>
    (
      await (
        await t.db.client()
      ).query<{ action: string; details: Record<string, unknown> }>(
        `SELECT action, details FROM audit_events WHERE subject_id = $1 ORDER BY id`,
        [userId],
      )
    ).rows;

  it('login answers a short-lived access token and a refresh token (accessToken kept for old clients)', async () => {
    const user = await registerAndLogin(t);
    const res = await t.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: PASSWORD });
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      refreshExpiresIn: 14 * 86400,
      secondFactorRequired: false,
      secondFactorEnrolmentRequired: false,
    });
    const claims = t.app
      .get(JwtService)
      .decode<{ exp: number; iat: number; sid: string }>(res.body.accessToken as string);
    expect(claims.exp - claims.iat).toBe(900);
    expect(claims.sid).toMatch(/^[0-9a-f-]{36}$/);
    // the refresh token is stored only as a keyed hash
    const stored = await (
      await t.db.client()
    ).query<{ token_hash: string }>(
      `SELECT token_hash FROM auth_refresh_tokens WHERE session_id = $1`,
      [claims.sid],
    );
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored.rows)).not.toContain(res.body.refreshToken);
  });

  it('refresh rotates: a new pair in the same session; the old refresh token is used up', async () => {
    const user = await registerAndLogin(t);
    const first = await refresh(user.refreshToken!);
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(user.refreshToken);
    const jwt = t.app.get(JwtService);
    expect(jwt.decode<{ sid: string }>(first.body.accessToken as string).sid).toBe(
      jwt.decode<{ sid: string }>(user.token).sid,
    );
    expect((await me(first.body.accessToken as string)).status).toBe(200);
    const second = await refresh(first.body.refreshToken as string);
    expect(second.status).toBe(200);
    expect((await me(second.body.accessToken as string)).status).toBe(200);
    expect(
      (await audit(user.id)).filter((e) => e.action === 'auth.session_refreshed'),
    ).toHaveLength(2);
  });

  it('reuse of a rotated refresh token revokes the whole family, and is audited', async () => {
    const user = await registerAndLogin(t);
    const rotated = await refresh(user.refreshToken!);
    expect(rotated.status).toBe(200);
    // an attacker (or a confused client) presents the old token again
    const reused = await refresh(user.refreshToken!);
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('AUTH.REFRESH_TOKEN_REUSED');
    expect(reused.headers['www-authenticate']).toMatch(/^Bearer/);
    // every token of the family is dead: the newest refresh token and both access tokens
    const newest = await refresh(rotated.body.refreshToken as string);
    expect(newest.status).toBe(401);
    expect(newest.body.error.code).toBe('AUTH.REFRESH_TOKEN_INVALID');
    for (const token of [user.token, rotated.body.accessToken as string]) {
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('AUTH.UNAUTHENTICATED');
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    }
    const events = await audit(user.id);
    expect(events.filter((e) => e.action === 'auth.refresh_token_reused')).toEqual([
      { action: 'auth.refresh_token_reused', details: { sessionId: expect.any(String) } },
    ]);
    // another session of the same user is untouched
    const other = await login(user);
    expect((await me(other.accessToken)).status).toBe(200);
    expect((await refresh(other.refreshToken)).status).toBe(200);
  });

  it('two concurrent refreshes with one token: one wins, the other is reuse and ends the session', async () => {
    const user = await registerAndLogin(t);
    const [a, b] = await Promise.all([refresh(user.refreshToken!), refresh(user.refreshToken!)]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
    const winner = a.status === 200 ? a : b;
    expect((await me(winner.body.accessToken as string)).status).toBe(401);
  });

  it('an unknown, malformed or expired refresh token is refused and writes nothing', async () => {
    const user = await registerAndLogin(t);
    const sql = await t.db.client();
    const count = async () =>
      (await sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM auth_refresh_tokens`))
        .rows[0].n;
    const before = await count();
    const unknown = await refresh('A'.repeat(43));
    expect([unknown.status, unknown.body.error.code]).toEqual([401, 'AUTH.REFRESH_TOKEN_INVALID']);
    const malformed = await refresh('short');
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    t.clock.advanceHours(14 * 24 + 1);
    try {
      const expired = await refresh(user.refreshToken!);
      expect([expired.status, expired.body.error.code]).toEqual([
        401,
        'AUTH.REFRESH_TOKEN_INVALID',
      ]);
    } finally {
      t.clock.set(TEST_START);
    }
    expect(await count()).toBe(before);
  });

  it('logout ends the session: its access token and refresh token stop working at once', async () => {
    const user = await registerAndLogin(t);
    const other = await login(user);
    const out = await t.http.post('/api/v1/auth/logout').send({ refreshToken: user.refreshToken });
    expect(out.status).toBe(204);
    const res = await me(user.token);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('AUTH.UNAUTHENTICATED');
    expect((await refresh(user.refreshToken!)).status).toBe(401);
    // logging out again is fine, and the user's other session lives on
    expect(
      (await t.http.post('/api/v1/auth/logout').send({ refreshToken: user.refreshToken })).status,
    ).toBe(204);
    expect((await me(other.accessToken)).status).toBe(200);
    expect((await audit(user.id)).filter((e) => e.action === 'auth.logout')).toHaveLength(1);
  });

  it('POST /me/password: the current password is checked; then every session of the user ends', async () => {
    const user = await registerAndLogin(t);
    const other = await login(user);
    const wrong = await t.http
      .post('/api/v1/me/password')
      .set('authorization', `Bearer ${user.token}`)
      .send({ currentPassword: 'not-the-password', newPassword: 'a brand new password' });
    expect([wrong.status, wrong.body.error.code]).toEqual([403, 'AUTH.WRONG_PASSWORD']);
    expect((await me(user.token)).status).toBe(200);
    const changed = await t.http
      .post('/api/v1/me/password')
      .set('authorization', `Bearer ${user.token}`)
      .send({ currentPassword: PASSWORD, newPassword: 'a brand new password' });
    expect(changed.status).toBe(204);
    for (const token of [user.token, other.accessToken]) expect((await me(token)).status).toBe(401);
    for (const token of [user.refreshToken!, other.refreshToken])
      expect((await refresh(token)).status).toBe(401);
    const oldPassword = await t.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: PASSWORD });
    expect(oldPassword.status).toBe(401);
    const newPassword = await t.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'a brand new password' });
    expect(newPassword.status).toBe(200);
    expect((await audit(user.id)).find((e) => e.action === 'auth.password_changed')).toEqual({
      action: 'auth.password_changed',
      details: { sessionsEnded: 2 },
    });
  });

  it('issue 12: an expired access token is 401 AUTH.TOKEN_EXPIRED with a WWW-Authenticate challenge', async () => {
    const user = await registerAndLogin(t);
    const jwt = t.app.get(JwtService);
    const claims = jwt.decode<Record<string, unknown>>(user.token);
    const expired = await jwt.signAsync({
      sub: claims.sub,
      role: claims.role,
      sid: claims.sid,
      typ: 'access',
      exp: Math.floor(Date.now() / 1000) - 1,
    });
    const res = await me(expired);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('AUTH.TOKEN_EXPIRED');
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="zhongchou", error="invalid_token", error_description="The access token expired"',
    );
    // the same claims, not expired, are fine: it is the expiry that is reported
    const fresh = await jwt.signAsync({
      sub: claims.sub,
      role: claims.role,
      sid: claims.sid,
      typ: 'access',
    });
    expect((await me(fresh)).status).toBe(200);
  });

  it('issue 18: a token verified once is still refused once it expires, and when its session ends', async () => {
    const user = await registerAndLogin(t);
    const jwt = t.app.get(JwtService);
    const claims = jwt.decode<Record<string, unknown>>(user.token);
    const exp = Math.floor(Date.now() / 1000) + 2;
    const shortLived = await jwt.signAsync({
      sub: claims.sub,
      role: claims.role,
      sid: claims.sid,
      typ: 'access',
      exp,
    });
    expect((await me(shortLived)).status).toBe(200); // verified and remembered
    expect((await me(shortLived)).status).toBe(200); // from the cache
    // the same token with its last signature character changed is not the token remembered
    const tampered = `${shortLived.slice(0, -1)}${shortLived.endsWith('A') ? 'B' : 'A'}`;
    expect((await me(tampered)).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp * 1000 - Date.now()) + 50));
    const late = await me(shortLived);
    expect([late.status, late.body.error.code]).toEqual([401, 'AUTH.TOKEN_EXPIRED']);

    expect((await me(user.token)).status).toBe(200); // remembered too
    const out = await t.http.post('/api/v1/auth/logout').send({ refreshToken: user.refreshToken });
    expect(out.status).toBe(204);
    const after = await me(user.token);
    expect([after.status, after.body.error.code]).toEqual([401, 'AUTH.UNAUTHENTICATED']);
  });
});
