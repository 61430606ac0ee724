import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { IdentityService } from '../src/modules/identity/identity.service.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { PASSWORD, registerAndLogin } from './support/users.js';

const countUsers = async (t: TestApp): Promise<number> => {
  const c = await t.db.client();
  return Number((await c.query<{ n: string }>('SELECT count(*)::text AS n FROM users')).rows[0].n);
};

describe('authentication, authorisation and the HTTP error contract (DESIGN §7)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers, rejects a duplicate e-mail (409 AUTH.EMAIL_TAKEN, case-insensitive)', async () => {
    const email = `dup-${randomUUID()}@example.com`;
    const body = { email, password: PASSWORD, role: 'FOUNDER', kind: 'PERSON' };
    const first = await t.http.post('/api/v1/auth/register').send(body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ email, role: 'FOUNDER', kind: 'PERSON' });
    expect(first.body).not.toHaveProperty('passwordHash');
    const again = await t.http
      .post('/api/v1/auth/register')
      .send({ ...body, email: email.toUpperCase() });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      error: {
        code: 'AUTH.EMAIL_TAKEN',
        message: expect.any(String),
        requestId: expect.any(String),
      },
    });
  });

  it.each(['ADMIN', 'FINANCE'])(
    'self-registration as %s is refused (400, nothing written)',
    async (role) => {
      const before = await countUsers(t);
      const res = await t.http
        .post('/api/v1/auth/register')
        .send({ email: `x-${randomUUID()}@example.com`, password: PASSWORD, role, kind: 'PERSON' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.fields).toEqual([
        { field: 'role', problems: [expect.stringContaining('INVESTOR')] },
      ]);
      expect(await countUsers(t)).toBe(before);
    },
  );

  it('a JSON number where a string is expected is 400 naming the field', async () => {
    const res = await t.http.post('/api/v1/auth/register').send({
      email: `n-${randomUUID()}@example.com`,
      password: 12345678901234,
      role: 'INVESTOR',
      kind: 'PERSON',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual([
      'password',
    ]);
  });

  it('unknown fields are 400 and nothing is written', async () => {
    const before = await countUsers(t);
    const res = await t.http.post('/api/v1/auth/register').send({
      email: `u-${randomUUID()}@example.com`,
      password: PASSWORD,
      role: 'INVESTOR',
      kind: 'PERSON',
      isAdmin: true,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields[0]).toMatchObject({ field: 'isAdmin' });
    expect(await countUsers(t)).toBe(before);
  });

  it('malformed JSON is 400 VALIDATION_FAILED, not 500', async () => {
    const res = await t.http
      .post('/api/v1/auth/register')
      .set('content-type', 'application/json')
      .send('{"email": "a@b.c",');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('an oversized body is 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await t.http
      .post('/api/v1/auth/register')
      .send({ email: 'big@example.com', password: 'x'.repeat(t.config.http.bodyLimitBytes + 10) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a wrong password and an unknown e-mail are both 401 AUTH.UNAUTHENTICATED with the same message', async () => {
    const user = await registerAndLogin(t);
    const wrong = await t.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'not-the-password' });
    const unknown = await t.http
      .post('/api/v1/auth/login')
      .send({ email: `nobody-${randomUUID()}@example.com`, password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.code).toBe('AUTH.UNAUTHENTICATED');
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('a missing, malformed, tampered or expired token is 401', async () => {
    const user = await registerAndLogin(t);
    const jwt = t.app.get(JwtService);
    const [header, payload, signature] = user.token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ sub: user.id, role: 'ADMIN', iat: 1 }),
    ).toString('base64url');
    const expired = await jwt.signAsync({
      sub: user.id,
      role: 'INVESTOR',
      exp: Math.floor(Date.now() / 1000) - 60,
    });
    const otherKey = await new JwtService({
      secret: 'another-secret-of-sufficient-length-000',
    }).signAsync({
      sub: user.id,
      role: 'INVESTOR',
    });
    // Issue 12: an expired token says so (AUTH.TOKEN_EXPIRED); every 401 carries a Bearer
    // challenge (RFC 6750 §3), with error="invalid_token" when a bad token was presented.
    const cases: [string, string | undefined, string, RegExp][] = [
      ['missing', undefined, 'AUTH.UNAUTHENTICATED', /^Bearer realm="zhongchou"$/],
      ['malformed', 'Bearer not-a-jwt', 'AUTH.UNAUTHENTICATED', /error="invalid_token"/],
      [
        'tampered payload',
        `Bearer ${header}.${forgedPayload}.${signature}`,
        'AUTH.UNAUTHENTICATED',
        /error="invalid_token"/,
      ],
      [
        'tampered signature',
        `Bearer ${header}.${payload}.${signature.slice(0, -4)}AAAA`,
        'AUTH.UNAUTHENTICATED',
        /error="invalid_token"/,
      ],
      ['signed with another key', `Bearer ${otherKey}`, 'AUTH.UNAUTHENTICATED', /invalid_token/],
      [
        'expired',
        `Bearer ${expired}`,
        'AUTH.TOKEN_EXPIRED',
        /^Bearer realm="zhongchou", error="invalid_token", error_description="The access token expired"$/,
      ],
      ['wrong scheme', `Basic ${user.token}`, 'AUTH.UNAUTHENTICATED', /^Bearer/],
    ];
    for (const [name, authorization, code, challenge] of cases) {
      const req = t.http.get('/api/v1/me');
      const res = await (authorization ? req.set('authorization', authorization) : req);
      expect({ name, status: res.status, code: res.body.error?.code }).toEqual({
        name,
        status: 401,
        code,
      });
      expect({ name, challenge: res.headers['www-authenticate'] }).toEqual({
        name,
        challenge: expect.stringMatching(challenge),
      });
    }
    const ok = await t.http.get('/api/v1/me').set('authorization', `Bearer ${user.token}`);
    expect(ok.status).toBe(200);
  });

  it('a role not allowed on a route is 403 AUTH.FORBIDDEN (staff cannot do real-name verification)', async () => {
    const email = `admin-${randomUUID()}@example.com`;
    await t.app
      .get(IdentityService)
      .createUser({ email, password: PASSWORD, role: 'ADMIN', kind: 'PERSON' }, 'cli');
    const login = await t.http.post('/api/v1/auth/login').send({ email, password: PASSWORD });
    expect(login.status).toBe(200);
    const res = await t.http
      .post('/api/v1/me/real-name')
      .set('authorization', `Bearer ${login.body.accessToken}`)
      .send({ name: '管理员', idNumber: '11010519491231002X' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('AUTH.FORBIDDEN');
    const me = await t.http
      .get('/api/v1/me')
      .set('authorization', `Bearer ${login.body.accessToken}`);
    expect(me.body.role).toBe('ADMIN');
  });

  it('unknown routes are 404 NOT_FOUND in the error shape', async () => {
    const user = await registerAndLogin(t);
    const res = await t.http
      .get('/api/v1/no-such-thing')
      .set('authorization', `Bearer ${user.token}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('every response carries a request id (a sane caller id is kept) and security headers; CORS is off', async () => {
    const res = await t.http
      .get('/health')
      .set('x-request-id', 'req-12345678')
      .set('origin', 'https://evil.example');
    expect(res.headers['x-request-id']).toBe('req-12345678');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // Helmet's headers with the service's CSP (same-origin assets, no upgrade-insecure-requests).
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self' 'unsafe-inline';script-src-attr 'none';style-src 'self' 'unsafe-inline'",
    );
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const generated = await t.http.get('/health').set('x-request-id', 'bad id with spaces');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('/health reports the database and /docs-json serves the OpenAPI document', async () => {
    const health = await t.http.get('/health');
    expect(health.status).toBe(200);
    expect(health.body.info.database.status).toBe('up');
    const docs = await t.http.get('/docs-json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/register',
        '/api/v1/auth/login',
        '/api/v1/me',
        '/api/v1/me/real-name',
      ]),
    );
  });
});

describe('login rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT: '3', LOGIN_RATE_WINDOW_SECONDS: '60' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('the 4th attempt on one account within the window is 429 RATE_LIMITED with Retry-After', async () => {
    const user = await registerAndLogin(t); // one successful login used
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await t.http
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: 'guess-' + i });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 429]);
    const limited = await t.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another account from the same address is not locked out by the first one's limit.
    const other = await registerAndLogin(t);
    expect(other.token).toBeTruthy();
  });
});
