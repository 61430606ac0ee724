import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { ensureRoles } from './roles.js';

/**
 * `npm run cli -- backup --out DIR` and `restore --from DIR` (issue 19). A backup directory holds:
 *   database.dump   pg_dump's custom format (the whole database: schema, grants, data)
 *   ledger.jsonl    the ledger export (`ledger:export`), which `ledger:verify-export` checks offline
 *   manifest.json   what was taken when, each file's SHA-256, and the last seal at backup time
 * A restore checks the manifest first, goes only into an empty database, and reports whether the
 * restored seals match the ones recorded.
 */
export const DUMP_FILE = 'database.dump';
export const LEDGER_FILE = 'ledger.jsonl';
export const MANIFEST_FILE = 'manifest.json';

export interface Seal {
  height: string;
  hash: string;
}

export interface BackupManifest {
  format: 'zhongchou-backup';
  version: 1;
  createdAt: string;
  database: string;
  pgDump: string;
  files: { name: string; bytes: number; sha256: string }[];
  /** The newest sealed block in the dump (INV-11): a restore must show the same. */
  lastSeal: Seal | null;
  blocks: number;
  transfers: number;
}

export class BackupError extends Error {}

/** A PostgreSQL client program: PG_BIN_DIR, else PATH, else the newest /usr/lib/postgresql/N/bin. */
export function pgTool(name: 'pg_dump' | 'pg_restore', binDir?: string): string {
  const candidates: string[] = [];
  if (binDir) candidates.push(path.join(binDir, name));
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir) candidates.push(path.join(dir, name));
  }
  const lib = '/usr/lib/postgresql';
  if (existsSync(lib)) {
    const versions = readdirSync(lib)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(path.join(lib, v, 'bin', name));
  }
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new BackupError(
      `${name} not found: install the PostgreSQL client tools (the server's major version or newer) ` +
        `or set PG_BIN_DIR to the folder that holds them`,
    );
  }
  return found;
}

/** Runs a client program with the password in PGPASSWORD, never on its command line. */
async function run(tool: string, args: string[], url: string): Promise<string> {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  const connection = parsed.toString();
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [...args, `--dbname=${connection}`], {
      env: { ...process.env, PGPASSWORD: password },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(out)
        : reject(new BackupError(`${path.basename(tool)} failed (exit ${code}): ${err.trim()}`)),
    );
  });
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'zhongchou-backup' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

type Figures = { lastSeal: Seal | null; blocks: number; transfers: number };

export function ledgerFigures(url: string): Promise<Figures> {
  return withClient(url, figuresOn);
}

async function figuresOn(c: pg.Client): Promise<Figures> {
  {
    const rows = await c.query<{
      height: string | null;
      hash: string | null;
      blocks: number;
      transfers: number;
    }>(
      `SELECT b.height::text AS height, b.hash, (SELECT count(*)::int FROM ledger_blocks) AS blocks,
              (SELECT count(*)::int FROM ledger_transfers) AS transfers
       FROM (SELECT 1) one LEFT JOIN (SELECT height, hash FROM ledger_blocks ORDER BY height DESC LIMIT 1) b ON true`,
    );
    const r = rows.rows[0];
    return {
      lastSeal: r.height && r.hash ? { height: r.height, hash: r.hash } : null,
      blocks: r.blocks,
      transfers: r.transfers,
    };
  }
}

/**
 * Dumps the database (privileged `adminUrl`, so grants and owners come along) and writes the
 * ledger export through `exportLedger`, then the manifest. `out` must be new or empty.
 */
export async function backup(options: {
  out: string;
  adminUrl: string;
  binDir?: string;
  exportLedger: (file: string) => Promise<void>;
}): Promise<BackupManifest> {
  const { out, adminUrl } = options;
  await mkdir(out, { recursive: true });
  if (readdirSync(out).length > 0) throw new BackupError(`${out} is not empty`);
  const pgDump = pgTool('pg_dump', options.binDir);
  const version = (await run(pgDump, ['--version'], adminUrl).catch(() => '')).trim();
  const dumpFile = path.join(out, DUMP_FILE);
  // The manifest's figures come from the very snapshot pg_dump reads (an exported snapshot).
  const figuresBefore = await withClient(adminUrl, async (c) => {
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const [{ snapshot }] = (
      await c.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot')
    ).rows;
    const figures = await figuresOn(c);
    await run(
      pgDump,
      ['--format=custom', '--compress=6', `--snapshot=${snapshot}`, `--file=${dumpFile}`],
      adminUrl,
    );
    await c.query('COMMIT');
    return figures;
  });
  await options.exportLedger(path.join(out, LEDGER_FILE));
  const files = [];
  for (const name of [DUMP_FILE, LEDGER_FILE]) {
    const file = path.join(out, name);
    files.push({ name, bytes: (await stat(file)).size, sha256: await sha256(file) });
  }
  const manifest: BackupManifest = {
    format: 'zhongchou-backup',
    version: 1,
    createdAt: new Date().toISOString(),
    database: decodeURIComponent(new URL(adminUrl).pathname.slice(1)),
    pgDump: version,
    files,
    ...figuresBefore,
  };
  await writeFile(path.join(out, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export async function readManifest(dir: string): Promise<BackupManifest> {
  const manifest = JSON.parse(
    await readFile(path.join(dir, MANIFEST_FILE), 'utf8'),
  ) as BackupManifest;
  if (manifest.format !== 'zhongchou-backup' || manifest.version !== 1) {
    throw new BackupError(`${dir} holds no zhongchou backup manifest`);
  }
  for (const f of manifest.files) {
    const actual = await sha256(path.join(dir, f.name));
    if (actual !== f.sha256)
      throw new BackupError(`${f.name} does not match its SHA-256 in the manifest`);
  }
  return manifest;
}

export interface RestoreReport {
  restored: string;
  lastSeal: Seal | null;
  sealsMatch: boolean;
  blocks: number;
  transfers: number;
  /**
   * False when the target cluster's transaction ids are below the restored transfers' (a restore
   * into a younger cluster): new transfers would sort before sealed ones. See docs/operations.md.
   */
  xidAhead: boolean;
}

/**
 * Restores `dir` into the empty database at `targetUrl` (privileged): checks the manifest, makes
 * sure of the two roles, runs pg_restore in one transaction, and compares the seals.
 */
export async function restore(options: {
  dir: string;
  targetUrl: string;
  binDir?: string;
}): Promise<RestoreReport> {
  const manifest = await readManifest(options.dir);
  const pgRestore = pgTool('pg_restore', options.binDir);
  await withClient(options.targetUrl, async (c) => {
    const used = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public'`,
    );
    if (used.rows[0].n > 0) {
      throw new BackupError('the target database is not empty: restore into a new database');
    }
    await ensureRoles(c);
  });
  await run(
    pgRestore,
    ['--exit-on-error', '--single-transaction', path.join(options.dir, DUMP_FILE)],
    options.targetUrl,
  );
  const figures = await ledgerFigures(options.targetUrl);
  const xidAhead = await withClient(options.targetUrl, async (c) => {
    const r = await c.query<{ ahead: boolean }>(
      `SELECT coalesce((SELECT max(tx_id) FROM ledger_transfers) < pg_current_xact_id(), true) AS ahead`,
    );
    return r.rows[0].ahead;
  });
  return {
    restored: decodeURIComponent(new URL(options.targetUrl).pathname.slice(1)),
    ...figures,
    sealsMatch:
      figures.blocks === manifest.blocks &&
      JSON.stringify(figures.lastSeal) === JSON.stringify(manifest.lastSeal),
    xidAhead,
  };
}
