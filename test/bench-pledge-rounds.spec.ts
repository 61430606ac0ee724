import { describe, expect, it } from '@jest/globals';
import type { RunResult } from '../bench/harness.js';
import type { Scenario, Side } from '../bench/pledge-rounds.js';
import type { PledgeWorld } from '../bench/pledge-setup.js';

// No unmeasured warm-up: the runs below are 50 ms of no-op calls.
process.env.BENCH_WARMUP_SECONDS = '0';
const { median } = await import('../bench/harness.js');
const { measureScenario } = await import('../bench/pledge-rounds.js');

/**
 * Issue 18: the pledge bench's ratios are medians over rounds whose runs alternate (ABBA), so that
 * the machine's drift and the pledges each run leaves reach both sides of a ratio alike. With the
 * history in a second database, the fresh and the history side's HTTP runs must be neighbours in
 * every round, and "with history / fresh" must pair runs of the same round.
 */
describe('bench: the pledge rounds alternate (issue 18)', () => {
  const world: PledgeWorld = {
    founder: 'f',
    founderId: 'f',
    terms: {},
    hot: { campaign: 'hot', escrow: 'e' },
    spread: [{ campaign: 'c1', escrow: 'e1' }],
    tokens: ['t'],
    investors: [{ userId: 'u' } as PledgeWorld['investors'][number]],
  };
  /** A side whose calls do nothing and whose statement stats log each run's tag, in run order. */
  const sideThatLogs = (suffix: string, log: string[]): Side => ({
    suffix,
    references: { statements: () => Promise.resolve(), function: () => Promise.resolve() },
    http: () => Promise.resolve({}),
    stats: {
      around: (name, run) => {
        log.push(name);
        return run();
      },
      byRun: {},
    },
  });
  const settings = { world, concurrency: 1, seconds: 0.05, rounds: 2 };

  it('on one database: honest, function, HTTP, then HTTP, function, honest', async () => {
    const log: string[] = [];
    const runs: RunResult[] = [];
    const [fresh] = await measureScenario('hot', 'hot', [sideThatLogs('', log)], settings, runs);
    expect(log).toEqual([
      'honest hot 1',
      'function hot 1',
      'http hot 1',
      'http hot 2',
      'function hot 2',
      'honest hot 2',
    ]);
    expect(runs.map((r) => r.name)).toEqual([
      'honest reference (plain SQL), hot, round 1',
      'function reference (pledge_hold_and_claim), hot, round 1',
      'POST /campaigns/:id/pledges (HTTP), hot, round 1',
      'POST /campaigns/:id/pledges (HTTP), hot, round 2',
      'function reference (pledge_hold_and_claim), hot, round 2',
      'honest reference (plain SQL), hot, round 2',
    ]);
    expect(fresh.httpToFirstSide).toBeUndefined();
    expect(fresh.httpToHonest).toBeCloseTo(
      median(fresh.rounds.map((x) => x.http.opsPerSecond / x.honest.opsPerSecond)),
      2,
    );
  });

  it('fresh and history: the HTTP runs of both sides are neighbours in each round, and paired by round', async () => {
    const log: string[] = [];
    const sides = [sideThatLogs('', log), sideThatLogs(' H', log)];
    const [fresh, history] = (await measureScenario('spread', 'spread', sides, settings, [])) as [
      Scenario,
      Scenario,
    ];
    expect(log).toEqual([
      'honest spread 1',
      'function spread 1',
      'http spread 1',
      'http spread H 1',
      'function spread H 1',
      'honest spread H 1',
      'honest spread H 2',
      'function spread H 2',
      'http spread H 2',
      'http spread 2',
      'function spread 2',
      'honest spread 2',
    ]);
    const sameRound = history.rounds.map(
      (x, r) => x.http.opsPerSecond / fresh.rounds[r].http.opsPerSecond,
    );
    expect(history.httpToFirstSide).toBeCloseTo(median(sameRound), 2);
    expect(fresh.httpToFirstSide).toBeUndefined();
  });
});
