import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { tokenIn, waitForMail } from './support/mailbox.js';
import { startTestApp, TEST_START, type TestApp } from './support/test-app.js';
import { PASSWORD, registerAndLogin, type TestUser } from './support/users.js';

const NEW_PASSWORD = 'a completely new password';

/** Issue 13: password reset by e-mailed one-time token that never reveals whether the address exists. */
describe('password reset (issue 13)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PASSWORD_RESET_TTL_SECONDS: '900' });
  });
  afterAll(async () => {
    await t.close();
  });

  const requestReset = (email: string) =>
    t.http.post('/api/v1/auth/password-reset').send({ email });
  const confirm = (token: string, newPassword = NEW_PASSWORD) =>
    t.http.post('/api/v1/auth/password-reset/confirm').send({ token, newPassword });
  const login = (email: string, password: string) =>
    t.http.post('/api/v1/auth/login').send({ email, password });
  const resetMail = async (user: TestUser, after = 0) =>
    waitForMail(t.config.mail.dir, user.email, 'password-reset', { after });
  const resetMails = async (email: string) =>
    (await import('./support/mailbox.js'))
      .readMailDir(t.config.mail.dir)
      .then((mails) =>
        mails.filter(
          (m) => m.headers.to === email && m.headers['x-zhongchou-mail'] === 'password-reset',
        ),
      );

  it('the answer for a known and an unknown address is the same, and only the known one gets mail', async () => {
    const user = await registerAndLogin(t);
    const stranger = `nobody-${randomUUID()}@example.com`;
    const known = await requestReset(user.email);
    const unknown = await requestReset(stranger);
    const strip = (res: typeof known) => ({
      status: res.status,
      body: res.body as unknown,
      contentType: res.headers['content-type'],
      length: res.headers['content-length'],
    });
    expect(strip(known)).toEqual(strip(unknown));
    expect(known.status).toBe(202);
    expect(known.body).toEqual({ status: 'ACCEPTED', message: expect.any(String) });
    const mail = await resetMail(user);
    expect(mail.headers.subject).toContain('Reset your password');
    expect(tokenIn(mail)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await new Promise((r) => setTimeout(r, 200));
    expect(await resetMails(stranger)).toEqual([]);
    // the token is stored only as a keyed hash
    const rows = await (
      await t.db.client()
    ).query(
      `SELECT token_hash FROM account_tokens WHERE user_id = $1 AND purpose = 'PASSWORD_RESET'`,
      [user.id],
    );
    expect(JSON.stringify(rows.rows)).not.toContain(tokenIn(mail));
  });

  it('a reset token works once: it sets the password, ends every session and cannot be used again', async () => {
    const user = await registerAndLogin(t);
    await requestReset(user.email);
    const token = tokenIn(await resetMail(user));
    const done = await confirm(token);
    expect(done.status).toBe(204);
    expect(
      (await t.http.get('/api/v1/me').set('authorization', `Bearer ${user.token}`)).status,
    ).toBe(401);
    expect(
      (await t.http.post('/api/v1/auth/refresh').send({ refreshToken: user.refreshToken })).status,
    ).toBe(401);
    expect((await login(user.email, PASSWORD)).status).toBe(401);
    expect((await login(user.email, NEW_PASSWORD)).status).toBe(200);
    const again = await confirm(token, 'yet another password 1');
    expect(again.status).toBe(422);
    expect(again.body.error).toMatchObject({
      code: 'AUTH.RESET_TOKEN_INVALID',
      details: { reason: 'INVALID' },
    });
    expect((await login(user.email, 'yet another password 1')).status).toBe(401);
    const actions = (
      await (
        await t.db.client()
      ).query<{ action: string; details: object }>(
        `SELECT action, details FROM audit_events WHERE subject_id = $1 AND action LIKE 'auth.password_reset%' ORDER BY id`,
        [user.id],
      )
    ).rows;
    expect(actions).toEqual([
      { action: 'auth.password_reset_requested', details: {} },
      { action: 'auth.password_reset_completed', details: { sessionsEnded: 1 } },
    ]);
  });

  it('a reset token expires (PASSWORD_RESET_TTL_SECONDS) and then changes nothing', async () => {
    const user = await registerAndLogin(t);
    await requestReset(user.email);
    const token = tokenIn(await resetMail(user));
    t.clock.advanceMs(900 * 1000);
    try {
      const late = await confirm(token);
      expect(late.status).toBe(422);
      expect(late.body.error).toMatchObject({
        code: 'AUTH.RESET_TOKEN_INVALID',
        details: { reason: 'EXPIRED' },
      });
      expect((await login(user.email, PASSWORD)).status).toBe(200);
    } finally {
      t.clock.set(TEST_START);
    }
    // one second before the end it still works
    await requestReset(user.email);
    const second = tokenIn(await resetMail(user, 1));
    t.clock.advanceMs(899 * 1000);
    try {
      expect((await confirm(second)).status).toBe(204);
    } finally {
      t.clock.set(TEST_START);
    }
  });

  it('a newer reset token supersedes the older one; a made-up token is refused', async () => {
    const user = await registerAndLogin(t);
    await requestReset(user.email);
    const older = tokenIn(await resetMail(user));
    await requestReset(user.email);
    const newer = tokenIn(await resetMail(user, 1));
    expect(newer).not.toBe(older);
    expect((await confirm(older)).body.error.code).toBe('AUTH.RESET_TOKEN_INVALID');
    expect((await confirm('B'.repeat(43))).body.error.code).toBe('AUTH.RESET_TOKEN_INVALID');
    expect((await confirm('too-short')).body.error.code).toBe('VALIDATION_FAILED');
    expect((await confirm(newer, 'short')).body.error.code).toBe('VALIDATION_FAILED');
    expect((await confirm(newer)).status).toBe(204);
  });

  it('bad input is a 400 that sends nothing', async () => {
    for (const email of ['not-an-email', '', 'a\u0000b@example.com'])
      expect((await requestReset(email)).status).toBe(400);
  });
});
