import { randomUUID } from 'node:crypto';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { coreImports } from '../src/app.module.js';
import { Money } from '../src/common/money/money.js';
import { parseConfig } from '../src/config/app-config.js';
import { LedgerService } from '../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../src/modules/escrow-ledger/ledger.types.js';
import {
  budgetTable,
  drive,
  judge,
  machine,
  rssSampler,
  type RunResult,
  table,
  writeResults,
  benchDatabase,
  benchPool,
} from './harness.js';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ACCOUNTS = 1000;

@Module({})
class BenchModule {
  static forRoot(databaseUrl: string): DynamicModule {
    const config = parseConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      SEAL_INTERVAL_MS: '0',
      DATABASE_POOL_SIZE: String(CONCURRENCY + 4),
    });
    return { module: BenchModule, imports: coreImports({ config, databaseUrl }) };
  }
}

/**
 * The reference: the same hold as plain SQL on plain tables (no app, no trigger) from a plain `pg`
 * pool at the same concurrency: lock both accounts in id order, move the pending counters with an
 * overdraft guard, insert the transfer row, commit.
 */
const REFERENCE_SCHEMA = `
  CREATE TABLE ref_accounts (id uuid PRIMARY KEY, credits_posted numeric(20,2) NOT NULL DEFAULT 0,
    debits_pending numeric(20,2) NOT NULL DEFAULT 0, credits_pending numeric(20,2) NOT NULL DEFAULT 0,
    CHECK (debits_pending <= credits_posted));
  CREATE TABLE ref_transfers (id uuid PRIMARY KEY, seq bigserial, debit uuid NOT NULL, credit uuid NOT NULL,
    amount numeric(20,2) NOT NULL CHECK (amount > 0), status text NOT NULL, created_at timestamptz NOT NULL);`;

