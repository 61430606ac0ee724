import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../src/app-factory.js';
import { parseConfig } from '../src/config/app-config.js';
import { appRoleUrl, DEV_APP_PASSWORD } from '../src/database/roles.js';
import type pg from 'pg';
import {
  benchDatabase,
  benchPool,
  budgetTable,
  drive,
  judge,
  machine,
  pidRssSampler,
  type RunResult,
  type ServiceProcess,
  startServiceProcess,
  table,
  writeResults,
} from './harness.js';
import { type HistoryLoaded, historyPlans, loadHistory } from './pledge-history.js';
import { referencePledger } from './pledge-reference.js';
import { measureScenario, type Scenario, type Side, warmUpServices } from './pledge-rounds.js';
import { rawHttpClient } from './raw-http-client.js';
import { apiClient, keepAliveClient, undiciClient, setUpPledgeWorld } from './pledge-setup.js';
import { drainEmails, timeRepayment, timeSettlement } from './settle.js';
import { statementStats } from './statement-stats.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const CONCURRENCY = env('BENCH_CONCURRENCY', 16);
const SECONDS = env('BENCH_SECONDS', 8);
const INVESTORS = env('BENCH_INVESTORS', 200);
/** Rounds of (honest reference, function reference, HTTP) per scenario; ratios are medians. */
const ROUNDS = env('BENCH_ROUNDS', 2);
const SETTLE_PLEDGES = env('BENCH_SETTLE_PLEDGES', 100_000);
const REPAY_LENDERS = env('BENCH_REPAY_LENDERS', 1000);
/** History loaded before the second measurement (0 pledges: no second measurement). */
const PRELOAD_PLEDGES = env('BENCH_PRELOAD_PLEDGES', 1_000_000);
const PRELOAD_TRANSFERS = env('BENCH_PRELOAD_TRANSFERS', 5_000_000);
/** Unmeasured HTTP pledges through each service before the rounds (see warmUpServices). */
const SERVICE_WARMUP_SECONDS = env('BENCH_SERVICE_WARMUP_SECONDS', 5);
/** The service's explicit heap cap (V8 old space, MiB) for the RSS budget. */
const HEAP_CAP_MIB = env('BENCH_SERVICE_HEAP_MIB', 256);

const round2 = (v: number) => Number(v.toFixed(2));

/**
 * `npm run bench -- pledge` (issue 18): pledges per second through HTTP (the real service in its
 * own process, every check, JWT, validation, idempotency) against two plain-SQL references run by
 * this process at the same concurrency (bench/pledge-reference.ts), alternating reference and
 * application runs, on one hot campaign and across 1,000 campaigns; then the same after loading
 * years of history (1,000,000 pledges, 5,000,000 transfers); then the time to settle a campaign
 * of 100,000 pledges and to apply one repayment to a loan of 1,000 lenders.
 */
