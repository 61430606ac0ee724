import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase } from './support/test-database.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { PASSWORD, registerAndLogin } from './support/users.js';
import { freePort } from './support/free-port.js';

/**
 * What a newcomer tripped over (issue 12): a malformed JSON body answered "The request is not
 * valid." without saying why; a JSON body sent as text/plain (or curl's default form type) reached
 * the validation pipe and came back as field errors about fields that were sent; an oversized
 * amount did not say the limit; and the service's own lines and pino's disagreed on the level
 * (labels in one, numbers in the other).
 */
/** pino's levels, as words: a line with a number (pino's default) or anything else is another format. */
const LOG_LEVEL_LABELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

const countUsers = async (t: TestApp): Promise<number> => {
  const c = await t.db.client();
  return Number((await c.query<{ n: string }>('SELECT count(*)::text AS n FROM users')).rows[0].n);
};

const errorBody = (code: string) => ({
  error: {
    code,
    message: expect.any(String),
    details: expect.any(Object),
    requestId: expect.any(String),
  },
});

const registration = () => ({
  email: `json-${randomUUID()}@example.com`,
  password: PASSWORD,
  role: 'INVESTOR',
  kind: 'PERSON',
});

describe('JSON bodies, content types and money limits (DESIGN §3, §7)', () => {
  let t: TestApp;
  /** Raw requests (a body with no Content-Type, an empty one): fetch against the listening app. */
  let raw: (
    path: string,
    headers: Record<string, string>,
    body: Uint8Array | string,
  ) => Promise<{
    status: number;
    body: { error: { code: string; message: string } };
  }>;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    const origin = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    raw = async (path, headers, body) => {
      const res = await fetch(`${origin}${path}`, { method: 'POST', headers, body });
      return { status: res.status, body: (await res.json()) as never };
    };
  });
  afterAll(async () => {
    await t.close();
  });

  it('a malformed JSON body is 400 VALIDATION_FAILED saying the body is not valid JSON; nothing written', async () => {
    const before = await countUsers(t);
    const res = await t.http
      .post('/api/v1/auth/register')
      .set('content-type', 'application/json')
      .send('{"email": "a@b.c",');
    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorBody('VALIDATION_FAILED'));
    expect(res.body.error.message).toBe('The request body is not valid JSON.');
    expect(res.body.error.details.fields).toEqual([
      { field: '(body)', problems: [expect.stringContaining('valid JSON')] },
    ]);
    expect(await countUsers(t)).toBe(before);
  });

  it('a JSON body with a prototype-poisoning key is refused the same way', async () => {
    const res = await t.http
      .post('/api/v1/auth/register')
      .set('content-type', 'application/json')
      .send(`{"__proto__":{"role":"ADMIN"},"email":"p-${randomUUID()}@example.com"}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toBe('The request body is not valid JSON.');
  });

  it('an empty body declared as JSON is 400 saying it is empty', async () => {
    const res = await raw('/api/v1/auth/login', { 'content-type': 'application/json' }, '');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: { code: 'VALIDATION_FAILED', message: 'The request body is empty.' },
    });
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['text/plain; charset=utf-8', 'text/plain'],
    ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
    ['application/xml', 'application/xml'],
  ])(
    'a JSON body sent as %s is 415 UNSUPPORTED_MEDIA_TYPE in the standard error body; nothing written',
    async (contentType, mediaType) => {
      const before = await countUsers(t);
      const res = await t.http
        .post('/api/v1/auth/register')
        .set('content-type', contentType)
        .send(JSON.stringify(registration()));
      expect(res.status).toBe(415);
      expect(res.body).toEqual(errorBody('UNSUPPORTED_MEDIA_TYPE'));
      expect(res.body.error.details).toEqual({ contentType: mediaType });
      expect(res.body.error.message).toContain('application/json');
      expect(res.body.error.message).toContain(mediaType);
      expect(await countUsers(t)).toBe(before);
    },
  );

  it('a body with no Content-Type at all is 415 too', async () => {
    const before = await countUsers(t);
    const res = await raw(
      '/api/v1/auth/register',
      {},
      new TextEncoder().encode(JSON.stringify(registration())),
    );
    expect(res.status).toBe(415);
    expect(res.body).toEqual(errorBody('UNSUPPORTED_MEDIA_TYPE'));
    expect(await countUsers(t)).toBe(before);
  });

  it('the same body as application/json is accepted (the refusal is about the type, not the body)', async () => {
    const res = await t.http
      .post('/api/v1/auth/register')
      .set('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify(registration()));
    expect(res.status).toBe(201);
  });

  it('an empty body of another type is no body (bodiless routes work from any client), and an unknown URL stays 404', async () => {
    const empty = await raw(
      '/api/v1/auth/login',
      { 'content-type': 'text/plain;charset=UTF-8' },
      '',
    );
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('VALIDATION_FAILED');
    const unknown = await t.http
      .post('/api/v1/no-such-route')
      .set('content-type', 'text/plain')
      .send('hello');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });

  it('DESIGN §3: an amount over 16 integer digits is 400 and the message states the limit', async () => {
    const investor = await registerAndLogin(t, 'INVESTOR');
    const figures = (annualIncome: string) =>
      t.http
        .put('/api/v1/investors/me/financials')
        .set('authorization', `Bearer ${investor.token}`)
        .send({
          annualIncome,
          financialAssets: '0.00',
          netWorth: '0.00',
          investmentExperienceYears: 1,
        });
    const tooBig = await figures('12345678901234567.00');
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.details.fields).toEqual([
      {
        field: 'annualIncome',
        problems: [expect.stringContaining('at most 16 integer digits and 2 decimals')],
      },
    ]);
    const largest = await figures('9999999999999999.99');
    expect(largest.status).toBe(200);
  });

  it('every log line of the app is JSON with the level as a label, an ISO time and the service name', async () => {
    await t.http.get('/health/live');
    await t.http.post('/api/v1/auth/register').set('content-type', 'text/plain').send('{}');
    const lines = t.logs
      .join('')
      .split('\n')
      .filter((l) => l.length > 0);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expectOneFormat(line);
  });
});

function expectOneFormat(line: string): void {
  const entry = JSON.parse(line) as Record<string, unknown>;
  expect({ line, level: LOG_LEVEL_LABELS.includes(entry.level as string) }).toEqual({
    line,
    level: true,
  });
  expect({ line, time: entry.time }).toEqual({
    line,
    time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
  });
  expect({ line, service: entry.service }).toEqual({ line, service: 'zhongchou' });
  expect({ line, msg: typeof entry.msg }).toEqual({ line, msg: 'string' });
}

describe('one log format for the whole service process (boot, requests, shutdown)', () => {
  const ENTRY = path.resolve('dist/src/main.js');

  function run(env: Record<string, string>) {
    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    const child = spawn(process.execPath, [ENTRY], {
      env: { ...inherited, NODE_ENV: 'development', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    return { child, exited, lines: () => `${stdout}${stderr}`.split('\n').filter(Boolean) };
  }

  it('npm start writes only JSON lines of one shape, from pino and from main.ts alike', async () => {
    const db = await createTestDatabase();
    const port = await freePort();
    const service = run({
      DATABASE_URL: db.url,
      PORT: String(port),
      LOG_LEVEL: 'info',
      SEAL_INTERVAL_MS: '0',
      SWEEP_INTERVAL_MS: '0',
    });
    try {
      const started = Date.now();
      let up = false;
      while (!up && Date.now() - started < 60_000) {
        up = await fetch(`http://127.0.0.1:${port}/health/live`).then(
          (r) => r.ok,
          () => false,
        );
        if (!up) await new Promise((r) => setTimeout(r, 200));
      }
      expect(up).toBe(true);
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      const lines = service.lines();
      // main.ts's own lines, pino's request lines and Nest's lines are all there ...
      expect(lines.some((l) => l.includes('JWT_SECRET is not set'))).toBe(true);
      expect(lines.some((l) => l.includes('request completed'))).toBe(true);
      expect(lines.some((l) => l.includes('"context":"InstanceLoader"'))).toBe(true);
      expect(lines.some((l) => l.includes('shut down cleanly'))).toBe(true);
      // ... and every one has the same shape.
      for (const line of lines) expectOneFormat(line);
      const warning = lines.find((l) => l.includes('JWT_SECRET is not set'))!;
      expect(JSON.parse(warning).level).toBe('warn');
    } finally {
      service.child.kill('SIGKILL');
      await db.drop();
    }
  }, 90_000);

  it('a configuration error at boot is one fatal JSON line naming the setting', async () => {
    const service = run({ PORT: 'eighty' });
    expect(await service.exited).toBe(1);
    const lines = service.lines();
    expect(lines).toHaveLength(1);
    expectOneFormat(lines[0]);
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 'fatal',
      problems: [expect.stringContaining('PORT must be a whole number')],
    });
  });
});
