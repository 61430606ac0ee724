import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { CreditService } from '../src/modules/credit/credit.service.js';
import { startTestApp, TEST_START, type TestApp } from './support/test-app.js';
import { registerAndLogin, type TestUser, staffToken } from './support/users.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const iso = (ms: number) => new Date(Date.parse(TEST_START) + ms).toISOString();
const SECRET_NOTE = 'court judgment 2026-0417: unpaid supplier debt';

describe('PLAT-03 credit records and market access', () => {
  let t: TestApp;
  let admin: { id: string; token: string };
  let credit: CreditService;

  const as = (token: string) => ({
    get: (path: string) => t.http.get(`/api/v1${path}`).set('authorization', `Bearer ${token}`),
    post: (path: string, body?: object) =>
      t.http
        .post(`/api/v1${path}`)
        .set('authorization', `Bearer ${token}`)
        .send(body ?? {}),
  });
  const sql = async <R extends object>(text: string, params: unknown[] = []): Promise<R[]> =>
    (await (await t.db.client()).query<R>(text, params)).rows;
  const countRecords = async () =>
    Number((await sql<{ n: string }>(`SELECT count(*)::text AS n FROM credit_records`))[0].n);
  const recordBody = (userId: string, override: object = {}) => ({
    userId,
    kind: 'DEFAULT',
    severity: 'BLOCKING',
    source: 'PLATFORM',
    note: SECRET_NOTE,
    ...override,
  });
  const record = async (userId: string, override: object = {}) => {
    const res = await as(admin.token).post('/admin/credit-records', recordBody(userId, override));
    if (res.status !== 201) throw new Error(`record failed: ${res.status} ${res.text}`);
    return res.body as { id: string; active: boolean };
  };

  beforeAll(async () => {
    t = await startTestApp();
    credit = t.app.get(CreditService);
    admin = await staffToken(t, 'ADMIN'); // issue 13: staff sign in with TOTP
  });
  afterEach(() => {
    t.clock.set(TEST_START);
  });
  afterAll(async () => {
    await t.close();
  });

  it('PLAT-03: a BLOCKING record denies market access until an ADMIN lifts it, once', async () => {
    const u = await registerAndLogin(t);
    await expect(credit.assertMarketAccess(u.id)).resolves.toBeUndefined();

    const res = await as(admin.token).post('/admin/credit-records', recordBody(u.id));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      userId: u.id,
      kind: 'DEFAULT',
      severity: 'BLOCKING',
      source: 'PLATFORM',
      effectiveFrom: TEST_START, // defaults to now (the fixed clock)
      effectiveUntil: null,
      note: SECRET_NOTE,
      createdBy: admin.id,
      createdAt: TEST_START,
      liftedAt: null,
      liftedBy: null,
      liftReason: null,
      active: true,
    });
    const id = res.body.id as string;

    const denied = credit.assertMarketAccess(u.id);
    await expect(denied).rejects.toMatchObject({
      code: 'CREDIT.MARKET_ACCESS_DENIED',
      kind: 'FORBIDDEN',
      details: { rule: 'PLAT-03', records: [{ id, kind: 'DEFAULT', effectiveUntil: null }] },
    });
    const error = await denied.catch((e: unknown) => e);
    expect(JSON.stringify(error)).not.toContain('court judgment');
    // Another user is not affected.
    await expect(
      credit.assertMarketAccess((await registerAndLogin(t)).id),
    ).resolves.toBeUndefined();

    t.clock.advanceMs(HOUR_MS);
    const lifted = await as(admin.token).post(`/admin/credit-records/${id}/lift`, {
      reason: 'debt settled, receipt checked',
    });
    expect(lifted.status).toBe(200);
    expect(lifted.body).toMatchObject({
      id,
      liftedAt: iso(HOUR_MS),
      liftedBy: admin.id,
      liftReason: 'debt settled, receipt checked',
      active: false,
    });
    await expect(credit.assertMarketAccess(u.id)).resolves.toBeUndefined();

    const again = await as(admin.token).post(`/admin/credit-records/${id}/lift`, {
      reason: 'again',
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 'CREDIT.ALREADY_LIFTED',
      details: { liftedAt: iso(HOUR_MS) },
    });
    const [row] = await sql<{ lift_reason: string }>(
      `SELECT lift_reason FROM credit_records WHERE id = $1`,
      [id],
    );
    expect(row.lift_reason).toBe('debt settled, receipt checked');
  });

  it('PLAT-03: recording and lifting each write an audit event, without the note', async () => {
    const u = await registerAndLogin(t);
    const { id } = await record(u.id, { kind: 'FRAUD', source: 'CITY_CREDIT_SYSTEM' });
    await as(admin.token).post(`/admin/credit-records/${id}/lift`, { reason: 'court overturned' });
    const events = await sql<{
      action: string;
      actor_id: string;
      details: Record<string, unknown>;
    }>(
      `SELECT action, actor_id, details FROM audit_events
        WHERE subject_type = 'credit_record' AND subject_id = $1 ORDER BY id`,
      [id],
    );
    expect(events).toEqual([
      {
        action: 'credit.recorded',
        actor_id: admin.id,
        details: {
          rules: ['PLAT-03'],
          userId: u.id,
          kind: 'FRAUD',
          severity: 'BLOCKING',
          source: 'CITY_CREDIT_SYSTEM',
          effectiveFrom: TEST_START,
          effectiveUntil: null,
        },
      },
      {
        action: 'credit.lifted',
        actor_id: admin.id,
        details: {
          rules: ['PLAT-03'],
          userId: u.id,
          kind: 'FRAUD',
          severity: 'BLOCKING',
          wasInForce: true,
        },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain('court judgment');
  });

  it('PLAT-03: two admins lifting the same record at once: one 200, one 409, one audit event', async () => {
    const u = await registerAndLogin(t);
    const { id } = await record(u.id);
    const results = await Promise.all(
      [1, 2].map((n) =>
        as(admin.token).post(`/admin/credit-records/${id}/lift`, { reason: `r${n}` }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const lifts = await sql<{ n: string }>(
      `SELECT count(*)::text AS n FROM audit_events WHERE subject_id = $1 AND action = 'credit.lifted'`,
      [id],
    );
    expect(lifts[0].n).toBe('1');
  });

  it('PLAT-03: a WARNING record never blocks market access', async () => {
    const u = await registerAndLogin(t);
    const warning = await record(u.id, { severity: 'WARNING', kind: 'REPEATED_FINANCING' });
    expect(warning.active).toBe(true);
    await expect(credit.assertMarketAccess(u.id)).resolves.toBeUndefined();
    t.clock.advanceMs(365 * DAY_MS);
    await expect(credit.assertMarketAccess(u.id)).resolves.toBeUndefined();
  });

  it('PLAT-03: a future record blocks only from effectiveFrom, and no longer once effectiveUntil passes', async () => {
    const u = await registerAndLogin(t);
    const from = iso(DAY_MS);
    const until = iso(3 * DAY_MS);
    const future = await record(u.id, {
      kind: 'MISREPRESENTATION',
      effectiveFrom: from,
      effectiveUntil: until,
    });
    expect(future.active).toBe(false);
    await expect(credit.assertMarketAccess(u.id)).resolves.toBeUndefined();
    const activeIds = async () =>
      (
        await as(admin.token).get(`/admin/credit-records?userId=${u.id}&active=true`)
      ).body.items.map((r: { id: string }) => r.id);
    expect(await activeIds()).toEqual([]);

    t.clock.set(new Date(Date.parse(from) - 1));
    await expect(credit.assertMarketAccess(u.id)).resolves.toBeUndefined();
    t.clock.set(from);
    await expect(credit.assertMarketAccess(u.id)).rejects.toMatchObject({
      code: 'CREDIT.MARKET_ACCESS_DENIED',
      details: { records: [{ id: future.id, kind: 'MISREPRESENTATION', effectiveUntil: until }] },
    });
    expect(await activeIds()).toEqual([future.id]);

    t.clock.advanceMs(2 * DAY_MS - 1);
    await expect(credit.assertMarketAccess(u.id)).rejects.toMatchObject({
      code: 'CREDIT.MARKET_ACCESS_DENIED',
    });
    t.clock.advanceMs(1); // effectiveUntil is exclusive
    await expect(credit.assertMarketAccess(u.id)).resolves.toBeUndefined();
    expect(await activeIds()).toEqual([]);
  });

  it('PLAT-03: a record that already expired when it was entered does not block', async () => {
    const u = await registerAndLogin(t);
    const past = await record(u.id, {
      effectiveFrom: iso(-30 * DAY_MS),
      effectiveUntil: iso(-DAY_MS),
    });
    expect(past.active).toBe(false);
    await expect(credit.assertMarketAccess(u.id)).resolves.toBeUndefined();
  });

  it('PLAT-03: the list filters by user and by active, newest first', async () => {
    const u = await registerAndLogin(t);
    const other = await registerAndLogin(t);
    const first = await record(u.id, { severity: 'WARNING' });
    t.clock.advanceMs(1000);
    const second = await record(u.id);
    t.clock.advanceMs(1000);
    const third = await record(u.id, { effectiveFrom: iso(10 * DAY_MS) });
    t.clock.advanceMs(1000);
    await as(admin.token).post(`/admin/credit-records/${second.id}/lift`, { reason: 'paid' });
    await record(other.id);

    const ids = async (query: string) => {
      const res = await as(admin.token).get(`/admin/credit-records?${query}`);
      expect(res.status).toBe(200);
      return res.body.items.map((r: { id: string }) => r.id);
    };
    expect(await ids(`userId=${u.id}`)).toEqual([third.id, second.id, first.id]);
    expect(await ids(`userId=${u.id}&active=true`)).toEqual([first.id]);
    expect(await ids(`userId=${u.id}&active=false`)).toEqual([third.id, second.id]);
    expect(await ids(`userId=${u.id}&limit=1`)).toEqual([third.id]);
    expect((await ids('')).length).toBeGreaterThanOrEqual(4);
  });

  it('PLAT-03: INVESTOR and FOUNDER get 403 on every credit-record route, anonymous 401', async () => {
    const target = await registerAndLogin(t);
    const { id } = await record(target.id);
    const before = await countRecords();
    const investor: TestUser = await registerAndLogin(t, 'INVESTOR');
    const founder: TestUser = await registerAndLogin(t, 'FOUNDER');
    for (const who of [investor, founder]) {
      const calls = [
        await as(who.token).post('/admin/credit-records', recordBody(who.id)),
        await as(who.token).get('/admin/credit-records'),
        await as(who.token).get(`/admin/credit-records?userId=${who.id}`),
        await as(who.token).post(`/admin/credit-records/${id}/lift`, { reason: 'mine' }),
      ];
      for (const res of calls) {
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('AUTH.FORBIDDEN');
      }
    }
    const anonymous = [
      await t.http.post('/api/v1/admin/credit-records').send(recordBody(target.id)),
      await t.http.get('/api/v1/admin/credit-records'),
      await t.http.post(`/api/v1/admin/credit-records/${id}/lift`).send({ reason: 'x' }),
    ];
    for (const res of anonymous) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('AUTH.UNAUTHENTICATED');
    }
    expect(await countRecords()).toBe(before);
    await expect(credit.assertMarketAccess(target.id)).rejects.toMatchObject({
      code: 'CREDIT.MARKET_ACCESS_DENIED',
    });
  });

  it.each([
    ['an unknown kind', { kind: 'BANKRUPTCY' }, 'kind'],
    ['an unknown severity', { severity: 'FATAL' }, 'severity'],
    [
      'effectiveUntil before effectiveFrom',
      { effectiveFrom: iso(DAY_MS), effectiveUntil: iso(0) },
      'effectiveUntil',
    ],
    [
      'effectiveUntil equal to effectiveFrom',
      { effectiveFrom: iso(0), effectiveUntil: iso(0) },
      'effectiveUntil',
    ],
    [
      'effectiveUntil before the default effectiveFrom (now)',
      { effectiveUntil: iso(-1) },
      'effectiveUntil',
    ],
    ['a missing note', { note: undefined }, 'note'],
    ['a blank note', { note: '   ' }, 'note'],
    ['a note over 1000 characters', { note: 'x'.repeat(1001) }, 'note'],
    ['an empty source', { source: '' }, 'source'],
    ['a source over 100 characters', { source: 'S'.repeat(101) }, 'source'],
    ['a timestamp without a zone', { effectiveFrom: '2026-12-01T00:00:00' }, 'effectiveFrom'],
    ['an impossible date', { effectiveUntil: '2026-02-30T00:00:00Z' }, 'effectiveUntil'],
    ['a userId that is not a uuid', { userId: 'user-1' }, 'userId'],
    ['an unknown field', { score: 3 }, 'score'],
  ])(
    'PLAT-03: a record with %s is 400 naming the field, nothing stored',
    async (_name, override, field) => {
      const u = await registerAndLogin(t);
      const before = await countRecords();
      const res = await as(admin.token).post('/admin/credit-records', recordBody(u.id, override));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual([field]);
      expect(await countRecords()).toBe(before);
      await expect(credit.assertMarketAccess(u.id)).resolves.toBeUndefined();
    },
  );

  it('PLAT-03: an unknown user is 404 and nothing is stored', async () => {
    const before = await countRecords();
    const res = await as(admin.token).post('/admin/credit-records', recordBody(randomUUID()));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    expect(await countRecords()).toBe(before);
  });

  it('PLAT-03: bad lift requests: non-uuid id 400, unknown id 404, missing or unknown fields 400', async () => {
    const u = await registerAndLogin(t);
    const { id } = await record(u.id);
    const lift = (path: string, body: object) => as(admin.token).post(path, body);
    expect((await lift('/admin/credit-records/not-a-uuid/lift', { reason: 'x' })).status).toBe(400);
    const unknown = await lift(`/admin/credit-records/${randomUUID()}/lift`, { reason: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    for (const [body, field] of [
      [{}, 'reason'],
      [{ reason: '' }, 'reason'],
      [{ reason: 'r'.repeat(501) }, 'reason'],
      [{ reason: 'ok', liftedBy: u.id }, 'liftedBy'],
    ] as const) {
      const res = await lift(`/admin/credit-records/${id}/lift`, body);
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    }
    await expect(credit.assertMarketAccess(u.id)).rejects.toMatchObject({
      code: 'CREDIT.MARKET_ACCESS_DENIED',
    });
    const audit = await sql<{ n: string }>(
      `SELECT count(*)::text AS n FROM audit_events WHERE subject_id = $1 AND action = 'credit.lifted'`,
      [id],
    );
    expect(audit[0].n).toBe('0');
  });

  it('PLAT-03: bad list queries are 400', async () => {
    for (const [query, field] of [
      ['active=yes', 'active'],
      ['userId=someone', 'userId'],
      ['limit=0', 'limit'],
      ['page=2', 'page'],
    ]) {
      const res = await as(admin.token).get(`/admin/credit-records?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    }
  });

  it('PLAT-03: the database refuses to edit, delete or twice-lift a credit record', async () => {
    const u = await registerAndLogin(t);
    const { id } = await record(u.id);
    const client = await t.db.client();
    await expect(
      client.query(`UPDATE credit_records SET severity = 'WARNING' WHERE id = $1`, [id]),
    ).rejects.toThrow(/only be lifted/);
    await expect(client.query(`DELETE FROM credit_records WHERE id = $1`, [id])).rejects.toThrow(
      /not allowed/,
    );
    await expect(
      client.query(`UPDATE credit_records SET lifted_at = now() WHERE id = $1`, [id]),
    ).rejects.toThrow(/credit_records_lift_check/);
    await client.query(
      `UPDATE credit_records SET lifted_at = now(), lifted_by = $2, lift_reason = 'ok' WHERE id = $1`,
      [id, admin.id],
    );
    await expect(
      client.query(`UPDATE credit_records SET lift_reason = 'changed' WHERE id = $1`, [id]),
    ).rejects.toThrow(/only be lifted/);
    await expect(
      client.query(
        `INSERT INTO credit_records (id, user_id, kind, severity, source, effective_from, effective_until, note, created_by, created_at)
         VALUES ($1, $2, 'DEFAULT', 'BLOCKING', 'PLATFORM', now(), now() - interval '1 day', 'n', $3, now())`,
        [randomUUID(), u.id, admin.id],
      ),
    ).rejects.toThrow(/credit_records_effective_check/);
  });
});
