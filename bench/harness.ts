import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'otplib';
import { type CpuPerOp, cpuPerOp, cpuSnapshot, watchServiceCpu } from './cpu.js';
import { freePort } from './free-port.js';
import pg from 'pg';
import { POOL_IDLE_MS, runMigrations } from '../src/database/data-source.js';
import {
  cloneDatabase,
  dropDatabase,
  freshDatabase,
  scratchServer,
} from '../src/database/scratch-server.js';

export interface RunResult {
  name: string;
  ops: number;
  errors: number;
  /** Failed calls in the unmeasured warm-up (left out when none). */
  warmupErrors?: number;
  seconds: number;
  opsPerSecond: number;
  p50ms: number;
  p95ms: number;
  p99ms: number;
  /** CPU milliseconds per operation, by process, and how busy the machine was (see cpuSnapshot). */
  cpu?: CpuPerOp;
}

/**
 * Unmeasured seconds before each measured run (`BENCH_WARMUP_SECONDS`, default 1): the same
 * operation at the same concurrency, so each run is measured warm. The service's pool closes
 * connections idle for 10 s, and in the pledge bench it sits idle through the two reference runs
 * between its own; a run that starts cold opens its connections again (SCRAM authentication) and
 * plans its statements again (custom plans for the first five executions per connection, the
 * PL/pgSQL and foreign-key plans per session): pg_stat_statements, 2026-12-06 11:40 UTC, 0.46 ms of
 * planning per HTTP pledge against 0.12 ms in the reference run.
 */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 1);

/**
 * Runs `op` from `concurrency` workers for `seconds`, recording each call's latency, after
 * `WARMUP_SECONDS` of the same unmeasured (each worker's `i` runs on from its warm-up calls).
 */
export async function drive(
  name: string,
  concurrency: number,
  seconds: number,
  op: (worker: number, i: number) => Promise<unknown>,
): Promise<RunResult> {
  const next = Array.from({ length: concurrency }, () => 0);
  /** Every worker calls `op` until `seconds` have passed; each call's latency, or null if it failed. */
  const calls = (seconds: number, done: (ms: number | null) => void) => {
    const until = performance.now() + seconds * 1000;
    return Promise.all(
      next.map(async (_, worker) => {
        while (performance.now() < until) {
          const t0 = performance.now();
          try {
            await op(worker, next[worker]++);
            done(performance.now() - t0);
          } catch {
            done(null);
          }
        }
      }),
    );
  };
  let warmupErrors = 0;
  await calls(WARMUP_SECONDS, (ms) => {
    if (ms === null) warmupErrors++;
  });
  const latencies: number[] = [];
  let errors = 0;
  const cpuFrom = cpuSnapshot();
  const started = performance.now();
  await calls(seconds, (ms) => {
    if (ms === null) errors++;
    else latencies.push(ms);
  });
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuPerOp(cpuFrom, cpuSnapshot(), latencies.length);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    Number(
      (latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0).toFixed(2),
    );
  return {
    name,
    ops: latencies.length,
    errors,
    ...(warmupErrors > 0 ? { warmupErrors } : {}),
    seconds: Number(elapsed.toFixed(2)),
    opsPerSecond: Math.round(latencies.length / elapsed),
    p50ms: pct(0.5),
    p95ms: pct(0.95),
    p99ms: pct(0.99),
    cpu,
  };
}

export function machine(): Record<string, unknown> {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  };
}

/** The middle value (the mean of the two middle ones for an even count); 0 for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Writes `bench/results/<name>.json` (the latest run, formatted as Prettier formats it so
 * `npm run lint` stays clean) and appends the same run as one line to
 * `bench/results/history/<name>.jsonl`, so no run is ever overwritten.
 */
export async function writeResults(name: string, results: unknown): Promise<string> {
  const dir = path.resolve('bench/results');
  mkdirSync(path.join(dir, 'history'), { recursive: true });
  const file = path.join(dir, `${name}.json`);
  let text = `${JSON.stringify(results, null, 2)}\n`;
  try {
    const prettier = await import('prettier');
    text = await prettier.format(text, { filepath: file });
  } catch {
    // prettier is a dev dependency: without it the file is still valid JSON
  }
  writeFileSync(file, text);
  appendFileSync(path.join(dir, 'history', `${name}.jsonl`), `${JSON.stringify(results)}\n`);
  return file;
}

