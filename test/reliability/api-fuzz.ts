import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import type pg from 'pg';
import {
  type ApiRoute,
  apiRoutes,
  type OpenApiDocument,
  openApiDocument,
  responseProblems,
  routesTo,
} from '../support/openapi.js';
import {
  acknowledgeCampaign,
  debtTerms,
  liveCampaign,
  pledge,
  readyInvestor,
} from '../support/pledging.js';
import type { TestApp } from '../support/test-app.js';
import { staffToken, verifiedUser } from '../support/users.js';
import { type FuzzRequest, requestArbitrary } from './api-fuzz-requests.js';

/**
 * API fuzzing over every route of the OpenAPI document (DESIGN §7: "never a 500 for bad input").
 *
 * Each case is one hostile request built from (and against) the route's schema: wrong types,
 * missing and extra fields, huge strings, tricky unicode, bad money, arrays for objects, deep
 * nesting, invalid JSON, wrong content types, bad path and query values, missing, duplicated and
 * oversized Idempotency-Key and Authorization headers. It is sent either as a real user of the
 * route's role (so the checks behind authorisation are reached) or anonymously.
 *
 * Properties of every response:
 * 1. never a 5xx;
 * 2. every 4xx carries the error body `{"error":{"code","message",...}}` with a stable code;
 * 3. the answer is one the OpenAPI document declares for the route: its status is listed, a 4xx
 *    code is one of that status's `x-error-codes`, and a JSON body conforms to the declared
 *    schema. Exempt: answers from another route (a hostile path parameter such as `../..` routes
 *    elsewhere) and the HTTP parser's refusals before any route is chosen (431, 408, malformed:
 *    they carry no `x-request-id`), which the document describes once, not per operation;
 * 4. a 4xx writes nothing: the exact row count and a digest of the content of every table in the
 *    public schema, and the sum of the ledger's account counters, are the same before and after.
 *    One narrow exception, by design (DESIGN §4, IdempotencyService.rememberRuleFailure): a 422
 *    on a request carrying a well-formed Idempotency-Key may add exactly one `idempotency_records`
 *    row, and nothing else. A second one: a FINANCE user's request to `/finance/*` adds exactly
 *    one `audit_events` row, `finance.request` with the response's status (the finance office's
 *    read audit trail records refused reads too). A third: a refusal by rule (403, 409, 422) may
 *    add up to two `audit_events` rows, each a refusal record (`REFUSAL_ACTIONS`) carrying the
 *    response's code (CONV-05: every refused pledge and denied market access is audited). No
 *    other refused request is audited.
 */

/** CONV-05: the audit actions that record a refusal (with the refusal's code in details.code). */
export const REFUSAL_ACTIONS = new Set(['pledge.refused', 'credit.market_access_denied']);

export type Role = 'INVESTOR' | 'FOUNDER' | 'ADMIN' | 'FINANCE';
export type Caller = Role | 'anonymous';

export interface FuzzWorld {
  t: TestApp;
  doc: OpenApiDocument;
  routes: ApiRoute[];
  tokens: Record<Role, string>;
  /** The role whose user is "the authorised caller" of each route (anonymous for public ones). */
  callerOf: Map<string, Caller>;
  ids: { campaign: string; pledge: string; users: string[] };
  snapshotSql: string;
}

export interface FuzzReport {
  cases: number;
  byStatus: Record<string, number>;
  /** Per route, how often each `status code` answer came back (FUZZ_REPORT_FILE writes it out). */
  byRoute: Record<string, Record<string, number>>;
}

const ROLES: Role[] = ['INVESTOR', 'FOUNDER', 'ADMIN', 'FINANCE'];
const KEY_FORMAT = /^[A-Za-z0-9._:-]{1,200}$/;
const ERROR_CODE = /^[A-Z][A-Z_]*(\.[A-Z][A-Z_]*)*$/;