export async function runPledgeBench(): Promise<void> {
  const mailDir = mkdtempSync(path.join(os.tmpdir(), 'zc-bench-mail-'));
  const db = await benchDatabase('pledge');
  const { log, url } = db;
  const config = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    SEAL_INTERVAL_MS: '0',
    SWEEP_INTERVAL_MS: '0',
    PASSWORD_SCRYPT_COST: '1024',
    LOGIN_RATE_LIMIT: '10000',
    DATABASE_POOL_SIZE: String(CONCURRENCY + 4),
    // PLAT-07: one financial line, so the seeded general wallets pay the DEBT pledges (with both
    // lines on, each pledge would hold from the investor's DEBT wallet instead: same work).
    PLATFORM_LINES: 'DEBT,REWARD,DONATION',
    // The tokens minted at setup are used to the end (settle, repayment), past the 15-minute default.
    JWT_EXPIRES_IN_SECONDS: '7200',
    // The e-mail outbox is drained after the runs, timed on its own (see emailDrain below).
    NOTIFICATION_DISPATCH_INTERVAL_MS: '0',
    MAIL_DIR: mailDir,
  });
  const hotCampaignConcurrency = config.database.hotCampaignConcurrency;
  const quiet = new Writable({ write: (_c, _e, done) => done() });
  // In-process apps (setup, e-mail drain, settlement, repayment), as the service runs: the
  // application role. HTTP goes to the real service in its own process, so the bench client's
  // work does not share its event loop or heap.
  const inProcessApp = async (databaseUrl: string): Promise<NestFastifyApplication> => {
    const app = await createApp({
      config,
      databaseUrl: appRoleUrl(databaseUrl, DEV_APP_PASSWORD),
      logStream: quiet,
      swaggerUi: false,
    });
    await app.init();
    return app;
  };
  const startService = (databaseUrl: string) =>
    startServiceProcess(
      {
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        DATABASE_URL: databaseUrl,
        DATABASE_POOL_SIZE: String(CONCURRENCY + 4),
        PLEDGE_HOT_CAMPAIGN_CONCURRENCY: String(hotCampaignConcurrency),
        SEAL_INTERVAL_MS: '0',
        SWEEP_INTERVAL_MS: '0',
        PASSWORD_SCRYPT_COST: '1024',
        LOGIN_RATE_LIMIT: '10000',
        PLATFORM_LINES: 'DEBT,REWARD,DONATION',
        JWT_EXPIRES_IN_SECONDS: '7200',
        // Every pledge (the references' too) records a notice that is e-mailed. No process sends
        // them during the runs: a dispatcher in the service (or in this process) would spend the
        // machine's 2 cores on e-mails of whichever run came before. The outbox is drained after
        // the runs and timed on its own (emailDrain); in a deployment the dispatcher may run
        // anywhere.
        NOTIFICATION_DISPATCH_INTERVAL_MS: '0',
        MAIL_DIR: mailDir,
      },
      { heapCapMiB: HEAP_CAP_MIB },
    );
  // The measured runs' client, a keep-alive connection per worker: HTTP/1.1 over node:net
  // (bench/raw-http-client.ts, since 2026-12-06 19:10 UTC); BENCH_HTTP_CLIENT=undici: undici's pool
  // (until then), =node: node:http (until 14:00 that day), =fetch: `fetch` (until that morning).
  const clients = {
    fetch: (origin: string) => apiClient(origin),
    node: (origin: string) => keepAliveClient(origin, CONCURRENCY),
    undici: (origin: string) => undiciClient(origin, CONCURRENCY),
    raw: (origin: string) => rawHttpClient(origin, CONCURRENCY),
  };
  const clientName = process.env.BENCH_HTTP_CLIENT ?? 'raw';
  if (!(clientName in clients)) throw new Error(`BENCH_HTTP_CLIENT: raw, undici, node or fetch`);
  const measuredClient = clients[clientName as keyof typeof clients];
  /** What the `finally` below ends, last opened first. */
  const opened: (() => unknown)[] = [];
  const open = <T>(thing: T, close: (t: T) => unknown): T => {
    opened.unshift(() => close(thing));
    return thing;
  };
  const service = open(await startService(url), (s) => s.stop());
  const base = `${service.origin}/api/v1`;
  const call = apiClient(base);
  // Setup and seeding as the owner; the references connect as the service does (application role).
  const pool = open(benchPool(url, 4, log), (p) => p.end());
  const refPoolOn = (databaseUrl: string) =>
    open(benchPool(appRoleUrl(databaseUrl, DEV_APP_PASSWORD), CONCURRENCY + 4, log), (p) =>
      p.end(),
    );
  const referencesOn = (refPool: pg.Pool): Side['references'] => ({
    statements: referencePledger(refPool, { lockedSection: 'statements', hotCampaignConcurrency }),
    function: referencePledger(refPool, { lockedSection: 'function', hotCampaignConcurrency }),
  });
  const sideOn = async (
    suffix: string,
    svc: ServiceProcess,
    databaseUrl: string,
    ownerPool: pg.Pool,
  ): Promise<Side> => ({
    suffix,
    references: referencesOn(refPoolOn(databaseUrl)),
    http: open(measuredClient(svc.origin), (c) => (c as Partial<{ close: () => void }>).close?.()),
    stats: await statementStats(ownerPool),
  });
  let rss: { stop: () => number }[] = [];
  try {
    log('setting up: a founder, a LIVE debt campaign, investors assessed, acknowledged and funded');
    const setupApp = await inProcessApp(url);
    // Closed at once: its connections would count against max_connections in the runs.
    const world = await setUpPledgeWorld(setupApp, pool, base, INVESTORS).finally(() =>
      setupApp.close(),
    );
    const freshSide = await sideOn('', service, url, pool);
    const sides = [freshSide];
    // The history goes into a copy of the fresh database, served by a second service process, so
    // that the runs with and without it alternate (bench/pledge-rounds.ts).
    let withHistory: {
      url: string;
      pool: pg.Pool;
      call: typeof call;
      loaded: HistoryLoaded;
    } | null = null;
    if (PRELOAD_PLEDGES > 0) {
      log('copying the database for the history (every connection to it is ended first)');
      const historyUrl = await db.clone('history');
      const historyPool = open(benchPool(historyUrl, 4, log), (p) => p.end());
      const loaded = await loadHistory(
        historyPool,
        world,
        { pledges: PRELOAD_PLEDGES, transfers: PRELOAD_TRANSFERS },
        log,
      );
      const historyService = open(await startService(historyUrl), (s) => s.stop());
      sides.push(await sideOn(', with history', historyService, historyUrl, historyPool));
      withHistory = {
        url: historyUrl,
        pool: historyPool,
        call: apiClient(`${historyService.origin}/api/v1`),
        loaded,
      };
      rss.push(pidRssSampler(historyService.pid));
    }
    const runs: RunResult[] = [];
    rss.push(pidRssSampler(service.pid));
    // The HTTP stack's own ceiling: a route that does nothing, through the same client.
    const trivial = await drive(
      'GET /health/live (HTTP, trivial endpoint)',
      CONCURRENCY,
      SECONDS,
      () => freshSide.http('GET', '/health/live'),
    );
    runs.push(trivial);
    const settings = { world, concurrency: CONCURRENCY, seconds: SECONDS, rounds: ROUNDS };
    await warmUpServices(sides, settings, SERVICE_WARMUP_SECONDS, runs);
    const [freshHot, historyHot] = await measureScenario(
      'hot',
      'hot campaign',
      sides,
      settings,
      runs,
    );
    const [freshSpread, historySpread] = await measureScenario(
      'spread',
      '1,000 campaigns',
      sides,
      settings,
      runs,
    );
    const fresh = { hot: freshHot, spread: freshSpread };
    const history =
      withHistory && historyHot && historySpread
        ? {
            loaded: withHistory.loaded,
            hot: historyHot,
            spread: historySpread,
            plans: await historyPlans(withHistory.pool, world),
          }
        : null;
    const peakRssMiB = Math.max(...rss.map((r) => r.stop()));
    rss = [];

    log('draining the e-mail outbox (one notice per pledge of every run), database by database');
    const drained: Awaited<ReturnType<typeof drainEmails>>[] = [];
    if (withHistory) {
      const freshApp = await inProcessApp(url);
      drained.push(await drainEmails(freshApp).finally(() => freshApp.close()));
    }
    // Settlement and repayment on the database that holds the history (the fresh one without).
    const last = {
      app: open(await inProcessApp(withHistory?.url ?? url), (a) => a.close()),
      pool: withHistory?.pool ?? pool,
      call: withHistory?.call ?? call,
    };
    drained.push(await drainEmails(last.app));
    const emails = drained.reduce((sum, d) => sum + d.emails, 0);
    const seconds = Number(drained.reduce((sum, d) => sum + d.seconds, 0).toFixed(2));
    const emailDrain = {
      emails,
      seconds,
      perSecond: Math.round(emails / Math.max(seconds, 0.001)),
    };

    log(`settling a campaign of ${SETTLE_PLEDGES} pledges`);
    const settle = await timeSettlement(
      last.app,
      last.pool,
      last.call,
      world.founder,
      world.terms,
      SETTLE_PLEDGES,
    );
    log(
      `settled in ${settle.milliseconds} ms (${settle.walMiB} MiB of WAL, ${settle.checkpoints} checkpoints; buffers ${JSON.stringify(settle.buffers)}; WAL ${JSON.stringify(settle.wal)})`,
    );
    log(`one repayment to ${REPAY_LENDERS} lenders`);
    const repayment = await timeRepayment(
      last.app,
      config,
      last.pool,
      last.call,
      world.founder,
      world.founderId,
      world.terms,
      REPAY_LENDERS,
    );

    const budgets = judge([
      {
        name: 'hot-campaign HTTP pledges / honest plain-SQL reference (median)',
        value: fresh.hot.httpToHonest,
        min: 0.9,
        unit: 'x',
      },
      {
        name: '1,000-campaign HTTP pledges / honest plain-SQL reference (median)',
        value: fresh.spread.httpToHonest,
        min: 0.8,
        unit: 'x',
      },
      {
        name: `hot-campaign HTTP pledge p99 at ${CONCURRENCY} clients (median)`,
        value: fresh.hot.httpP99ms,
        max: 100,
        unit: 'ms',
      },
      {
        name: `1,000-campaign HTTP pledge p99 at ${CONCURRENCY} clients (median)`,
        value: fresh.spread.httpP99ms,
        max: 100,
        unit: 'ms',
      },
      {
        // A refused or failed pledge is not counted: ratios over runs with failures mean little.
        name: 'failed pledges and requests in all runs (warm-ups too)',
        value: runs.reduce((sum, r) => sum + r.errors + (r.warmupErrors ?? 0), 0),
        max: 0,
        unit: 'errors',
      },
      {
        name: `peak RSS of the service process (heap cap ${HEAP_CAP_MIB} MiB)`,
        value: peakRssMiB,
        max: 300,
        unit: 'MiB',
      },
      ...(history
        ? [
            {
              name: `hot-campaign HTTP pledges with ${history.loaded.pledges.toLocaleString('en')} pledges / fresh (median)`,
              value: history.hot.httpToFirstSide ?? 0,
              min: 0.9,
              unit: 'x',
            },
            {
              name: `1,000-campaign HTTP pledges with ${history.loaded.pledges.toLocaleString('en')} pledges / fresh (median)`,
              value: history.spread.httpToFirstSide ?? 0,
              min: 0.9,
              unit: 'x',
            },
          ]
        : []),
      {
        name: `settle ${SETTLE_PLEDGES.toLocaleString('en')} pledges`,
        value: settle.milliseconds,
        max: 5000,
        unit: 'ms',
      },
      {
        name: 'the settled campaign ends SETTLED (1: yes)',
        value: settle.campaignStatus === 'SETTLED' ? 1 : 0,
        min: 1,
        unit: '',
      },
      {
        name: `one repayment to ${REPAY_LENDERS.toLocaleString('en')} lenders`,
        value: repayment.milliseconds,
        max: 1000,
        unit: 'ms',
      },
    ]);
    const results = {
      bench: 'pledge',
      at: new Date().toISOString(),
      machine: machine(),
      postgres: db.origin,
      settings: {
        concurrency: CONCURRENCY,
        secondsPerRun: SECONDS,
        rounds: ROUNDS,
        investors: INVESTORS,
        hotCampaignConcurrency,
        serviceHeapCapMiB: HEAP_CAP_MIB,
        preloadPledges: PRELOAD_PLEDGES,
        preloadTransfers: PRELOAD_TRANSFERS,
        serviceWarmUpSeconds: SERVICE_WARMUP_SECONDS,
        httpClient: clientName,
      },
      runs,
      fresh,
      history,
      trivialOpsPerSecond: trivial.opsPerSecond,
      peakRssMiB,
      emailDrain,
      ...(sides.some((side) => Object.keys(side.stats.byRun).length > 0)
        ? { statements: Object.assign({}, ...sides.map((side) => side.stats.byRun)) as object }
        : {}),
      settle,
      repayment,
      budgets,
    };
    process.stdout.write(`\n${table(runs)}\n\n`);
    const line = (what: string, s: Scenario) =>
      `${what}: HTTP ${s.httpOpsPerSecond}/s, p99 ${s.httpP99ms} ms; HTTP / honest reference ${s.httpToHonest}x, HTTP / function reference ${s.httpToFunction}x${s.httpToFirstSide === undefined ? '' : `; HTTP / fresh HTTP in the same round ${s.httpToFirstSide}x`}\n`;
    process.stdout.write(line('hot campaign', fresh.hot));
    process.stdout.write(line('1,000 campaigns', fresh.spread));
    if (history) {
      process.stdout.write(
        `history loaded: ${history.loaded.pledges} pledges, ${history.loaded.transfers} transfers in ${history.loaded.seconds} s\n`,
      );
      process.stdout.write(line('hot campaign, with history', history.hot));
      process.stdout.write(line('1,000 campaigns, with history', history.spread));
      for (const [what, lines] of Object.entries(history.plans))
        process.stdout.write(`${what}:\n${lines.filter((l) => / on |Time/.test(l)).join('\n')}\n`);
    }
    process.stdout.write(
      `settled ${settle.pledges} pledges in ${settle.milliseconds} ms (campaign ${settle.campaignStatus}); one repayment to ${repayment.lenders} lenders in ${repayment.milliseconds} ms (${repayment.payouts} ledger rows)\n`,
    );
    process.stdout.write(
      `HTTP pledge / trivial endpoint: ${round2(fresh.hot.httpOpsPerSecond / trivial.opsPerSecond)}x\n`,
    );
    process.stdout.write(
      `e-mail outbox drained after the runs: ${emailDrain.emails} e-mails in ${emailDrain.seconds} s (${emailDrain.perSecond}/s)\n`,
    );
    process.stdout.write(`\nbudgets:\n${budgetTable(budgets)}\n`);
    process.stdout.write(`written to ${await writeResults('pledge', results)}\n`);
    if (budgets.some((b) => !b.ok)) process.exitCode = 1;
  } finally {
    for (const r of rss) r.stop();
    for (const close of opened) await close();
    await db.dispose();
  }
}
