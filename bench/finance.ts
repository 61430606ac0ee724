import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { coreImports } from '../src/app.module.js';
import { parseConfig } from '../src/config/app-config.js';
import { SealerService } from '../src/modules/escrow-ledger/sealer.service.js';
import { IdentityService } from '../src/modules/identity/identity.service.js';
import {
  benchDatabase,
  benchPool,
  budgetTable,
  judge,
  machine,
  pidRssSampler,
  rssOfPid,
  startServiceProcess,
  writeResults,
  staffSignIn,
} from './harness.js';

const TRANSFERS = Number(process.env.BENCH_TRANSFERS ?? 1_000_000);
const STATEMENT_ROWS = 50_000; // one INSERT ... SELECT (one transaction, one sealed block) per 50,000
const INVESTORS = 1000;
const CAMPAIGNS = 100;
const PASSWORD = 'bench-password-123';

@Module({})
class BenchModule {
  static forRoot(databaseUrl: string): DynamicModule {
    const config = parseConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      SEAL_INTERVAL_MS: '0',
      SWEEP_INTERVAL_MS: '0',
      PASSWORD_SCRYPT_COST: '1024',
    });
    return { module: BenchModule, imports: coreImports({ config, databaseUrl }) };
  }
}

/** Runs `work` while sampling `pid`'s RSS every 10 ms; returns the result, seconds and peak MB. */
async function measured<T>(
  pid: number,
  work: () => Promise<T>,
): Promise<{ result: T; seconds: number; peakRssMb: number }> {
  const rss = pidRssSampler(pid, 10);
  const started = performance.now();
  try {
    const result = await work();
    return {
      result,
      seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
      peakRssMb: rss.stop(),
    };
  } finally {
    rss.stop();
  }
}

/** The transfer mix: 60% deposits, 20% holds, then half of the holds posted and half voided. */
export async function load(pool: pg.Pool, log: (m: string) => void): Promise<void> {
  await pool.query(
    `INSERT INTO ledger_accounts (id, code, kind, currency, created_at)
     SELECT gen_random_uuid(), 'investor:bench-' || g || ':available', 'LIABILITY', 'CNY', now() FROM generate_series(1, $1::int) g
     UNION ALL
     SELECT gen_random_uuid(), 'campaign:bench-' || g || ':escrow', 'LIABILITY', 'CNY', now() FROM generate_series(1, $2::int) g`,
    [INVESTORS, CAMPAIGNS],
  );
  const deposits = Math.round(TRANSFERS * 0.6);
  const holds = Math.round(TRANSFERS * 0.2);
  const posts = Math.floor((TRANSFERS - deposits - holds) / 2);
  const voids = TRANSFERS - deposits - holds - posts;
  const chunks = async (total: number, insert: (from: number, to: number) => Promise<unknown>) => {
    for (let from = 1; from <= total; from += STATEMENT_ROWS)
      await insert(from, Math.min(total, from + STATEMENT_ROWS - 1));
  };
  await chunks(deposits, (from, to) =>
    pool.query(
      `INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, reference, created_at)
       SELECT gen_random_uuid(), 'DEPOSIT', 'POSTED', c.id, a.id, 100 + (g % 9973) / 100.0, 'CNY', 'dep-' || g,
              timestamptz '2026-01-01T00:00:00Z' + g * interval '1 second'
       FROM generate_series($1::int, $2::int) g
       JOIN ledger_accounts a ON a.code = 'investor:bench-' || (1 + g % $3::int) || ':available'
       CROSS JOIN (SELECT id FROM ledger_accounts WHERE code = 'custody:cash') c`,
      [from, to, INVESTORS],
    ),
  );
  log(`${deposits} deposits`);
  await chunks(holds, (from, to) =>
    pool.query(
      `INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, reference, created_at)
       SELECT gen_random_uuid(), 'PLEDGE', 'PENDING', a.id, e.id, 1 + (g % 500) / 100.0, 'CNY', 'pledge-' || g,
              timestamptz '2026-06-01T00:00:00Z' + g * interval '1 second'
       FROM generate_series($1::int, $2::int) g
       JOIN ledger_accounts a ON a.code = 'investor:bench-' || (1 + g % $3::int) || ':available'
       JOIN ledger_accounts e ON e.code = 'campaign:bench-' || (1 + g % $4::int) || ':escrow'`,
      [from, to, INVESTORS, CAMPAIGNS],
    ),
  );
  log(`${holds} holds`);
  for (const [status, offset, count] of [
    ['POST', 0, posts],
    ['VOID', posts, voids],
  ] as const) {
    await chunks(count, (from, to) =>
      pool.query(
        `INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, pending_id, reference, created_at)
         SELECT gen_random_uuid(), 'PLEDGE', $1, h.debit_account_id, h.credit_account_id, h.amount, h.currency, h.id,
                h.reference, timestamptz '2026-09-01T00:00:00Z' + h.seq * interval '1 second'
         FROM (SELECT * FROM ledger_transfers WHERE status = 'PENDING' ORDER BY seq OFFSET $2 LIMIT $3) h`,
        [status, offset + from - 1, to - from + 1],
      ),
    );
    log(`${count} ${status}`);
  }
}

