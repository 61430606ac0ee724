import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { registerAndLogin, staffToken } from '../support/users.js';

interface Route {
  method: string;
  /** OpenAPI form, /api/v1/finance/accounts/{code}/statement */
  path: string;
  /** With placeholder values for the path parameters. */
  url: string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const placeholder = (name: string) => (name === 'code' ? 'custody:cash' : randomUUID());

/**
 * The FINANCE-only matrix, over every /finance/* route the app documents in its OpenAPI document:
 * routes other engineers add later are covered without touching this test.
 */
describe('access to /finance/*: FINANCE only, from the OpenAPI document; every FINANCE request audited', () => {
  let t: TestApp;
  let routes: Route[];
  const tokens: Record<string, string> = {};
  let financeId: string;

  const call = (route: Route, token?: string) => {
    const method = route.method as (typeof METHODS)[number];
    const req = t.http[method](route.url);
    if (token) void req.set('authorization', `Bearer ${token}`);
    return method === 'get' || method === 'delete' ? req : req.send({});
  };

  beforeAll(async () => {
    t = await startTestApp();
    tokens.INVESTOR = (await registerAndLogin(t, 'INVESTOR')).token;
    tokens.FOUNDER = (await registerAndLogin(t, 'FOUNDER')).token;
    tokens.ADMIN = (await staffToken(t, 'ADMIN')).token;
    const finance = await staffToken(t, 'FINANCE');
    tokens.FINANCE = finance.token;
    financeId = finance.id;
    const doc = await t.http.get('/docs-json');
    expect(doc.status).toBe(200);
    const paths = doc.body.paths as Record<string, Record<string, unknown>>;
    routes = Object.entries(paths)
      .filter(([path]) => path.startsWith('/api/v1/finance/'))
      .flatMap(([path, item]) =>
        METHODS.filter((m) => item[m]).map((method) => ({
          method,
          path,
          url: path.replace(/\{(\w+)\}/g, (_, name: string) =>
            encodeURIComponent(placeholder(name)),
          ),
        })),
      );
  });
  afterAll(async () => {
    await t.close();
  });

  it('the document lists the finance routes (so the matrix below is not vacuous)', () => {
    const listed = routes.map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(listed).toEqual(
      expect.arrayContaining([
        'GET /api/v1/finance/trial-balance',
        'GET /api/v1/finance/accounts/{code}/statement',
        'GET /api/v1/finance/campaigns/{id}/escrow',
        'GET /api/v1/finance/verify',
        'GET /api/v1/finance/seals',
        'POST /api/v1/finance/payouts/{id}/approve',
        'POST /api/v1/finance/payouts/{id}/reject',
      ]),
    );
  });

  it('anonymous 401, INVESTOR / FOUNDER / ADMIN 403, FINANCE passes', async () => {
    for (const route of routes) {
      const name = `${route.method.toUpperCase()} ${route.path}`;
      const anonymous = await call(route);
      expect([name, anonymous.status, anonymous.body.error?.code]).toEqual([
        name,
        401,
        'AUTH.UNAUTHENTICATED',
      ]);
      for (const role of ['INVESTOR', 'FOUNDER', 'ADMIN']) {
        const res = await call(route, tokens[role]);
        expect([name, role, res.status, res.body.error?.code]).toEqual([
          name,
          role,
          403,
          'AUTH.FORBIDDEN',
        ]);
      }
      const finance = await call(route, tokens.FINANCE);
      // Placeholder ids may be unknown (404) or a body incomplete (400): never refused for the role.
      expect([name, [401, 403].includes(finance.status) || finance.status >= 500]).toEqual([
        name,
        false,
      ]);
    }
  });

  it('every FINANCE request above left an audit row naming the actor, the route and its status', async () => {
    const sql = await t.db.client();
    const rows = await sql.query<{ subject_id: string; status: number }>(
      `SELECT subject_id, (details->>'status')::int AS status FROM audit_events
       WHERE action = 'finance.request' AND actor_id = $1`,
      [financeId],
    );
    for (const route of routes) {
      const subject = `${route.method.toUpperCase()} ${route.path.replace(/\{(\w+)\}/g, ':$1')}`;
      expect([subject, rows.rows.some((r) => r.subject_id === subject)]).toEqual([subject, true]);
    }
    // No body is ever recorded: the reject call sent one.
    const bodies = await sql.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'finance.request' AND details ? 'body'`,
    );
    expect(bodies.rows[0].n).toBe(0);
  });

  it('GET /admin/pledges/:id/evidence stays ADMIN and FINANCE', async () => {
    const url = `/api/v1/admin/pledges/${randomUUID()}/evidence`;
    expect((await t.http.get(url)).status).toBe(401);
    for (const role of ['INVESTOR', 'FOUNDER']) {
      const res = await t.http.get(url).set('authorization', `Bearer ${tokens[role]}`);
      expect([role, res.status]).toEqual([role, 403]);
    }
    for (const role of ['ADMIN', 'FINANCE']) {
      const res = await t.http.get(url).set('authorization', `Bearer ${tokens[role]}`);
      expect([role, res.status]).toEqual([role, 404]);
    }
  });
});