/** Users of every role, a LIVE campaign with a pledge: real ids for the fuzzer to aim at. */
export async function buildFuzzWorld(t: TestApp): Promise<FuzzWorld> {
  const [admin, finance, founder, investor] = await Promise.all([
    staffToken(t, 'ADMIN'),
    staffToken(t, 'FINANCE'),
    verifiedUser(t, 'FOUNDER'),
    readyInvestor(t, { deposit: '100000.00' }),
  ]);
  const campaign = await liveCampaign(t, founder, admin.token, debtTerms());
  await acknowledgeCampaign(t, investor, campaign);
  const placed = await pledge(t, investor, campaign, { amount: '100.00' });
  if (placed.status !== 201) throw new Error(`pledge: ${placed.status} ${placed.text}`);
  const tokens: Record<Role, string> = {
    INVESTOR: investor.token,
    FOUNDER: founder.token,
    ADMIN: admin.token,
    FINANCE: finance.token,
  };
  const doc = await openApiDocument(t);
  // An event stream (GET /me/notifications/stream) answers 200 and never ends: nothing to fuzz.
  const routes = apiRoutes(doc).filter(
    (r) =>
      !JSON.stringify(r.operation).includes('text/event-stream') &&
      !r.path.endsWith('/notifications/stream'),
  );
  const world: FuzzWorld = {
    t,
    doc,
    routes,
    tokens,
    callerOf: new Map(),
    ids: {
      campaign,
      pledge: placed.body.id as string,
      users: [admin.id, finance.id, founder.id, investor.id],
    },
    snapshotSql: await buildSnapshotSql(await t.db.client()),
  };
  for (const route of routes) world.callerOf.set(route.key, await authorisedCaller(world, route));
  return world;
}

/**
 * Which role gets past authorisation on a route, found by asking: a request with made-up ids and
 * a body that fails validation (guards run before pipes), so the probe itself changes nothing.
 */
async function authorisedCaller(world: FuzzWorld, route: ApiRoute): Promise<Caller> {
  const path = route.path.replace(/\{[^}]+\}/g, () => randomUUID());
  for (const role of ROLES) {
    const res = await world.t.http[verb(route.method)](path)
      .set('authorization', `Bearer ${world.tokens[role]}`)
      .set('content-type', 'application/json')
      .send('[]');
    if (res.status !== 401 && res.status !== 403) return role;
  }
  return 'anonymous';
}

const verb = (method: string) =>
  method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';

// ---------------------------------------------------------------- snapshots

export interface Snapshot {
  rows: Map<string, { count: string; digest: string }>;
  ledgerCounters: string;
}

async function buildSnapshotSql(client: pg.Client): Promise<string> {
  const tables = await client.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const perTable = tables.rows.map(
    ({ table_name: name }) =>
      `SELECT '${name}' AS name, count(*)::text AS count,
              md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS digest
       FROM "${name}" x`,
  );
  const counters = `SELECT '(ledger counters)' AS name,
      coalesce(sum(debits_posted + credits_posted + debits_pending + credits_pending), 0)::text,
      '' FROM ledger_accounts`;
  return [...perTable, counters].join('\nUNION ALL\n');
}

export async function snapshot(world: FuzzWorld): Promise<Snapshot> {
  const client = await world.t.db.client();
  const r = await client.query<{ name: string; count: string; digest: string }>(world.snapshotSql);
  const rows = new Map<string, { count: string; digest: string }>();
  let ledgerCounters = '0';
  for (const row of r.rows) {
    if (row.name === '(ledger counters)') ledgerCounters = row.count;
    else rows.set(row.name, { count: row.count, digest: row.digest });
  }
  return { rows, ledgerCounters };
}