export function table(rows: RunResult[]): string {
  const header = [
    'run',
    'ops/s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'ops',
    'errors',
    'CPU ms/op b+s+pg',
    'busy',
  ];
  const lines = rows.map((r) =>
    [
      r.name,
      r.opsPerSecond,
      r.p50ms,
      r.p95ms,
      r.p99ms,
      r.ops,
      r.errors,
      r.cpu ? `${r.cpu.benchMs}+${r.cpu.serviceMs}+${r.cpu.postgresMs}` : '',
      r.cpu ? `${r.cpu.machineBusyPct}%` : '',
    ].map(String),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n');
}

/** Samples this process's resident set size until stopped; returns the peak in MiB. */
export function rssSampler(everyMs = 100): { stop: () => number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return Math.round(peak / 2 ** 20);
    },
  };
}

export interface Budget {
  name: string;
  value: number;
  /** The value must be at least (`min`) or at most (`max`) this. */
  min?: number;
  max?: number;
  unit: string;
}

export interface BudgetResult extends Budget {
  ok: boolean;
}

/** Load-time budgets (issue 8): judged and printed by the bench, never by unit tests. */
export function judge(budgets: Budget[]): BudgetResult[] {
  return budgets.map((b) => ({
    ...b,
    ok: (b.min === undefined || b.value >= b.min) && (b.max === undefined || b.value <= b.max),
  }));
}

export function budgetTable(results: BudgetResult[]): string {
  return results
    .map(
      (r) =>
        `${r.ok ? 'PASS' : 'FAIL'}  ${r.name}: ${r.value} ${r.unit} (${
          r.min !== undefined ? `>= ${r.min}` : `<= ${r.max}`
        } ${r.unit})`,
    )
    .join('\n');
}

/**
 * Resident set of another process in MiB, from /proc (what its process.memoryUsage().rss says);
 * `VmHWM` is its peak so far.
 */
export function rssOfPid(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** Samples another process's RSS until stopped; returns the peak in MiB. */
export function pidRssSampler(pid: number, everyMs = 100): { stop: () => number } {
  let peak = rssOfPid(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssOfPid(pid));
    } catch {
      // the process has exited
    }
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}

export interface ServiceProcess {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  pid: number;
  stop: () => Promise<void>;
}

/**
 * The real service (`dist/src/main.js`) in its own process, as it runs in production, so its
 * event loop, heap and RSS are its own and not the bench client's. Resolves once it answers.
 */