/**
 * `npm run bench -- finance`: the finance office's reads on a ledger of BENCH_TRANSFERS (default
 * 1,000,000) transfers, all sealed: GET /finance/trial-balance and /finance/verify (seconds), the
 * journal.csv export and `ledger:export` (rows per second) and `ledger:verify-export`, with the
 * peak RSS of the service (a separate process, dist/src/main.js) and of the CLI.
 */
export async function runFinanceBench(): Promise<void> {
  const db = await benchDatabase('finance');
  const { log, url } = db;
  const pool = benchPool(url, 4, log);
  const context = await NestFactory.createApplicationContext(BenchModule.forRoot(url), {
    logger: ['error', 'warn'],
  });
  const children: ChildProcess[] = [];
  let stopService = async (): Promise<void> => undefined;
  const exportFile = path.join(os.tmpdir(), `zc-bench-ledger-${process.pid}.jsonl`);
  try {
    const t0 = performance.now();
    await load(pool, log);
    const loadSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const blocks = (await context.get(SealerService).sealAll()).length;
    const sealSeconds = (performance.now() - t1) / 1000;
    await pool.query('VACUUM ANALYZE ledger_transfers, ledger_accounts, ledger_blocks');
    const [{ n }] = (await pool.query(`SELECT count(*)::int AS n FROM ledger_transfers`)).rows as {
      n: number;
    }[];
    log(
      `${n} transfers loaded in ${loadSeconds.toFixed(1)} s, sealed into ${blocks} blocks in ${sealSeconds.toFixed(1)} s`,
    );
    const email = `finance-${randomUUID()}@bench.example`;
    await context
      .get(IdentityService)
      .createUser({ email, password: PASSWORD, role: 'FINANCE', kind: 'PERSON' }, 'cli');

    const { DATABASE_URL: _unused, ...env } = process.env;
    const serviceEnv = {
      ...env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: url,
      SEAL_INTERVAL_MS: '0',
      SWEEP_INTERVAL_MS: '0',
    };
    const service = await startServiceProcess(serviceEnv);
    stopService = service.stop;
    const base = `${service.origin}/api/v1`;
    const token = await staffSignIn(base, email, PASSWORD);
    const pid = service.pid;
    const idleRssMb = rssOfPid(pid);
    const getJson = async (route: string) => {
      const res = await fetch(`${base}${route}`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`${route}: ${res.status}`);
      return (await res.json()) as Record<string, unknown>;
    };

    // The journal first, from an idle service, so its peak RSS is its own.
    const journal = await measured(pid, async () => {
      const res = await fetch(`${base}/finance/journal.csv`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (res.status !== 200 || !res.body) throw new Error(`journal.csv: ${res.status}`);
      let bytes = 0;
      let lines = 0;
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        for (const byte of chunk) if (byte === 10) lines++;
      }
      return { bytes, rows: lines - 1 };
    });
    const journalRowsPerSecond = Math.round(journal.result.rows / journal.seconds);
    log(`journal.csv: ${journal.result.rows} rows in ${journal.seconds} s`);

    const trialBalance = await measured(pid, () => getJson('/finance/trial-balance'));
    log(
      `trial balance: ${trialBalance.seconds} s, balanced ${String(trialBalance.result.balanced)}`,
    );
    // Reads as of a past moment (issue 18): from the nearest balance checkpoint, not every transfer.
    const moments = (
      await pool.query(
        `SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY created_at) AS mid,
                max(created_at) - interval '1 second' AS late FROM ledger_transfers`,
      )
    ).rows[0] as { mid: Date; late: Date };
    const asOfMid = await measured(pid, () =>
      getJson(`/finance/trial-balance?asOf=${moments.mid.toISOString()}`),
    );
    const asOfLate = await measured(pid, () =>
      getJson(`/finance/trial-balance?asOf=${moments.late.toISOString()}`),
    );
    const opening = await measured(pid, () =>
      getJson(`/finance/accounts/custody:cash/statement?from=${moments.mid.toISOString()}&limit=1`),
    );
    log(
      `trial balance asOf: ${asOfMid.seconds} s (median moment), ${asOfLate.seconds} s (latest); statement opening of custody:cash: ${opening.seconds} s`,
    );
    const verify = await measured(pid, () => getJson('/finance/verify'));
    log(`verify: ${verify.seconds} s, ok ${String(verify.result.ok)}`);
    const incremental = await measured(pid, () => getJson('/finance/verify?incremental=true'));
    log(
      `verify (incremental, nothing sealed since): ${incremental.seconds} s, ok ${String(incremental.result.ok)}`,
    );
    const runCli = (args: string[]) =>
      new Promise<{ code: number | null; pid: number }>((resolve, reject) => {
        const cli = spawn(process.execPath, ['dist/src/cli.js', ...args], {
          env: serviceEnv,
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        children.push(cli);
        cli.once('error', reject);
        cli.once('exit', (code) => resolve({ code, pid: cli.pid ?? 0 }));
      });
    const cliPeak = async (args: string[]) => {
      const started = performance.now();
      const running = runCli(args);
      const rss = pidRssSampler(children.at(-1)?.pid ?? 0, 10);
      const { code } = await running;
      return {
        code,
        seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
        peakRssMb: rss.stop(),
      };
    };
    const ledgerExport = await cliPeak(['ledger:export', '--out', exportFile]);
    if (ledgerExport.code !== 0) throw new Error(`ledger:export exited ${ledgerExport.code}`);
    const exportBytes = statSync(exportFile).size;
    log(
      `ledger:export: ${exportBytes} bytes in ${ledgerExport.seconds} s (process start included)`,
    );
    const offline = await cliPeak(['ledger:verify-export', exportFile]);
    log(`ledger:verify-export: exit ${offline.code} in ${offline.seconds} s`);

    // Issue 18: verify within 5 s per 1,000,000 transfers; reads as of a moment and a statement's
    // opening balance cost the transfers since the nearest checkpoint, so they do not grow with n.
    const millions = n / 1_000_000;
    const budgets = judge([
      {
        name: `GET /finance/verify over ${n.toLocaleString('en')} transfers (5 s per million)`,
        value: verify.seconds,
        max: Number((5 * Math.max(1, millions)).toFixed(1)),
        unit: 's',
      },
      {
        name: 'both verifications (full, incremental) clean (1: yes)',
        value: verify.result.ok === true && incremental.result.ok === true ? 1 : 0,
        min: 1,
        unit: '',
      },
      {
        name: 'GET /finance/trial-balance?asOf, the slower moment (flat in n)',
        value: Math.max(asOfMid.seconds, asOfLate.seconds),
        max: 0.5,
        unit: 's',
      },
      {
        name: 'statement opening balance of custody:cash (flat in n)',
        value: opening.seconds,
        max: 0.5,
        unit: 's',
      },
    ]);
    const results = {
      bench: 'finance',
      at: new Date().toISOString(),
      machine: machine(),
      postgres: db.origin,
      settings: {
        transfers: n,
        mix: '60% POSTED deposits, 20% PENDING holds, 10% POST, 10% VOID',
        accounts: INVESTORS + CAMPAIGNS + 2,
        blocks,
        rowsPerInsertStatement: STATEMENT_ROWS,
        loadSeconds: Number(loadSeconds.toFixed(1)),
        sealSeconds: Number(sealSeconds.toFixed(1)),
      },
      service: { idleRssMb, peakRssMb: rssOfPid(pid, 'VmHWM') },
      trialBalance: { seconds: trialBalance.seconds, peakRssMb: trialBalance.peakRssMb },
      trialBalanceAsOf: {
        medianMomentSeconds: asOfMid.seconds,
        latestMomentSeconds: asOfLate.seconds,
      },
      statementOpening: { account: 'custody:cash', seconds: opening.seconds },
      verifyIncremental: { seconds: incremental.seconds, ok: incremental.result.ok },
      verify: {
        seconds: verify.seconds,
        ok: verify.result.ok,
        transfersChecked: verify.result.transfersChecked,
        peakRssMb: verify.peakRssMb,
      },
      journalCsv: {
        rows: journal.result.rows,
        bytes: journal.result.bytes,
        seconds: journal.seconds,
        rowsPerSecond: journalRowsPerSecond,
        peakRssMb: journal.peakRssMb,
      },
      ledgerExport: {
        rows: n,
        bytes: exportBytes,
        secondsIncludingProcessStart: ledgerExport.seconds,
        rowsPerSecond: Math.round(n / ledgerExport.seconds),
        cliPeakRssMb: ledgerExport.peakRssMb,
      },
      ledgerVerifyExport: {
        exitCode: offline.code,
        seconds: offline.seconds,
        rowsPerSecond: Math.round(n / offline.seconds),
        peakRssMb: offline.peakRssMb,
      },
      budgets,
    };
    const rows: [string, string, string][] = [
      ['GET /finance/trial-balance', `${trialBalance.seconds} s`, `${trialBalance.peakRssMb} MB`],
      [
        'GET /finance/trial-balance?asOf (median moment)',
        `${asOfMid.seconds} s`,
        `${asOfMid.peakRssMb} MB`,
      ],
      [
        'GET /finance/trial-balance?asOf (latest)',
        `${asOfLate.seconds} s`,
        `${asOfLate.peakRssMb} MB`,
      ],
      [
        'statement opening balance (custody:cash)',
        `${opening.seconds} s`,
        `${opening.peakRssMb} MB`,
      ],
      ['GET /finance/verify', `${verify.seconds} s`, `${verify.peakRssMb} MB`],
      [
        'GET /finance/verify?incremental=true',
        `${incremental.seconds} s`,
        `${incremental.peakRssMb} MB`,
      ],
      ['GET /finance/journal.csv', `${journalRowsPerSecond} rows/s`, `${journal.peakRssMb} MB`],
      [
        'cli ledger:export',
        `${results.ledgerExport.rowsPerSecond} rows/s`,
        `${ledgerExport.peakRssMb} MB`,
      ],
      [
        'cli ledger:verify-export',
        `${results.ledgerVerifyExport.rowsPerSecond} rows/s`,
        `${offline.peakRssMb} MB`,
      ],
    ];
    const widths = [0, 1, 2].map((i) =>
      Math.max(...rows.map((r) => r[i].length), ['run', 'result', 'peak RSS'][i].length),
    );
    const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
    process.stdout.write(
      `\n${n} transfers, ${blocks} blocks\n${fmt(['run', 'result', 'peak RSS'])}\n${fmt(widths.map((w) => '-'.repeat(w)))}\n${rows.map(fmt).join('\n')}\n\n`,
    );
    process.stdout.write(`written to ${await writeResults('finance', results)}\n`);
    process.stdout.write(`\nbudgets:\n${budgetTable(budgets)}\n`);
    if (budgets.some((b) => !b.ok)) process.exitCode = 1;
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await stopService();
    rmSync(exportFile, { force: true });
    await pool.end();
    await context.close();
    await db.dispose();
  }
}