/** The tables a 4xx changed, minus the one documented exception. */
export function writesOf(
  before: Snapshot,
  after: Snapshot,
  remembered422: boolean,
  financeRead = false,
  refusalAudits = 0,
): string[] {
  const changed: string[] = [];
  if (before.ledgerCounters !== after.ledgerCounters)
    changed.push(`ledger counters ${before.ledgerCounters} -> ${after.ledgerCounters}`);
  for (const [name, b] of before.rows) {
    const a = after.rows.get(name);
    if (!a || (a.count === b.count && a.digest === b.digest)) continue;
    if (remembered422 && name === 'idempotency_records' && Number(a.count) === Number(b.count) + 1)
      continue;
    if (financeRead && name === 'audit_events' && Number(a.count) === Number(b.count) + 1) continue;
    if (
      refusalAudits > 0 &&
      name === 'audit_events' &&
      Number(a.count) === Number(b.count) + refusalAudits
    )
      continue;
    changed.push(
      `${name}: ${b.count} -> ${a?.count} rows${a.count === b.count ? ' (updated)' : ''}`,
    );
  }
  return changed;
}

/**
 * How many new audit rows are refusal records of this response (CONV-05): 0 unless every new row
 * (at most two) is one, with the response's code.
 */
async function refusalsAudited(
  world: FuzzWorld,
  before: Snapshot,
  after: Snapshot,
  code: string,
): Promise<number> {
  const added =
    Number(after.rows.get('audit_events')?.count) - Number(before.rows.get('audit_events')?.count);
  if (added < 1 || added > 2) return 0;
  const client = await world.t.db.client();
  const rows = (
    await client.query(
      `SELECT action, details->>'code' AS code FROM audit_events ORDER BY id DESC LIMIT $1`,
      [added],
    )
  ).rows as { action: string; code: string | null }[];
  return rows.every((r) => REFUSAL_ACTIONS.has(r.action) && r.code === code) ? added : 0;
}

/** After a success, wait out any effect the app finishes after answering (in-process events). */
async function settled(world: FuzzWorld): Promise<void> {
  let last = JSON.stringify([...(await snapshot(world)).rows]);
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 25));
    const now = JSON.stringify([...(await snapshot(world)).rows]);
    if (now === last) return;
    last = now;
  }
}

// ---------------------------------------------------------------- running

function describeRequest(r: FuzzRequest): string {
  const headers = r.headers.map(([k, v]) => `${k}: ${JSON.stringify(v).slice(0, 120)}`).join('; ');
  return `${r.method} ${r.path.slice(0, 200)}${r.query.slice(0, 200)} as ${r.caller} [${headers}] ${r.contentType ?? ''} ${(r.body ?? '').slice(0, 300)}`;
}

/**
 * A header value as raw bytes: UTF-8 sent as latin1 (what a hostile client puts on the wire),
 * minus the control characters Node's HTTP client refuses to send at all.
 */
function onTheWire(value: string): string {
  return Buffer.from(value, 'utf8')
    .toString('latin1')
    .replace(/[^\t\x20-\x7e\x80-\xff]/g, '');
}

