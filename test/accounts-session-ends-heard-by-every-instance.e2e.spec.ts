import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SessionService } from '../src/modules/identity/session.service.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { PASSWORD, registerAndLogin } from './support/users.js';

/** The session id an access token carries. */
const sessionOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { sid: string })
    .sid;

/** Polls `check` every 20 ms until it holds (or fails the test after `ms`). */
async function eventually(check: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Issue 18 (the session check off the pledge's path) and issue 13 (revocation): two instances on
 * one database. Instance B trusts its cached view of a session for ten minutes while it listens,
 * so only the announcement (NOTIFY on zhongchou_sessions, migration 1766020000000) can make it
 * refuse a session that instance A ended; a lost listening connection makes B forget what it
 * cached and fall back to the short cache until it listens again.
 */
describe('a session that ends on one instance is refused at once by every instance', () => {
  let a: TestApp;
  let b: TestApp;
  const TEN_MINUTES = String(10 * 60_000);
  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp(
      { SESSION_CACHE_LISTENING_MS: TEN_MINUTES, SESSION_CACHE_MS: '60000' },
      { db: a.db },
    );
  });
  afterAll(async () => {
    await b?.app.close(); // the database is a's, dropped by a.close()
    await a.close();
  });

  const me = (t: TestApp, token: string) =>
    t.http.get('/api/v1/me').set('authorization', `Bearer ${token}`);
  const hearing = () => b.app.get(SessionService).hearsSessionEnds;
  const login = async (email: string) => {
    const res = await a.http.post('/api/v1/auth/login').send({ email, password: PASSWORD });
    expect(res.status).toBe(200);
    return res.body as { accessToken: string; refreshToken: string };
  };

  it('logout on A: B, which cached the session as open, refuses it as soon as the end commits', async () => {
    const user = await registerAndLogin(a);
    const other = await login(user.email);
    expect((await me(b, user.token)).status).toBe(200);
    await eventually(hearing);
    expect((await me(b, user.token)).status).toBe(200); // cached now, for ten minutes
    expect((await me(b, other.accessToken)).status).toBe(200);

    const out = await a.http.post('/api/v1/auth/logout').send({ refreshToken: user.refreshToken });
    expect(out.status).toBe(204);
    await eventually(async () => (await me(b, user.token)).status === 401, 2000);
    expect((await me(b, user.token)).body.error.code).toBe('AUTH.UNAUTHENTICATED');
    // only the session that ended: the user's other session is still honoured by B
    expect((await me(b, other.accessToken)).status).toBe(200);
  });

  it('a password change on A ends every session of the user on B too', async () => {
    const user = await registerAndLogin(a);
    const other = await login(user.email);
    for (const token of [user.token, other.accessToken])
      expect((await me(b, token)).status).toBe(200);
    const changed = await a.http
      .post('/api/v1/me/password')
      .set('authorization', `Bearer ${user.token}`)
      .send({ currentPassword: PASSWORD, newPassword: 'another brand new password' });
    expect(changed.status).toBe(204);
    for (const token of [user.token, other.accessToken])
      await eventually(async () => (await me(b, token)).status === 401, 2000);
  });

  it('a lost listening connection: B stops trusting its cache, listens again, and hears ends again', async () => {
    const user = await registerAndLogin(a);
    const second = await login(user.email);
    await eventually(hearing);
    expect((await me(b, user.token)).status).toBe(200);
    const admin = await a.db.client();
    const killed = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'zhongchou-listen'`,
    );
    expect(killed.rowCount).toBeGreaterThanOrEqual(2); // A's and B's
    await eventually(() => !hearing(), 2000);
    // Ended while B did not hear: B's cache was dropped when the connection was lost, so the
    // next check reads the session again.
    const ended = await admin.query(
      `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'LOGOUT' WHERE id = $1`,
      [sessionOf(user.token)],
    );
    expect(ended.rowCount).toBe(1);
    expect((await me(b, user.token)).status).toBe(401);
    await eventually(hearing, 5000);
    expect((await me(b, second.accessToken)).status).toBe(200); // cached again
    const out = await a.http
      .post('/api/v1/auth/logout')
      .send({ refreshToken: second.refreshToken });
    expect(out.status).toBe(204);
    await eventually(async () => (await me(b, second.accessToken)).status === 401, 2000);
  });
});
