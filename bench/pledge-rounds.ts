import { randomUUID } from 'node:crypto';
import { drive, median, type RunResult } from './harness.js';
import type { LockedSection, referencePledger } from './pledge-reference.js';
import type { Call, PledgeWorld } from './pledge-setup.js';
import type { StatementStats } from './statement-stats.js';

/**
 * One database the pledge bench measures, with its own service process and references: the fresh
 * one, and the copy of it that holds the history.
 */
export interface Side {
  /** Added to the runs' names: '' fresh, ', with history' for the copy. */
  suffix: string;
  references: Record<LockedSection, ReturnType<typeof referencePledger>>;
  /** The measured HTTP client, on this side's service. */
  http: Call;
  stats: StatementStats;
}

export interface Scenario {
  /** Each round's runs of this side: honest reference, function reference, HTTP. */
  rounds: { honest: RunResult; function: RunResult; http: RunResult }[];
  /** Medians over the rounds. */
  httpOpsPerSecond: number;
  httpP99ms: number;
  httpToHonest: number;
  httpToFunction: number;
  /** A side after the first: its HTTP run / the first side's, in the same round (median). */
  httpToFirstSide?: number;
}

export interface ScenarioSettings {
  world: PledgeWorld;
  concurrency: number;
  seconds: number;
  rounds: number;
}

const round2 = (v: number) => Number(v.toFixed(2));

/** Which of the bench's investors the `i`-th call of `worker` pledges as. */
const investorOf = (world: PledgeWorld, worker: number, i: number) =>
  (worker * 31 + i) % world.tokens.length;

/** One HTTP pledge of 1.00 through `side`'s service, under a fresh Idempotency-Key. */
const httpPledge = (side: Side, world: PledgeWorld, campaign: string, worker: number, i: number) =>
  side.http(
    'POST',
    `/api/v1/campaigns/${campaign}/pledges`,
    world.tokens[investorOf(world, worker, i)],
    { amount: '1.00' },
    { 'idempotency-key': randomUUID() },
  );

/**
 * One scenario (the hot campaign, or 1,000 campaigns) on every side: per side an honest-reference,
 * a function-reference and an HTTP run (16 clients, 8 s each), `rounds` times. Each run adds
 * pledges that the next runs' rolling-limit sums read (200 investors), and the machine's speed
 * drifts, so the runs whose ratio is a budget run next to each other, in a balanced order: round 1
 * runs honest, function, HTTP on the first side, then HTTP, function, honest on the second; round 2
 * runs the same in reverse (ABBA). On one side that is the reference/application alternation of
 * issue 18; with two, the fresh and the history side's HTTP runs are neighbours in every round, so
 * "with history / fresh" compares runs made minutes apart instead of ten minutes and a history
 * load apart (2026-12-07 09:48 UTC: the honest reference itself ran 0.75x as fast after the load).
 */
export async function measureScenario(
  kind: 'hot' | 'spread',
  label: string,
  sides: Side[],
  settings: ScenarioSettings,
  runs: RunResult[],
): Promise<Scenario[]> {
  const { world, concurrency, seconds } = settings;
  const targets = {
    hot: () => world.hot,
    spread: (worker: number, i: number) =>
      world.spread[(worker * 997 + i * 13) % world.spread.length],
  };
  type Kind = 'honest' | 'function' | 'http';
  const runOf = (side: Side, what: Kind, r: number) => {
    const name = `${label}${side.suffix}`;
    const op = (worker: number, i: number): Promise<unknown> => {
      const t = targets[kind](worker, i);
      if (what === 'http') return httpPledge(side, world, t.campaign, worker, i);
      const section: LockedSection = what === 'honest' ? 'statements' : 'function';
      const investor = world.investors[investorOf(world, worker, i)];
      return side.references[section](investor, t.campaign, t.escrow);
    };
    const title = {
      honest: 'honest reference (plain SQL)',
      function: 'function reference (pledge_hold_and_claim)',
      http: 'POST /campaigns/:id/pledges (HTTP)',
    }[what];
    // Its statements are recorded as `${tag} ${name} ${r}`.
    return side.stats.around(`${what} ${name} ${r}`, () =>
      drive(`${title}, ${name}, round ${r}`, concurrency, seconds, op),
    );
  };
  // Round 1's order; even rounds run it backwards.
  const order: { side: number; what: Kind }[] = sides.flatMap((_, side) =>
    (side % 2 === 0
      ? (['honest', 'function', 'http'] as const)
      : (['http', 'function', 'honest'] as const)
    ).map((what) => ({ side, what })),
  );
  const perSide = sides.map(() => [] as Scenario['rounds']);
  for (let r = 1; r <= settings.rounds; r++) {
    const got = sides.map((): Partial<Record<Kind, RunResult>> => ({}));
    for (const step of r % 2 === 1 ? order : [...order].reverse()) {
      const result = await runOf(sides[step.side], step.what, r);
      got[step.side][step.what] = result;
      runs.push(result);
    }
    got.forEach((g, side) => {
      const { honest, function: fn, http } = g;
      if (!honest || !fn || !http) throw new Error('a round missed a run');
      perSide[side].push({ honest, function: fn, http });
    });
  }
  return perSide.map((rounds, side) => {
    const per = (f: (x: Scenario['rounds'][number], round: number) => number) =>
      round2(median(rounds.map(f)));
    return {
      rounds,
      httpOpsPerSecond: per((x) => x.http.opsPerSecond),
      httpP99ms: per((x) => x.http.p99ms),
      httpToHonest: per((x) => x.http.opsPerSecond / x.honest.opsPerSecond),
      httpToFunction: per((x) => x.http.opsPerSecond / x.function.opsPerSecond),
      ...(side > 0
        ? {
            httpToFirstSide: per(
              (x, round) => x.http.opsPerSecond / perSide[0][round].http.opsPerSecond,
            ),
          }
        : {}),
    };
  });
}

/**
 * Before the rounds, `seconds` of HTTP pledges on the hot campaign through each side's service,
 * recorded as warm-up runs (their failures count): the history side's service starts after the
 * history is loaded and has served nothing, and V8 compiles a path only once it is hot, so its
 * first measured run would pay for that while the fresh side's service has served the setup
 * (quick run, 2026-12-07 10:15 UTC: 3.0 ms of service CPU a pledge in that first run against
 * 1.3-1.9 ms after).
 */
export async function warmUpServices(
  sides: Side[],
  settings: ScenarioSettings,
  seconds: number,
  runs: RunResult[],
): Promise<void> {
  const { world, concurrency } = settings;
  for (const side of sides)
    runs.push(
      await drive(
        `warm-up: POST /campaigns/:id/pledges (HTTP), hot campaign${side.suffix}`,
        concurrency,
        seconds,
        (worker, i) => httpPledge(side, world, world.hot.campaign, worker, i),
      ),
    );
}
