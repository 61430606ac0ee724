import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  buildFuzzWorld,
  type FuzzReport,
  fuzzRoute,
  fuzzSeed,
  type FuzzWorld,
  writeFuzzReport,
  routesToFuzz,
} from './api-fuzz.js';

/**
 * The long API fuzz run (`npm run test:reliability`): FUZZ_CASES hostile requests per route of
 * the OpenAPI document (default 300), one test per route so a failure names it. Same properties
 * as the smoke run in `npm test`: never a 5xx, the error body on every 4xx, no write on a 4xx.
 * FUZZ_SEED=<seed> replays a run; FUZZ_ROUTE='POST /api/v1/...' fuzzes only matching routes.
 */
const CASES = Number(process.env.FUZZ_CASES ?? 300);

describe('API fuzz, long run: every route, hostile input (DESIGN §7)', () => {
  let t: TestApp;
  let world: FuzzWorld;
  const seed = fuzzSeed();
  const report: FuzzReport = { cases: 0, byStatus: {}, byRoute: {} };
  const started = Date.now();

  beforeAll(async () => {
    t = await startTestApp();
    world = await buildFuzzWorld(t);
  }, 120_000);

  afterAll(async () => {
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    process.stderr.write(
      `[api-fuzz] seed ${seed}: ${report.cases} cases over ${world?.routes.length ?? 0} routes in ${seconds} s; statuses ${JSON.stringify(report.byStatus)}\n`,
    );
    writeFuzzReport(report);
    await t.close();
  });

  it('never answers 5xx, always with the error body, and a 4xx writes nothing', async () => {
    expect(world.routes.length).toBeGreaterThan(40);
    // Every route is fuzzed even after one fails, so one run reports every failing route.
    const failures: string[] = [];
    for (const route of routesToFuzz(world)) {
      const before = report.cases;
      try {
        await fuzzRoute(world, route, CASES, seed, report);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        process.stderr.write(`[api-fuzz] FAILED ${message}\n`);
        failures.push(message);
      }
      process.stderr.write(`[api-fuzz] ${route.key}: ${report.cases - before} cases\n`);
    }
    expect(failures).toEqual([]);
  });
});