async function referenceHold(
  pool: pg.Pool,
  debit: string,
  credit: string,
  amount: string,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT 1 FROM ref_accounts WHERE id IN ($1, $2) ORDER BY id FOR UPDATE', [
      debit,
      credit,
    ]);
    const d = await client.query(
      'UPDATE ref_accounts SET debits_pending = debits_pending + $2 WHERE id = $1 AND debits_pending + $2 <= credits_posted',
      [debit, amount],
    );
    if (d.rowCount !== 1) throw new Error('insufficient funds');
    await client.query(
      'UPDATE ref_accounts SET credits_pending = credits_pending + $2 WHERE id = $1',
      [credit, amount],
    );
    await client.query(
      `INSERT INTO ref_transfers (id, debit, credit, amount, status, created_at) VALUES ($1, $2, $3, $4, 'PENDING', now())`,
      [randomUUID(), debit, credit, amount],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

export async function runLedgerBench(): Promise<void> {
  const db = await benchDatabase('ledger');
  const { log, url } = db;
  log(`scratch database on ${db.origin} Postgres; ${CONCURRENCY} workers x ${SECONDS} s per run`);
  const app = await NestFactory.createApplicationContext(BenchModule.forRoot(url), {
    logger: ['error', 'warn'],
  });
  const pool = benchPool(url, CONCURRENCY + 4, log);
  try {
    const ledger = app.get(LedgerService);
    const currency = ledger.currency;
    const big = Money.parse('100000000.00', currency);
    const amount = Money.parse('1.00', currency);

    // Our ledger: 1,000 funded investor accounts, 1,000 escrow accounts.
    const investors: string[] = [];
    const escrows: string[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const inv = AccountCodes.investorAvailable(`bench-${i}`);
      const esc = AccountCodes.campaignEscrow(`bench-${i}`);
      await ledger.openAccount(inv, 'LIABILITY');
      await ledger.openAccount(esc, 'LIABILITY');
      await ledger.transfer({
        idempotencyKey: `fund-${i}`,
        kind: 'DEPOSIT',
        debitAccount: AccountCodes.custodyCash,
        creditAccount: inv,
        amount: big,
      });
      investors.push(inv);
      escrows.push(esc);
    }
    // The reference: the same accounts on plain tables.
    await pool.query(REFERENCE_SCHEMA);
    const refInvestors = Array.from({ length: ACCOUNTS }, () => randomUUID());
    const refEscrows = Array.from({ length: ACCOUNTS }, () => randomUUID());
    await pool.query(
      `INSERT INTO ref_accounts (id, credits_posted) SELECT unnest($1::uuid[]), 100000000`,
      [refInvestors],
    );
    await pool.query(`INSERT INTO ref_accounts (id) SELECT unnest($1::uuid[])`, [refEscrows]);

    const runs: RunResult[] = [];
    const pick = (xs: string[]) => xs[Math.floor(Math.random() * xs.length)];
    const hold = (debit: string, credit: string) =>
      ledger.hold({
        idempotencyKey: randomUUID(),
        kind: 'PLEDGE',
        debitAccount: debit,
        creditAccount: credit,
        amount,
      });

    const rss = rssSampler();
    runs.push(
      await drive('reference hold, hot account', CONCURRENCY, SECONDS, () =>
        referenceHold(pool, pick(refInvestors), refEscrows[0], '1.00'),
      ),
    );
    runs.push(
      await drive('ledger.hold, hot account', CONCURRENCY, SECONDS, () =>
        hold(pick(investors), escrows[0]),
      ),
    );
    runs.push(
      await drive('reference hold, 1,000 accounts', CONCURRENCY, SECONDS, () =>
        referenceHold(pool, pick(refInvestors), pick(refEscrows), '1.00'),
      ),
    );
    runs.push(
      await drive('ledger.hold, 1,000 accounts', CONCURRENCY, SECONDS, () =>
        hold(pick(investors), pick(escrows)),
      ),
    );

    // Settlement's batch form: post 10,000 holds on one campaign in one call.
    const batchEscrow = AccountCodes.campaignEscrow('bench-batch');
    await ledger.openAccount(batchEscrow, 'LIABILITY');
    const batch: string[] = [];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, w) => {
        for (let i = w; i < 10_000; i += CONCURRENCY)
          batch.push((await hold(investors[i % ACCOUNTS], batchEscrow)).id);
      }),
    );
    // Right after the load the tables are full of dead row versions and their statistics are stale
    // (autovacuum has not caught up); BENCH_VACUUM=1 measures the batch after VACUUM ANALYZE instead.
    if (process.env.BENCH_VACUUM)
      await pool.query('VACUUM ANALYZE ledger_accounts, ledger_transfers');
    const t0 = performance.now();
    await ledger.postMany(batch);
    const postManyMs = Math.round(performance.now() - t0);
    const peakRssMiB = rss.stop();

    const [hotRef, hotOurs, manyRef, manyOurs] = runs;
    const ratio = (ours: RunResult, ref: RunResult) =>
      Number((ours.opsPerSecond / ref.opsPerSecond).toFixed(2));
    const budgets = judge([
      {
        name: 'ledger.hold / plain-SQL reference, 1,000 accounts',
        value: ratio(manyOurs, manyRef),
        min: 0.6,
        unit: 'x',
      },
      {
        name: 'peak RSS of the process (service + bench client)',
        value: peakRssMiB,
        max: 300,
        unit: 'MiB',
      },
    ]);
    const results = {
      bench: 'ledger',
      at: new Date().toISOString(),
      machine: machine(),
      postgres: db.origin,
      concurrency: CONCURRENCY,
      secondsPerRun: SECONDS,
      runs,
      ratios: {
        hotAccount: ratio(hotOurs, hotRef),
        manyAccounts: ratio(manyOurs, manyRef),
        target: { manyAccounts: 0.6 },
      },
      postMany: {
        holds: batch.length,
        milliseconds: postManyMs,
        vacuumedFirst: Boolean(process.env.BENCH_VACUUM),
      },
      peakRssMiB,
      budgets,
    };
    process.stdout.write(`\n${table(runs)}\n\n`);
    process.stdout.write(
      `ratio to reference: hot account ${results.ratios.hotAccount}x, 1,000 accounts ${results.ratios.manyAccounts}x (target >= 0.6x)\n`,
    );
    process.stdout.write(`postMany: ${batch.length} holds posted in ${postManyMs} ms\n`);
    process.stdout.write(`\nbudgets:\n${budgetTable(budgets)}\n`);
    process.stdout.write(`written to ${await writeResults('ledger', results)}\n`);
    if (budgets.some((b) => !b.ok)) process.exitCode = 1;
  } finally {
    await pool.end();
    await app.close();
    await db.dispose();
  }
}