/** Runs `cases` hostile requests at one route; throws (with fast-check's counterexample) on a failed property. */
export async function fuzzRoute(
  world: FuzzWorld,
  route: ApiRoute,
  cases: number,
  runSeed: number,
  report: FuzzReport,
): Promise<void> {
  const outcome = await fc.check(
    fc.asyncProperty(requestArbitrary(world, route), async (r) => {
      const before = await snapshot(world);
      let req = world.t.http[verb(r.method)](r.path + r.query);
      for (const [name, value] of r.headers)
        req = req.set(
          name,
          (Array.isArray(value) ? value.map(onTheWire) : onTheWire(value)) as string,
        );
      if (r.contentType) req = req.set('content-type', r.contentType);
      const res = r.body !== undefined ? await req.send(r.body) : await req;
      report.cases++;
      report.byStatus[res.status] = (report.byStatus[res.status] ?? 0) + 1;
      const where = `${res.status} for ${describeRequest(r)}\n-> ${res.text.slice(0, 500)}`;
      if (res.status >= 500) throw new Error(`5xx: ${where}`);
      const code = (res.body as { error?: { code?: unknown } } | undefined)?.error?.code;
      const answer = `${res.status} ${typeof code === 'string' ? code : ''}`.trim();
      const seen = (report.byRoute[route.key] ??= {});
      seen[answer] = (seen[answer] ?? 0) + 1;
      const beforeRouting = res.headers['x-request-id'] === undefined;
      if (routesTo(route.path, r.path) && !beforeRouting) {
        const problems = responseProblems(
          world.doc,
          route,
          res.status,
          res.headers['content-type'],
          res.body,
        );
        if (problems.length > 0)
          throw new Error(`not as the OpenAPI document says (${problems.join('; ')}): ${where}`);
      }
      if (res.status < 400) {
        await settled(world);
        return;
      }
      const error = (res.body as { error?: { code?: unknown; message?: unknown } } | undefined)
        ?.error;
      if (
        typeof error?.code !== 'string' ||
        !ERROR_CODE.test(error.code) ||
        typeof error.message !== 'string'
      )
        throw new Error(`4xx without the DESIGN §7 error body: ${where}`);
      const after = await snapshot(world);
      const key = r.headers.find(([k]) => k === 'idempotency-key')?.[1];
      const remembered422 = res.status === 422 && typeof key === 'string' && KEY_FORMAT.test(key);
      // The finance read audit trail (issue 7) records every FINANCE request that reaches a
      // /finance/* route, refused ones included: at most one row, `finance.request` with this
      // status (requests refused before routing, e.g. 431 or 413, reach no route).
      const financeRead = r.caller === 'FINANCE' && r.path.includes('/finance/');
      const refusalAudits = [403, 409, 422].includes(res.status)
        ? await refusalsAudited(world, before, after, error.code)
        : 0;
      const writes = writesOf(before, after, remembered422, financeRead, refusalAudits);
      const audited =
        Number(after.rows.get('audit_events')?.count) ===
        Number(before.rows.get('audit_events')?.count) + 1;
      if (financeRead && writes.length === 0 && audited) {
        const client = await world.t.db.client();
        const [last] = (
          await client.query(
            `SELECT action, details->>'status' AS status FROM audit_events ORDER BY id DESC LIMIT 1`,
          )
        ).rows as { action: string; status: string }[];
        if (last?.action !== 'finance.request' || last.status !== String(res.status))
          throw new Error(
            `a ${res.status} on a finance route left no matching audit row: ${where}`,
          );
      }
      if (writes.length > 0)
        throw new Error(`a ${res.status} wrote ${writes.join(', ')}: ${where}`);
    }),
    // Each route's cases depend only on the run's seed and the route, so one route replays alone.
    { numRuns: cases, seed: routeSeed(runSeed, route.key), endOnFailure: true },
  );
  if (outcome.failed) {
    // fast-check's own report prints the whole counterexample (bodies of a megabyte): keep it short.
    const cause =
      outcome.errorInstance instanceof Error
        ? outcome.errorInstance.message
        : String(outcome.errorInstance);
    throw new Error(
      `${route.key}: property failed after ${outcome.numRuns} cases (replay: FUZZ_SEED=${runSeed} FUZZ_ROUTE='${route.key}')\n${cause.slice(0, 3000)}`,
    );
  }
}

function routeSeed(runSeed: number, key: string): number {
  let hash = runSeed | 0;
  for (const ch of key) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) | 0;
  return hash;
}

/** The routes to fuzz: all, or those whose key contains FUZZ_ROUTE (to replay one failure). */
export function routesToFuzz(world: FuzzWorld): ApiRoute[] {
  const only = process.env.FUZZ_ROUTE;
  return only ? world.routes.filter((r) => r.key.includes(only)) : world.routes;
}

/** FUZZ_REPORT_FILE=<path>: every route's answers (`status code` -> count) as JSON, for review. */
export function writeFuzzReport(report: FuzzReport): void {
  const file = process.env.FUZZ_REPORT_FILE;
  if (file) writeFileSync(file, `${JSON.stringify(report.byRoute, null, 2)}\n`);
}

export const fuzzSeed = (): number => {
  const given = Number(process.env.FUZZ_SEED);
  return Number.isInteger(given) && given !== 0 ? given : Date.now() % 2 ** 31;
};
