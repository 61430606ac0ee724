import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  buildFuzzWorld,
  type FuzzReport,
  fuzzRoute,
  fuzzSeed,
  routesToFuzz,
  type FuzzWorld,
  snapshot,
  writesOf,
  writeFuzzReport,
} from './reliability/api-fuzz.js';
import { fundedAccount } from './support/ledger.js';
import { type ApiRoute, routeKey } from './support/openapi.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The short API fuzz run in `npm test`: a few hostile requests per route of the OpenAPI document
 * (FUZZ_SMOKE_CASES per route; by default about 1,000 cases shared by every route, at least 8 and
 * at most 20 each, so the smoke's time does not grow with the number of routes). Never a 5xx, every 4xx has the error body, every answer is one
 * the document declares for the route (status, error code, body schema), a 4xx writes nothing. The long run is `npm run test:reliability` (test/reliability/api-fuzz.spec.ts).
 * A failure prints the request and how to replay it (FUZZ_SEED=<run seed> FUZZ_ROUTE='<route>').
 */
const TOTAL_CASES = 1000;
const casesPerRoute = (routes: number): number =>
  process.env.FUZZ_SMOKE_CASES
    ? Number(process.env.FUZZ_SMOKE_CASES)
    : Math.min(20, Math.max(8, Math.floor(TOTAL_CASES / Math.max(1, routes))));

describe('API fuzz smoke: every route, hostile input (DESIGN §7)', () => {
  let t: TestApp;
  let world: FuzzWorld;
  const seed = fuzzSeed();
  const report: FuzzReport = { cases: 0, byStatus: {}, byRoute: {} };

  beforeAll(async () => {
    t = await startTestApp();
    world = await buildFuzzWorld(t);
  }, 60_000);

  afterAll(async () => {
    process.stderr.write(
      `[api-fuzz-smoke] seed ${seed}: ${report.cases} cases over ${world?.routes.length ?? 0} routes; statuses ${JSON.stringify(report.byStatus)}\n`,
    );
    writeFuzzReport(report);
    await t.close();
  });

  it('never answers 5xx, always with the error body, and a 4xx writes nothing', async () => {
    const failures: string[] = [];
    const cases = casesPerRoute(routesToFuzz(world).length);
    for (const route of routesToFuzz(world)) {
      try {
        await fuzzRoute(world, route, cases, seed, report);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        process.stderr.write(`[api-fuzz] FAILED ${message}\n`);
        failures.push(message);
      }
    }
    expect(failures).toEqual([]);
    expect(report.cases).toBe(cases * routesToFuzz(world).length);
  }, 300_000);

  it('the write detector sees an insert, an update and a ledger counter change; the 422 exception is one idempotency row only', async () => {
    const sql = await t.db.client();
    const before = await snapshot(world);
    // Not the title: a new title also refreshes the campaign's search columns (campaign_content).
    await sql.query(
      `UPDATE campaigns SET updated_at = updated_at + interval '1 second' WHERE id = $1`,
      [world.ids.campaign],
    );
    const updated = await snapshot(world);
    expect(writesOf(before, updated, false)).toEqual([expect.stringContaining('campaigns: ')]);
    await fundedAccount(t, `fuzz-self-test-${randomUUID()}`, '1.00');
    const deposited = await snapshot(world);
    expect(writesOf(updated, deposited, true)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('ledger counters'),
        expect.stringContaining('ledger_accounts: '),
        expect.stringContaining('ledger_transfers: '),
      ]),
    );

    const remember = (key: string) =>
      sql.query(
        `INSERT INTO idempotency_records (scope, key, request_hash, status_code, response, created_at)
         VALUES ('fuzz-self-test', $1, 'h', 422, '{}', now())`,
        [key],
      );
    await remember('one');
    const one = await snapshot(world);
    expect(writesOf(deposited, one, true)).toEqual([]);
    expect(writesOf(deposited, one, false)).toEqual([
      expect.stringContaining('idempotency_records'),
    ]);
    await remember('two');
    expect(writesOf(deposited, await snapshot(world), true)).toEqual([
      expect.stringContaining('idempotency_records: '),
    ]);
  });

  it('an answer the document does not declare fails the run: an unlisted status, an unlisted code', async () => {
    const register = world.routes.find((r) => r.key === routeKey('POST', '/api/v1/auth/register'))!;
    const responses = register.operation.responses!;
    const without400: ApiRoute = {
      ...register,
      operation: {
        ...register.operation,
        responses: Object.fromEntries(Object.entries(responses).filter(([s]) => s !== '400')),
      },
    };
    const otherCodes: ApiRoute = {
      ...register,
      operation: {
        ...register.operation,
        responses: { ...responses, 400: { ...responses['400'], 'x-error-codes': ['NOT.THIS'] } },
      },
    };
    const scratch: FuzzReport = { cases: 0, byStatus: {}, byRoute: {} };
    await expect(fuzzRoute(world, without400, 50, seed, scratch)).rejects.toThrow(
      /status 400 is not declared/,
    );
    await expect(fuzzRoute(world, otherCodes, 50, seed, scratch)).rejects.toThrow(
      /400 VALIDATION_FAILED is not one of NOT\.THIS/,
    );
  });
});