export async function startServiceProcess(
  env: Record<string, string>,
  options: { heapCapMiB?: number } = {},
): Promise<ServiceProcess> {
  // A port the kernel has just handed out and taken back: a random one in 42000-45000 lies in the
  // ephemeral range, where an outgoing connection (a pool's, say) may hold it (EADDRINUSE seen).
  const port = await freePort();
  const { DATABASE_URL: _inherited, ...inherited } = process.env;
  // BENCH_SERVICE_NODE_ARGS: extra node flags for the service only (e.g. --cpu-prof).
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // An explicit heap cap (V8's old space), as production would set one: RSS budgets mean little
  // while V8 may grow its heap to its default limit (a quarter of the machine's memory) lazily.
  if (options.heapCapMiB) nodeArgs.unshift(`--max-old-space-size=${options.heapCapMiB}`);
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, path.resolve('dist/src/main.js')],
    {
      env: { ...inherited, ...env, HOST: '127.0.0.1', PORT: String(port) },
      // BENCH_SERVICE_STDOUT: a file for the service's stdout (e.g. with --trace-gc); dropped otherwise.
      stdio: ['ignore', process.env.BENCH_SERVICE_STDOUT ? 'pipe' : 'ignore', 'pipe'],
    },
  );
  const stdoutFile = process.env.BENCH_SERVICE_STDOUT;
  if (stdoutFile) child.stdout?.pipe(createWriteStream(stdoutFile));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited at boot:\n${stderr}`);
    if (Date.now() > deadline) throw new Error(`the service did not answer in 60 s:\n${stderr}`);
    const ok = await fetch(`${origin}/health/live`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  watchServiceCpu(child.pid ?? 0);
  return {
    origin,
    pid: child.pid ?? 0,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * A bench's own `pg` pool. An idle pooled connection that the server ends (the scratch database
 * dropped WITH (FORCE), a restart) makes the pool emit 'error', which kills the process when nobody
 * listens: here it is logged instead, and the pool replaces the connection.
 */
export function benchPool(url: string, max: number, log: (m: string) => void): pg.Pool {
  // Connections live as the service's do (DATABASE_POOL_IDLE_MS's default), so neither side of a
  // comparison opens its connections again after the other side's runs.
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: POOL_IDLE_MS });
  pool.on('error', (error) => log(`an idle database connection ended: ${error.message}`));
  return pool;
}

export interface BenchDatabase {
  log: (message: string) => void;
  /** `machine` or `embedded`: where the scratch database lives. */
  origin: string;
  url: string;
  /**
   * A copy of the scratch database as it is now (`CREATE DATABASE ... TEMPLATE`), dropped by
   * `dispose`. Postgres copies only a database nobody is connected to: the connections to it are
   * ended first, and every pool that holds them (the service's, the bench's) opens new ones.
   */
  clone(suffix: string): Promise<string>;
  /** Drops the scratch database and its clones, and stops an embedded server. */
  dispose(): Promise<void>;
}

/**
 * A migrated scratch database for one bench: on DATABASE_URL's server, else the machine's
 * Postgres, else an embedded one in .data/pg-bench.
 */
export async function benchDatabase(bench: string): Promise<BenchDatabase> {
  const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
  const server = await scratchServer({
    databaseUrl: process.env.DATABASE_URL,
    embeddedDir: '.data/pg-bench',
    embeddedPort: 54331,
    log,
  });
  const dbName = `zc_bench_${bench}_${process.pid}`;
  const url = await freshDatabase(server.adminUrl, dbName);
  await runMigrations(url);
  const clones: string[] = [];
  return {
    log,
    origin: server.origin,
    url,
    clone: async (suffix) => {
      const name = `${dbName}_${suffix}`;
      clones.push(name);
      return cloneDatabase(server.adminUrl, dbName, name, log);
    },
    dispose: async () => {
      // Every pool of the bench is ended by now: a connection still open here would be killed by
      // the drop below, and an unlistened pool would die of it. Name any, so it can be closed.
      const admin = new pg.Client({ connectionString: server.adminUrl });
      await admin.connect();
      try {
        const left = await admin.query<{ who: string }>(
          `SELECT usename || ' ' || application_name || ' (' || coalesce(state, '?') || ')' AS who
           FROM pg_stat_activity WHERE datname = $1`,
          [dbName],
        );
        if (left.rows.length > 0)
          log(`still connected at the end: ${left.rows.map((r) => r.who).join(', ')}`);
      } finally {
        await admin.end();
      }
      for (const name of [...clones, dbName]) await dropDatabase(server.adminUrl, name);
      await server.stop();
    },
  };
}

/**
 * A staff (ADMIN or FINANCE) sign-in as issue 13 wants it: the first sign-in may only enrol TOTP; enrol, confirm
 * with a code, then sign in through the challenge with the next code.
 */
export async function staffSignIn(base: string, email: string, password: string): Promise<string> {
  const post = async (route: string, body: object, token?: string) => {
    const res = await fetch(`${base}${route}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
    if (res.status !== 200) throw new Error(`${route}: ${res.status}`);
    return (await res.json()) as Record<string, string>;
  };
  const now = Math.floor(Date.now() / 1000);
  const first = await post('/auth/login', { email, password });
  const { secret } = await post('/me/totp/enrol', {}, first.accessToken);
  await post(
    '/me/totp/confirm',
    { code: await generate({ secret, epoch: now }) },
    first.accessToken,
  );
  const { challengeToken } = await post('/auth/login', { email, password });
  const code = await generate({ secret, epoch: now + 30 });
  return (await post('/auth/login/totp', { challengeToken, code })).accessToken;
}
