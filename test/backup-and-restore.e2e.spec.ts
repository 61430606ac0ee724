import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { type BackupManifest, pgTool, type RestoreReport } from '../src/database/backup.js';
import { appRoleUrl, DEV_APP_PASSWORD } from '../src/database/roles.js';
import { LedgerService } from '../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../src/modules/escrow-ledger/ledger.types.js';
import type { OfflineReport } from '../src/modules/finance/offline-verifier.js';
import { cny, fundedAccount, sealEverything } from './support/ledger.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { databaseUrl, TEST_ENV } from './support/test-env.js';

const CLI = path.resolve('dist/src/cli.js');
/** `npm run test:reliability` sets this higher (test/reliability/backup-and-restore-long.spec.ts). */
const BULK = Number(process.env.ZC_BACKUP_TRANSFERS ?? 2_000);
const BATCHES = 4;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const cli = (args: string[], url: string): Promise<Run> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const { DATABASE_URL: _unused, ...env } = process.env;
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...env, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATABASE_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      resolve({ code, stdout, stderr, ms: Math.round(performance.now() - started) }),
    );
  });

async function emptyDatabase(): Promise<{ name: string; url: string }> {
  const adminUrl = process.env[TEST_ENV.adminUrl] as string;
  const name = `zc_test_${process.env[TEST_ENV.runId] ?? 'x'}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0`);
  } finally {
    await admin.end();
  }
  return { name, url: databaseUrl(adminUrl, name) };
}

async function rows<R>(url: string, sql: string): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as R[];
  } finally {
    await c.end();
  }
}

const LEDGER_STATE = {
  blocks: `SELECT height::text, from_tx_id::text, to_tx_id::text, transfer_count, merkle_root, prev_hash, hash
           FROM ledger_blocks ORDER BY height`,
  accounts: `SELECT code, debits_posted::text, credits_posted::text, debits_pending::text, credits_pending::text
             FROM ledger_accounts ORDER BY code`,
  transfers: `SELECT count(*)::int AS n, sum(amount)::text AS total, max(seq)::text AS seq FROM ledger_transfers`,
};

/**
 * pg_dump and pg_restore come with the PostgreSQL client tools, not with the embedded server: on a
 * machine with neither, `npm test` says so loudly and skips this file; `npm run test:reliability`
 * (ZC_REQUIRE_PG_TOOLS=1) fails instead.
 */
const tools = (() => {
  try {
    return { dump: pgTool('pg_dump', process.env.PG_BIN_DIR), missing: undefined };
  } catch (error) {
    if (process.env.ZC_REQUIRE_PG_TOOLS === '1') throw error;
    process.stderr.write(`\n[backup-restore] SKIPPED: ${(error as Error).message}\n`);
    return { dump: undefined, missing: error as Error };
  }
})();
const describeWithTools = tools.missing ? describe.skip : describe;

/**
 * Issue 19, backups and restores: `backup --out DIR` (pg_dump custom format + the ledger export +
 * a manifest) and `restore --from DIR` into a fresh database, then `ledger:verify` and the offline
 * verifier on the restored copy: both clean, and its seals are the originals.
 */
