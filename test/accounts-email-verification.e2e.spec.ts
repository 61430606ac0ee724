import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { IdentityService } from '../src/modules/identity/identity.service.js';
import { IdentityRepository } from '../src/modules/identity/identity.repository.js';
import { parseMail, readMailDir, tokenIn, waitForMail } from './support/mailbox.js';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.js';
import { startTestApp, TEST_START, type TestApp } from './support/test-app.js';
import { PASSWORD } from './support/users.js';

const register = async (t: TestApp) => {
  const email = `new-${randomUUID()}@example.com`;
  const res = await t.http
    .post('/api/v1/auth/register')
    .send({ email, password: PASSWORD, role: 'INVESTOR', kind: 'PERSON' });
  expect(res.status).toBe(201);
  const login = await t.http.post('/api/v1/auth/login').send({ email, password: PASSWORD });
  return { id: res.body.id as string, email, token: login.body.accessToken as string };
};

describe('e-mail verification by one-time link, delivered over real SMTP (issue 13)', () => {
  let sink: SmtpSink;
  let t: TestApp;
  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await startTestApp({ SMTP_URL: sink.url, APP_PUBLIC_URL: 'https://zc.example.com' });
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('registration sends the verification mail to an SMTP server; its link verifies the address', async () => {
    const user = await register(t);
    const received = (await sink.waitFor(1)).find((m) => m.to.includes(user.email));
    expect(received).toBeDefined();
    const mail = parseMail(received!.raw);
    expect(mail.headers['x-zhongchou-mail']).toBe('email-verification');
    expect(mail.headers.subject).toBe('请验证您的电子邮箱 / Verify your e-mail address');
    const token = tokenIn(mail);
    expect(mail.text).toContain(`https://zc.example.com/api/v1/auth/verify-email?token=${token}`);
    // nothing was written to the file fallback when SMTP is configured
    expect(await readMailDir(t.config.mail.dir)).toEqual([]);

    const before = await t.http.get('/api/v1/me').set('authorization', `Bearer ${user.token}`);
    expect(before.body.emailVerified).toBe(false);
    await expect(t.app.get(IdentityService).assertEmailVerified(user.id)).rejects.toMatchObject({
      code: 'IDENTITY.EMAIL_NOT_VERIFIED',
      kind: 'FORBIDDEN',
    });
    expect((await t.app.get(IdentityRepository).pledgerFacts(user.id))?.emailVerified).toBe(false);

    const link = await t.http.get(`/api/v1/auth/verify-email?token=${token}`);
    expect(link.status).toBe(200);
    expect(link.body).toEqual({ emailVerified: true });
    const after = await t.http.get('/api/v1/me').set('authorization', `Bearer ${user.token}`);
    expect(after.body.emailVerified).toBe(true);
    await expect(t.app.get(IdentityService).assertEmailVerified(user.id)).resolves.toBeUndefined();
    expect((await t.app.get(IdentityRepository).pledgerFacts(user.id))?.emailVerified).toBe(true);

    // single use
    const again = await t.http.post('/api/v1/auth/verify-email').send({ token });
    expect(again.status).toBe(422);
    expect(again.body.error).toMatchObject({
      code: 'AUTH.VERIFICATION_TOKEN_INVALID',
      details: { reason: 'INVALID' },
    });
    const resend = await t.http
      .post('/api/v1/me/email-verification')
      .set('authorization', `Bearer ${user.token}`);
    expect([resend.status, resend.body.error.code]).toEqual([409, 'AUTH.EMAIL_ALREADY_VERIFIED']);
  });
});

describe('e-mail verification with no SMTP_URL: the mail is an .eml file in MAIL_DIR (issue 13)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ EMAIL_VERIFICATION_TTL_SECONDS: '3600' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('registration writes the verification mail as an .eml file; POST /auth/verify-email uses its token', async () => {
    const user = await register(t);
    const mail = await waitForMail(t.config.mail.dir, user.email, 'email-verification');
    expect(mail.headers.to).toBe(user.email);
    const res = await t.http.post('/api/v1/auth/verify-email').send({ token: tokenIn(mail) });
    expect(res.status).toBe(200);
    const me = await t.http.get('/api/v1/me').set('authorization', `Bearer ${user.token}`);
    expect(me.body.emailVerified).toBe(true);
  });

  it('a resent link supersedes the first; links expire (EMAIL_VERIFICATION_TTL_SECONDS)', async () => {
    const user = await register(t);
    const first = tokenIn(await waitForMail(t.config.mail.dir, user.email, 'email-verification'));
    const resend = await t.http
      .post('/api/v1/me/email-verification')
      .set('authorization', `Bearer ${user.token}`);
    expect(resend.status).toBe(202);
    const second = tokenIn(
      await waitForMail(t.config.mail.dir, user.email, 'email-verification', { after: 1 }),
    );
    const old = await t.http.post('/api/v1/auth/verify-email').send({ token: first });
    expect(old.body.error.code).toBe('AUTH.VERIFICATION_TOKEN_INVALID');
    t.clock.advanceMs(3600 * 1000);
    try {
      const late = await t.http.post('/api/v1/auth/verify-email').send({ token: second });
      expect(late.status).toBe(422);
      expect(late.body.error.details).toEqual({ reason: 'EXPIRED' });
    } finally {
      t.clock.set(TEST_START);
    }
    const me = await t.http.get('/api/v1/me').set('authorization', `Bearer ${user.token}`);
    expect(me.body.emailVerified).toBe(false);
    const actions = (
      await (
        await t.db.client()
      ).query<{ action: string; details: object }>(
        `SELECT action, details FROM audit_events WHERE subject_id = $1 AND action LIKE 'auth.email%' ORDER BY id`,
        [user.id],
      )
    ).rows;
    expect(actions).toEqual([
      { action: 'auth.email_verification_sent', details: { via: 'registration' } },
      { action: 'auth.email_verification_sent', details: { via: 'request' } },
    ]);
  });

  it('a made-up or malformed token is refused and verifies nothing', async () => {
    expect(
      (await t.http.post('/api/v1/auth/verify-email').send({ token: 'C'.repeat(43) })).body.error
        .code,
    ).toBe('AUTH.VERIFICATION_TOKEN_INVALID');
    expect((await t.http.get('/api/v1/auth/verify-email?token=x')).status).toBe(400);
  });

  it('no password, token, code or secret reaches a log line', async () => {
    const user = await register(t);
    const token = tokenIn(await waitForMail(t.config.mail.dir, user.email, 'email-verification'));
    await t.http.get(`/api/v1/auth/verify-email?token=${token}`);
    await t.http.post('/api/v1/auth/password-reset').send({ email: user.email });
    const reset = tokenIn(await waitForMail(t.config.mail.dir, user.email, 'password-reset'));
    await t.http
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token: reset, newPassword: 'another password 42' });
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'another password 42' });
    const enrol = await t.http
      .post('/api/v1/me/totp/enrol')
      .set('authorization', `Bearer ${login.body.accessToken}`);
    expect(enrol.status).toBe(200);
    // a rotation, then the reuse of the rotated token
    await t.http.post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken });
    await t.http.post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken });
    const logs = t.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [
      PASSWORD,
      'another password 42',
      token,
      reset,
      login.body.refreshToken as string,
      login.body.accessToken as string,
      enrol.body.secret as string,
    ])
      expect(logs).not.toContain(secret);
  });
});
