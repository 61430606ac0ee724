import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ReadReplica } from '../src/database/read-replica.js';
import { LedgerService } from '../src/modules/escrow-ledger/ledger.service.js';
import { cny, fundedAccount } from './support/ledger.js';
import {
  type PrimaryAndStandby,
  postgresBinDir,
  startPrimaryAndStandby,
} from './support/standby.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { staffToken } from './support/users.js';

/** `npm run test:reliability` runs this longer (test/reliability/replica-finance-reads-long.spec.ts). */
const WRITES = Number(process.env.ZC_REPLICA_WRITES ?? 200);
const READERS = 3;

/**
 * pg_basebackup is a PostgreSQL client tool, not part of the embedded server: on a machine with
 * none, `npm test` says so loudly and skips this file; `npm run test:reliability`
 * (ZC_REQUIRE_PG_TOOLS=1) fails instead.
 */
const binDir = postgresBinDir();
if (!binDir) {
  const message = 'no initdb/pg_ctl/postgres/pg_basebackup found (set PG_BIN_DIR)';
  if (process.env.ZC_REQUIRE_PG_TOOLS === '1') throw new Error(message);
  process.stderr.write(`\n[replica] SKIPPED: ${message}\n`);
}
const describeWithTools = binDir ? describe : describe.skip;

interface TrialBalance {
  accounts: { code: string; debitsPosted: string; creditsPosted: string }[];
  totals: { debitsPosted: string; creditsPosted: string };
  balanced: boolean;
}

/**
 * Issue 19: with DATABASE_REPLICA_URL the finance office's reads run on a real streaming standby
 * (pg_basebackup + standby.signal, the same binaries), and stay correct: a read sees every write
 * that finished before it (its own included), under concurrent writes, and a standby that stops
 * replaying is bypassed rather than trusted.
 */
describeWithTools('finance reads from a streaming replica (issue 19)', () => {
  let servers: PrimaryAndStandby;
  let t: TestApp;
  let finance: { token: string };
  let reads: ReadReplica;
  let standby: pg.Client;
  const tb = async (): Promise<TrialBalance> => {
    const res = await t.http
      .get('/api/v1/finance/trial-balance')
      .set('authorization', `Bearer ${finance.token}`);
    expect(res.status).toBe(200);
    return res.body as TrialBalance;
  };
  /** What the service's own connections to the standby last ran (pg_stat_activity there). */
  const standbyQueries = async (): Promise<string[]> =>
    (
      await standby.query<{ query: string }>(
        `SELECT query FROM pg_stat_activity
         WHERE application_name = 'zhongchou' AND usename = 'zhongchou_app'`,
      )
    ).rows.map((r) => r.query);

  beforeAll(async () => {
    servers = await startPrimaryAndStandby(binDir as string);
    t = await startTestApp(
      { DATABASE_REPLICA_MAX_WAIT_MS: '2000' },
      { db: servers.primary, replicaUrl: servers.standbyAppUrl },
    );
    finance = await staffToken(t, 'FINANCE');
    reads = t.app.get(ReadReplica);
    standby = new pg.Client({ connectionString: servers.standbyUrl });
    await standby.connect();
    process.stderr.write(`[replica] primary + standby ready in ${servers.setupMs} ms\n`);
  }, 120_000);

  afterAll(async () => {
    await standby?.end().catch(() => undefined);
    await t?.close();
    await servers?.stop();
  });

  it('the finance reader connects to the standby, as the application role', async () => {
    expect(reads.enabled).toBe(true);
    const [row] = await reads.query<{ recovery: boolean; user: string }[]>(
      `SELECT pg_is_in_recovery() AS recovery, current_user AS user`,
    );
    expect(row).toEqual({ recovery: true, user: 'zhongchou_app' });
  });

  it('a finance read right after a write sees it, and runs on the standby', async () => {
    const before = { ...reads.counts };
    const wallet = await fundedAccount(t, 'replica-own-write', '123.45');
    const body = await tb();
    expect(body.accounts.find((a) => a.code === wallet)?.creditsPosted).toBe('123.45');
    expect(body.balanced).toBe(true);
    expect(reads.counts.replica).toBeGreaterThan(before.replica);
    expect(reads.counts.primary).toBe(before.primary);
    // The trial balance's own SQL is what the service's connection on the standby last ran.
    expect((await standbyQueries()).some((q) => q.includes('FROM ledger_accounts_view'))).toBe(
      true,
    );
  });

  it('under concurrent writes every read is balanced and includes every write finished before it', async () => {
    const ledger = t.app.get(LedgerService);
    const wallet = await fundedAccount(t, 'replica-load', '0.00');
    let finished = 0;
    const before = { ...reads.counts };
    const started = performance.now();
    const writer = async (w: number): Promise<void> => {
      for (let i = w; i < WRITES; i += 4) {
        await ledger.transfer({
          idempotencyKey: `replica-load-${i}`,
          kind: 'DEPOSIT',
          debitAccount: 'custody:cash',
          creditAccount: wallet,
          amount: cny('1.00'),
        });
        finished++;
      }
    };
    let stop = false;
    const failures: string[] = [];
    let checked = 0;
    const reader = async (): Promise<void> => {
      while (!stop) {
        const floor = finished; // every write counted here committed before the read began
        const body = await tb();
        const seen = Number(body.accounts.find((a) => a.code === wallet)?.creditsPosted ?? '0');
        if (!body.balanced) failures.push('unbalanced trial balance');
        if (body.totals.debitsPosted !== body.totals.creditsPosted) failures.push('totals differ');
        if (seen < floor) failures.push(`read saw ${seen} of at least ${floor} writes`);
        checked++;
      }
    };
    const readers = Array.from({ length: READERS }, reader);
    await Promise.all([0, 1, 2, 3].map(writer));
    stop = true;
    await Promise.all(readers);
    const ms = Math.round(performance.now() - started);
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(0);
    const final = await tb();
    expect(final.accounts.find((a) => a.code === wallet)?.creditsPosted).toBe(`${WRITES}.00`);
    const onReplica = reads.counts.replica - before.replica;
    const fellBack = reads.counts.fallback - before.fallback;
    process.stderr.write(
      `[replica] ${WRITES} writes, ${checked} trial balances checked in ${ms} ms: ` +
        `${onReplica} reads on the standby, ${fellBack} fell back to the primary\n`,
    );
    expect(onReplica).toBeGreaterThan(0);
  });

  it('a standby that stops replaying is bypassed: the read goes to the primary and is still right', async () => {
    await standby.query('SELECT pg_wal_replay_pause()');
    try {
      const before = { ...reads.counts };
      const wallet = await fundedAccount(t, 'replica-paused', '77.00');
      const body = await tb();
      expect(body.accounts.find((a) => a.code === wallet)?.creditsPosted).toBe('77.00');
      expect(reads.counts.fallback).toBeGreaterThan(before.fallback);
    } finally {
      await standby.query('SELECT pg_wal_replay_resume()');
    }
    const before = { ...reads.counts };
    await tb();
    expect(reads.counts.replica).toBeGreaterThan(before.replica);
  });
});
