import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../src/app-factory.js';
import { parseConfig } from '../src/config/app-config.js';
import { appRoleUrl, DEV_APP_PASSWORD } from '../src/database/roles.js';
import {
  benchDatabase,
  benchPool,
  budgetTable,
  drive,
  judge,
  machine,
  median,
  pidRssSampler,
  type RunResult,
  startServiceProcess,
  table,
  writeResults,
} from './harness.js';
import { measureWithHistory } from './pledge-history.js';
import { type LockedSection, referencePledger } from './pledge-reference.js';
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
/** The service's explicit heap cap (V8 old space, MiB) for the RSS budget. */
const HEAP_CAP_MIB = env('BENCH_SERVICE_HEAP_MIB', 256);

interface Scenario {
  /** Each round's runs, in the order they ran: honest reference, function reference, HTTP. */
  rounds: { honest: RunResult; function: RunResult; http: RunResult }[];
  /** Medians over the rounds. */
  httpOpsPerSecond: number;
  httpP99ms: number;
  httpToHonest: number;
  httpToFunction: number;
}

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
  const app: NestFastifyApplication = await createApp({
    config,
    databaseUrl: appRoleUrl(url, DEV_APP_PASSWORD), // as the service runs: the application role
    logStream: quiet,
    swaggerUi: false,
  });
  await app.init();
  // The app above is for setup, settlement and the repayment in this process; HTTP goes to the
  // real service in its own process, so the bench client's work does not share its event loop
  // or heap.
  const service = await startServiceProcess(
    {
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: url,
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
      // machine's 2 cores on e-mails of whichever run came before. The outbox is drained after the
      // runs and timed on its own (emailDrain); in a deployment the dispatcher may run anywhere.
      NOTIFICATION_DISPATCH_INTERVAL_MS: '0',
      MAIL_DIR: mailDir,
    },
    { heapCapMiB: HEAP_CAP_MIB },
  );
  const base = `${service.origin}/api/v1`;
  const call = apiClient(base);
  // The measured runs' client, a keep-alive connection per worker: HTTP/1.1 over node:net
  // (bench/raw-http-client.ts, since 2026-12-06 19:10 UTC); BENCH_HTTP_CLIENT=undici: undici's pool
  // (until then), =node: node:http (until 14:00 that day), =fetch: `fetch` (until that morning).
  const clients = {
    fetch: () => apiClient(service.origin),
    node: () => keepAliveClient(service.origin, CONCURRENCY),
    undici: () => undiciClient(service.origin, CONCURRENCY),
    raw: () => rawHttpClient(service.origin, CONCURRENCY),
  };
  const clientName = process.env.BENCH_HTTP_CLIENT ?? 'raw';
  if (!(clientName in clients)) throw new Error(`BENCH_HTTP_CLIENT: raw, undici, node or fetch`);
  const measured = clients[clientName as keyof typeof clients]();
  // Setup and seeding as the owner; the references connect as the service does (application role).
  const pool = benchPool(url, 4, log);
  const stats = await statementStats(pool);
  const refPool = benchPool(appRoleUrl(url, DEV_APP_PASSWORD), CONCURRENCY + 4, log);
  let rss: { stop: () => number } | undefined;
  try {
    log('setting up: a founder, a LIVE debt campaign, investors assessed, acknowledged and funded');
    const world = await setUpPledgeWorld(app, pool, base, INVESTORS);
    const references: Record<LockedSection, ReturnType<typeof referencePledger>> = {
      statements: referencePledger(refPool, {
        lockedSection: 'statements',
        hotCampaignConcurrency,
      }),
      function: referencePledger(refPool, { lockedSection: 'function', hotCampaignConcurrency }),
    };
    const investorOf = (worker: number, i: number) => (worker * 31 + i) % world.tokens.length;
    const targets = {
      hot: () => world.hot,
      spread: (worker: number, i: number) =>
        world.spread[(worker * 997 + i * 13) % world.spread.length],
    };
    const scenario = async (
      kind: keyof typeof targets,
      label: string,
      runs: RunResult[],
    ): Promise<Scenario> => {
      const rounds: Scenario['rounds'] = [];
      const viaReference = (section: LockedSection) => (worker: number, i: number) => {
        const t = targets[kind](worker, i);
        return references[section](world.investors[investorOf(worker, i)], t.campaign, t.escrow);
      };
      // Reference and application runs alternate, in the order honest, function, HTTP in odd
      // rounds and HTTP, function, honest in even ones (ABBA): every run adds pledges that the
      // next runs' rolling-limit sums read (200 investors), so a fixed order would hand the
      // cheaper database to whichever side always ran first (2026-12-06: the honest reference run
      // again right after the HTTP run cost Postgres 2.40 ms a pledge instead of 2.20).
      for (let r = 1; r <= ROUNDS; r++) {
        // One measured run; its statements are recorded as `${tag} ${label} ${r}`.
        const run = (
          tag: string,
          name: string,
          op: (worker: number, i: number) => Promise<unknown>,
        ) =>
          stats.around(`${tag} ${label} ${r}`, () =>
            drive(`${name}, ${label}, round ${r}`, CONCURRENCY, SECONDS, op),
          );
        const runHonest = () =>
          run('honest', 'honest reference (plain SQL)', viaReference('statements'));
        const runFunction = () =>
          run('function', 'function reference (pledge_hold_and_claim)', viaReference('function'));
        const runHttp = () =>
          run('http', 'POST /campaigns/:id/pledges (HTTP)', (worker, i) =>
            measured(
              'POST',
              `/api/v1/campaigns/${targets[kind](worker, i).campaign}/pledges`,
              world.tokens[investorOf(worker, i)],
              { amount: '1.00' },
              { 'idempotency-key': randomUUID() },
            ),
          );
        let honest: RunResult, fn: RunResult, http: RunResult;
        if (r % 2 === 1) {
          honest = await runHonest();
          fn = await runFunction();
          http = await runHttp();
        } else {
          http = await runHttp();
          fn = await runFunction();
          honest = await runHonest();
        }
        runs.push(...(r % 2 === 1 ? [honest, fn, http] : [http, fn, honest]));
        rounds.push({ honest, function: fn, http });
      }
      const per = (f: (x: Scenario['rounds'][number]) => number) => round2(median(rounds.map(f)));
      return {
        rounds,
        httpOpsPerSecond: per((x) => x.http.opsPerSecond),
        httpP99ms: per((x) => x.http.p99ms),
        httpToHonest: per((x) => x.http.opsPerSecond / x.honest.opsPerSecond),
        httpToFunction: per((x) => x.http.opsPerSecond / x.function.opsPerSecond),
      };
    };

    const runs: RunResult[] = [];
    rss = pidRssSampler(service.pid);
    // The HTTP stack's own ceiling: a route that does nothing, through the same client.
    const trivial = await drive(
      'GET /health/live (HTTP, trivial endpoint)',
      CONCURRENCY,
      SECONDS,
      () => measured('GET', '/health/live'),
    );
    runs.push(trivial);
    const fresh = {
      hot: await scenario('hot', 'hot campaign', runs),
      spread: await scenario('spread', '1,000 campaigns', runs),
    };
    let history: Awaited<ReturnType<typeof measureWithHistory<Scenario>>> | null = null;
    if (PRELOAD_PLEDGES > 0)
      history = await measureWithHistory(
        pool,
        world,
        { pledges: PRELOAD_PLEDGES, transfers: PRELOAD_TRANSFERS },
        (kind, label) => scenario(kind, label, runs),
        log,
      );
    const peakRssMiB = rss.stop();

    log('draining the e-mail outbox (one notice per pledge of every run)');
    const emailDrain = await drainEmails(app);

    log(`settling a campaign of ${SETTLE_PLEDGES} pledges`);
    const settle = await timeSettlement(
      app,
      pool,
      call,
      world.founder,
      world.terms,
      SETTLE_PLEDGES,
    );
    log(
      `settled in ${settle.milliseconds} ms (${settle.walMiB} MiB of WAL, ${settle.checkpoints} checkpoints; buffers ${JSON.stringify(settle.buffers)})`,
    );
    log(`one repayment to ${REPAY_LENDERS} lenders`);
    const repayment = await timeRepayment(
      app,
      config,
      pool,
      call,
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
              name: `hot-campaign HTTP pledges with ${history.loaded.pledges.toLocaleString('en')} pledges / fresh`,
              value: round2(history.hot.httpOpsPerSecond / fresh.hot.httpOpsPerSecond),
              min: 0.9,
              unit: 'x',
            },
            {
              name: `1,000-campaign HTTP pledges with ${history.loaded.pledges.toLocaleString('en')} pledges / fresh`,
              value: round2(history.spread.httpOpsPerSecond / fresh.spread.httpOpsPerSecond),
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
        httpClient: clientName,
      },
      runs,
      fresh,
      history,
      trivialOpsPerSecond: trivial.opsPerSecond,
      peakRssMiB,
      emailDrain,
      ...(Object.keys(stats.byRun).length > 0 ? { statements: stats.byRun } : {}),
      settle,
      repayment,
      budgets,
    };
    process.stdout.write(`\n${table(runs)}\n\n`);
    const line = (what: string, s: Scenario) =>
      `${what}: HTTP ${s.httpOpsPerSecond}/s, p99 ${s.httpP99ms} ms; HTTP / honest reference ${s.httpToHonest}x, HTTP / function reference ${s.httpToFunction}x\n`;
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
    rss?.stop();
    (measured as Partial<{ close: () => void }>).close?.(); // the raw client's sockets
    await service.stop();
    await refPool.end();
    await pool.end();
    await app.close();
    await db.dispose();
  }
}