describeWithTools('backup, restore into a fresh database, verify (issue 19, INV-11)', () => {
  let t: TestApp;
  let dir: string;
  let restored: { name: string; url: string };
  let manifest: BackupManifest;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    t = await startTestApp();
    dir = mkdtempSync(path.join(os.tmpdir(), 'zc-backup-'));
    const ledger = t.app.get(LedgerService);
    const escrow = AccountCodes.campaignEscrow('backup-test');
    await ledger.openAccount(escrow, 'LIABILITY');
    const wallets: string[] = [];
    for (let i = 0; i < 4; i++) wallets.push(await fundedAccount(t, `backup-${i}`, '1000.00'));
    const holds: string[] = [];
    for (const [i, wallet] of wallets.entries()) {
      const hold = await ledger.hold({
        idempotencyKey: `backup-hold-${i}`,
        kind: 'PLEDGE',
        debitAccount: wallet,
        creditAccount: escrow,
        amount: cny(`${20 + i}.50`),
      });
      holds.push(hold.id);
    }
    await ledger.postMany(holds.slice(0, 2));
    await ledger.void({ idempotencyKey: 'backup-void', pendingId: holds[2] });
    // In several transactions, each sealed before the next: a chain of blocks, not one.
    const sql = await t.db.client();
    for (let batch = 0; batch < BATCHES; batch++) {
      await sql.query(
        `INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, reference, created_at)
         SELECT gen_random_uuid(), 'DEPOSIT', 'POSTED', (SELECT id FROM ledger_accounts WHERE code = 'custody:cash'),
           (SELECT id FROM ledger_accounts WHERE code = $1), 1 + g / 100.0, 'CNY', 'bulk-' || g, now()
         FROM generate_series(1, $2::int) g`,
        [wallets[batch % wallets.length], Math.ceil(BULK / BATCHES)],
      );
      await sealEverything(t, 120_000);
    }
    restored = await emptyDatabase();
  }, 600_000);

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('backup writes the dump, the ledger export and a manifest naming the last seal', async () => {
    const run = await cli(['backup', '--out', dir], t.db.url);
    timings.backupMs = run.ms;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    manifest = JSON.parse(run.stdout) as BackupManifest;
    const [last] = await rows<{ height: string; hash: string }>(
      t.db.url,
      `SELECT height::text, hash FROM ledger_blocks ORDER BY height DESC LIMIT 1`,
    );
    expect(manifest.lastSeal).toEqual(last);
    expect(manifest.blocks).toBeGreaterThanOrEqual(BATCHES);
    expect(manifest.files.map((f) => f.name)).toEqual(['database.dump', 'ledger.jsonl']);
    expect(JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'))).toEqual(manifest);
  });

  it('restore refuses a backup whose dump does not match its manifest, and a database in use', async () => {
    const tampered = mkdtempSync(path.join(os.tmpdir(), 'zc-backup-bad-'));
    try {
      cpSync(dir, tampered, { recursive: true });
      const dump = path.join(tampered, 'database.dump');
      const bytes = readFileSync(dump);
      bytes[bytes.length - 10] ^= 0xff;
      writeFileSync(dump, bytes);
      const bad = await cli(['restore', '--from', tampered], restored.url);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('database.dump does not match its SHA-256');
    } finally {
      rmSync(tampered, { recursive: true, force: true });
    }
    const inUse = await cli(['restore', '--from', dir], t.db.url);
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toContain('not empty');
  });

  it('restore into a fresh database: the seals, the accounts and the transfers are the originals', async () => {
    const run = await cli(['restore', '--from', dir], restored.url);
    timings.restoreMs = run.ms;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as RestoreReport;
    expect(report).toMatchObject({ sealsMatch: true, xidAhead: true, lastSeal: manifest.lastSeal });
    for (const sql of Object.values(LEDGER_STATE)) {
      expect(await rows(restored.url, sql)).toEqual(await rows(t.db.url, sql));
    }
  });

  it('ledger:verify on the restored copy is clean', async () => {
    const run = await cli(['ledger:verify'], restored.url);
    timings.verifyMs = run.ms;
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true });
  });

  it('the offline verifier is clean on the backup export and on an export of the restored copy', async () => {
    const again = path.join(dir, 'restored-ledger.jsonl');
    expect((await cli(['ledger:export', '--out', again], restored.url)).code).toBe(0);
    for (const file of [path.join(dir, 'ledger.jsonl'), again]) {
      const run = await cli(['ledger:verify-export', file], 'postgres://nobody@127.0.0.1:1/none');
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout) as OfflineReport;
      expect(report.ok).toBe(true);
    }
    const blocks = (f: string) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => l.includes('"type":"block"'));
    expect(blocks(again)).toEqual(blocks(path.join(dir, 'ledger.jsonl')));
  });

  it('the restored copy keeps least privilege: the application role connects, and may not rewrite it', async () => {
    const app = new pg.Client({ connectionString: appRoleUrl(restored.url, DEV_APP_PASSWORD) });
    await app.connect();
    try {
      const me = await app.query<{ u: string }>(`SELECT current_user AS u`);
      expect(me.rows).toEqual([{ u: 'zhongchou_app' }]);
      await expect(
        app.query(`UPDATE ledger_transfers SET amount = amount + 1`),
      ).rejects.toMatchObject({
        code: '42501',
      });
    } finally {
      await app.end();
    }
    process.stderr.write(
      `[backup-restore] ${manifest.transfers} transfers, ${manifest.blocks} blocks, dump ${manifest.files[0].bytes} B: ` +
        `backup ${timings.backupMs} ms, restore ${timings.restoreMs} ms, verify ${timings.verifyMs} ms\n`,
    );
  });
});
