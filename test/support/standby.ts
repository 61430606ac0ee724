import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { runMigrations } from '../../src/database/data-source.js';
import { appRoleUrl, DEV_APP_PASSWORD } from '../../src/database/roles.js';
import { freePort } from './free-port.js';
import type { TestDatabase } from './test-database.js';

const run = promisify(execFile);

/**
 * A real primary and a real streaming standby on this machine (issue 19): `initdb` a primary,
 * `pg_basebackup -R` (which writes standby.signal and primary_conninfo) a copy of it, start the
 * copy as a hot standby. Both use the same PostgreSQL binaries: PG_BIN_DIR, else the folder of
 * `pg_basebackup` on PATH or in /usr/lib/postgresql/N/bin. As root, the servers run as the OS user
 * `postgres`, as the embedded server does.
 */
export interface PrimaryAndStandby {
  /** The primary's database, migrated; `url` is its superuser, `appUrl` the application role. */
  primary: TestDatabase;
  /** The standby's same database, as the application role and as the superuser. */
  standbyAppUrl: string;
  standbyUrl: string;
  binDir: string;
  /** Milliseconds the set-up took (initdb, migrations, base backup, standby start). */
  setupMs: number;
  stop(): Promise<void>;
}

export function postgresBinDir(): string | undefined {
  const dirs: string[] = [];
  if (process.env.PG_BIN_DIR) dirs.push(process.env.PG_BIN_DIR);
  const lib = '/usr/lib/postgresql';
  if (existsSync(lib)) {
    for (const v of readdirSync(lib).sort((a, b) => Number(b) - Number(a))) {
      dirs.push(path.join(lib, v, 'bin'));
    }
  }
  for (const d of (process.env.PATH ?? '').split(path.delimiter)) if (d) dirs.push(d);
  return dirs.find((d) =>
    ['initdb', 'pg_ctl', 'postgres', 'pg_basebackup'].every((b) => existsSync(path.join(d, b))),
  );
}

const asRoot = process.getuid?.() === 0;

async function as(binDir: string, tool: string, args: string[]): Promise<string> {
  const bin = path.join(binDir, tool);
  const { stdout } = asRoot
    ? await run('runuser', ['-u', 'postgres', '--', bin, ...args], { cwd: '/' })
    : await run(bin, args);
  return stdout;
}

async function waitFor(url: string, check: (c: pg.Client) => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await c.connect();
      if (await check(c)) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    } finally {
      await c.end().catch(() => undefined);
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${url}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startPrimaryAndStandby(binDir: string): Promise<PrimaryAndStandby> {
  const started = performance.now();
  const root = path.join('/var/tmp', `zc-replica-${process.pid}-${Date.now()}`);
  const primaryDir = path.join(root, 'primary');
  const standbyDir = path.join(root, 'standby');
  mkdirSync(root, { recursive: true, mode: 0o755 });
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(root, Number(stdout.trim()), Number(gid.trim()));
  }
  // Ports from the OS: a random pick inside the ephemeral range can be held by an outgoing connection.
  const port = await freePort();
  const standbyPort = await freePort();
  const flags = (p: number, dir: string) =>
    `-p ${p} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off ` +
    `-c wal_level=replica -c max_wal_senders=5 -c hot_standby=on -c max_connections=60`;
  const stops: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await as(binDir, 'initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
    await as(binDir, 'pg_ctl', [
      '-D',
      primaryDir,
      '-w',
      '-l',
      `${root}/primary.log`,
      '-o',
      flags(port, primaryDir),
      'start',
    ]);
    stops.push(() =>
      as(binDir, 'pg_ctl', ['-D', primaryDir, '-m', 'immediate', 'stop']).then(() => undefined),
    );
    const server = `postgres://postgres@127.0.0.1:${port}`;
    const admin = new pg.Client({ connectionString: `${server}/postgres` });
    await admin.connect();
    await admin.query('CREATE DATABASE zhongchou');
    await admin.end();
    const url = `${server}/zhongchou`;
    await runMigrations(url);

    await as(binDir, 'pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      'postgres',
      '-D',
      standbyDir,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
    ]);
    if (!existsSync(path.join(standbyDir, 'standby.signal'))) {
      throw new Error('pg_basebackup -R wrote no standby.signal');
    }
    await as(binDir, 'pg_ctl', [
      '-D',
      standbyDir,
      '-w',
      '-l',
      `${root}/standby.log`,
      '-o',
      flags(standbyPort, standbyDir),
      'start',
    ]);
    stops.push(() =>
      as(binDir, 'pg_ctl', ['-D', standbyDir, '-m', 'immediate', 'stop']).then(() => undefined),
    );
    const standbyUrl = `postgres://postgres@127.0.0.1:${standbyPort}/zhongchou`;
    await waitFor(
      standbyUrl,
      async (c) => (await c.query('SELECT pg_is_in_recovery() AS r')).rows[0].r === true,
    );

    let shared: Promise<pg.Client> | undefined;
    const primary: TestDatabase = {
      url,
      appUrl: appRoleUrl(url, DEV_APP_PASSWORD),
      name: 'zhongchou',
      client() {
        shared ??= (async () => {
          const c = new pg.Client({ connectionString: url });
          await c.connect();
          return c;
        })();
        return shared;
      },
      async drop() {
        if (shared) await (await shared).end().catch(() => undefined);
      },
    };
    return {
      primary,
      standbyUrl,
      standbyAppUrl: appRoleUrl(standbyUrl, DEV_APP_PASSWORD),
      binDir,
      setupMs: Math.round(performance.now() - started),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
