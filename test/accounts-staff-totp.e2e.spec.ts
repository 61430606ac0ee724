import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { IdentityService } from '../src/modules/identity/identity.service.js';
import { apiRoutes, openApiDocument } from './support/openapi.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { PASSWORD, registerAndLogin, staffToken, totpCode } from './support/users.js';

const API = '/api/v1';

/** Issue 13: TOTP (RFC 6238) required for ADMIN and FINANCE; recovery codes; payout step-up. */
describe('staff second factor (issue 13)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (path: string, body: object, token?: string) => {
    const req = t.http.post(`${API}${path}`);
    return (token ? req.set('authorization', `Bearer ${token}`) : req).send(body);
  };
  const newStaff = async (role: 'ADMIN' | 'FINANCE') => {
    const email = `${role.toLowerCase()}-${randomUUID()}@example.com`;
    const created = await t.app
      .get(IdentityService)
      .createUser({ email, password: PASSWORD, role, kind: 'PERSON' }, 'cli');
    return { id: created.id, email };
  };

  it('an ADMIN without TOTP signs in only to enrol: every other route is 403 AUTH.SECOND_FACTOR_REQUIRED', async () => {
    const admin = await newStaff('ADMIN');
    const login = await post('/auth/login', { email: admin.email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({
      secondFactorRequired: false,
      secondFactorEnrolmentRequired: true,
      accessToken: expect.any(String),
    });
    const token = login.body.accessToken as string;
    const allowed = new Set([
      `GET ${API}/me`,
      `POST ${API}/me/totp/enrol`,
      `POST ${API}/me/totp/confirm`,
    ]);
    const routes = apiRoutes(await openApiDocument(t));
    const reached: string[] = [];
    const wantedFactor: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      const isPublic =
        Array.isArray(route.operation.security) && route.operation.security.length === 0;
      if (allowed.has(key) || !route.path.startsWith(API) || isPublic) continue;
      if (/\/auth\/|\/custody\//.test(route.path)) continue; // public (no bearer token read)
      const path = route.path.replace(/\{[^}]+\}/g, () => randomUUID());
      const res = await t.http[route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch'](path)
        .set('authorization', `Bearer ${token}`)
        .set('idempotency-key', randomUUID())
        .send({});
      checked++;
      // Routes of other roles refuse the role first (AUTH.FORBIDDEN); every route an ADMIN may
      // use, and every route open to any signed-in user, wants the second factor.
      const code = res.body.error?.code as string | undefined;
      if (res.status !== 403) reached.push(`${key}: ${res.status} ${code}`);
      else if (code === 'AUTH.SECOND_FACTOR_REQUIRED') wantedFactor.push(key);
      else if (code !== 'AUTH.FORBIDDEN') reached.push(`${key}: ${res.status} ${code}`);
    }
    expect(reached).toEqual([]);
    expect(checked).toBeGreaterThan(30);
    expect(wantedFactor).toEqual(
      expect.arrayContaining([
        `GET ${API}/admin/applications`,
        `POST ${API}/admin/credit-records`,
        `GET ${API}/admin/credit-records`,
        `GET ${API}/campaigns`,
        `POST ${API}/admin/campaigns/{id}/approve`,
        `GET ${API}/platform-disclosure`,
      ]),
    );
    // the admin routes in particular
    const admin403 = await t.http
      .get(`${API}/admin/applications`)
      .set('authorization', `Bearer ${token}`);
    expect(admin403.status).toBe(403);
    expect(admin403.body.error.code).toBe('AUTH.SECOND_FACTOR_REQUIRED');
    const me = await t.http.get(`${API}/me`).set('authorization', `Bearer ${token}`);
    expect(me.body).toMatchObject({ role: 'ADMIN', totpEnabled: false });
  });

  it('enrolment: an otpauth URI, a first code activates it, recovery codes once; then login wants the code', async () => {
    const finance = await newStaff('FINANCE');
    const first = await post('/auth/login', { email: finance.email, password: PASSWORD });
    const token = first.body.accessToken as string;
    const enrol = await post('/me/totp/enrol', {}, token);
    expect(enrol.status).toBe(200);
    const secret = enrol.body.secret as string;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrol.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/zhongchou:/);
    expect(enrol.body.otpauthUri).toContain(`secret=${secret}`);
    // the secret is stored encrypted (PII vault), never in clear
    const stored = await (
      await t.db.client()
    ).query(`SELECT * FROM user_totp WHERE user_id = $1`, [finance.id]);
    expect(JSON.stringify(stored.rows)).not.toContain(secret);
    const wrong = await post('/me/totp/confirm', { code: '000000' }, token);
    expect([wrong.status, wrong.body.error.code]).toEqual([422, 'AUTH.INVALID_TOTP_CODE']);
    const confirmCode = await totpCode(secret);
    const confirmed = await post('/me/totp/confirm', { code: confirmCode }, token);
    expect(confirmed.status).toBe(200);
    const codes = confirmed.body.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    for (const c of codes) expect(c).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(new Set(codes).size).toBe(10);
    const again = await post('/me/totp/enrol', {}, token);
    expect([again.status, again.body.error.code]).toEqual([409, 'AUTH.TOTP_ALREADY_ENROLLED']);

    // login now answers a challenge, no tokens
    const challenge = await post('/auth/login', { email: finance.email, password: PASSWORD });
    expect(challenge.body).toEqual({
      secondFactorRequired: true,
      challengeToken: expect.any(String),
      challengeExpiresIn: 300,
    });
    // the challenge is not an access token
    expect(
      (
        await t.http
          .get(`${API}/me`)
          .set('authorization', `Bearer ${challenge.body.challengeToken}`)
      ).status,
    ).toBe(401);
    const bad = await post('/auth/login/totp', {
      challengeToken: challenge.body.challengeToken,
      code: '123456',
    });
    expect([bad.status, bad.body.error.code]).toEqual([401, 'AUTH.INVALID_SECOND_FACTOR']);
    // the code used to confirm cannot be used again (RFC 6238 §5.2): that very code, not the code
    // of the current step (a 30 s step may have begun since, and its code is a new one)
    const replay = await post('/auth/login/totp', {
      challengeToken: challenge.body.challengeToken,
      code: confirmCode,
    });
    expect(replay.status).toBe(401);
    const ok = await post('/auth/login/totp', {
      challengeToken: challenge.body.challengeToken,
      code: await totpCode(secret, 1),
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
    });
    const trial = await t.http
      .get(`${API}/finance/trial-balance`)
      .set('authorization', `Bearer ${ok.body.accessToken}`);
    expect(trial.status).toBe(200);

    // a recovery code works once instead of a code
    const viaRecovery = async () => {
      const c = await post('/auth/login', { email: finance.email, password: PASSWORD });
      return post('/auth/login/totp', {
        challengeToken: c.body.challengeToken,
        code: codes[3].toLowerCase(),
      });
    };
    expect((await viaRecovery()).status).toBe(200);
    expect((await viaRecovery()).body.error.code).toBe('AUTH.INVALID_SECOND_FACTOR');
    const actions = (
      await (
        await t.db.client()
      ).query<{ action: string; details: Record<string, unknown> }>(
        `SELECT action, details FROM audit_events WHERE subject_id = $1 ORDER BY id`,
        [finance.id],
      )
    ).rows;
    expect(actions.map((a) => a.action)).toEqual([
      'user.created',
      'auth.login',
      'auth.totp_enrolment_started',
      'auth.totp_enabled',
      'auth.login_challenge_issued',
      'auth.login',
      'auth.login_challenge_issued',
      'auth.recovery_code_used',
      'auth.login',
      'auth.login_challenge_issued',
    ]);
    expect(actions[5].details).toMatchObject({ secondFactor: 'TOTP' });
    expect(actions[8].details).toMatchObject({ secondFactor: 'RECOVERY_CODE' });
    const text = JSON.stringify(actions);
    for (const secretText of [secret, ...codes]) expect(text).not.toContain(secretText);
  });

  it('a forged, expired or tampered challenge is 401 AUTH.CHALLENGE_INVALID', async () => {
    const staff = await staffToken(t, 'ADMIN');
    const jwt = t.app.get(JwtService);
    const expired = await jwt.signAsync({
      sub: staff.id,
      typ: 'totp-challenge',
      exp: Math.floor(Date.now() / 1000) - 1,
    });
    const wrongType = await jwt.signAsync({ sub: staff.id, typ: 'access' });
    for (const challengeToken of [expired, wrongType, 'not-a-token'])
      expect(
        (
          await post('/auth/login/totp', {
            challengeToken,
            code: await totpCode(staff.totpSecret, 1),
          })
        ).body.error.code,
      ).toBe('AUTH.CHALLENGE_INVALID');
  });

  it('payout approval re-checks the second factor: fresh sign-in or X-TOTP-Code, else 403 AUTH.STEP_UP_REQUIRED', async () => {
    const finance = await staffToken(t, 'FINANCE');
    const approve = (token: string, code?: string) => {
      const req = t.http
        .post(`${API}/finance/payouts/${randomUUID()}/approve`)
        .set('authorization', `Bearer ${token}`);
      return code ? req.set('x-totp-code', code) : req;
    };
    // right after the TOTP sign-in the guard lets it through (the unknown payout is a 404)
    expect((await approve(finance.token)).status).toBe(404);
    // a refreshed access token carries no fresh check
    const refreshed = await post('/auth/refresh', { refreshToken: finance.refreshToken });
    const stale = await approve(refreshed.body.accessToken as string);
    expect(stale.status).toBe(403);
    expect(stale.body.error).toMatchObject({
      code: 'AUTH.STEP_UP_REQUIRED',
      details: { reason: 'MISSING', header: 'X-TOTP-Code' },
    });
    const wrong = await approve(refreshed.body.accessToken as string, '000000');
    expect(wrong.body.error).toMatchObject({
      code: 'AUTH.STEP_UP_REQUIRED',
      details: { reason: 'INVALID_CODE' },
    });
    // Test setup: staffToken spent this step's and the next step's codes; forget that, so the
    // current code is usable here (a person would simply wait for the next code).
    await (
      await t.db.client()
    ).query(`UPDATE user_totp SET last_used_step = NULL WHERE user_id = $1`, [finance.id]);
    const code = await totpCode(finance.totpSecret);
    expect((await approve(refreshed.body.accessToken as string, code)).status).toBe(404);
    // the same code twice: refused (RFC 6238 §5.2)
    const replay = await approve(refreshed.body.accessToken as string, code);
    expect(replay.body.error).toMatchObject({
      code: 'AUTH.STEP_UP_REQUIRED',
      details: { reason: 'INVALID_CODE' },
    });
    const steps = await (
      await t.db.client()
    ).query<{ action: string; details: object }>(
      `SELECT action, details FROM audit_events WHERE subject_id = $1 AND action = 'auth.step_up_verified'`,
      [finance.id],
    );
    expect(steps.rows).toEqual([
      { action: 'auth.step_up_verified', details: { purpose: 'PayoutsController.approve' } },
    ]);
  });

  it('an INVESTOR may enrol TOTP too; from then on the login asks for the code', async () => {
    const investor = await registerAndLogin(t);
    const enrol = await post('/me/totp/enrol', {}, investor.token);
    const secret = enrol.body.secret as string;
    expect(
      (await post('/me/totp/confirm', { code: await totpCode(secret) }, investor.token)).status,
    ).toBe(200);
    const challenge = await post('/auth/login', { email: investor.email, password: PASSWORD });
    expect(challenge.body.secondFactorRequired).toBe(true);
  });
});
