import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres.js';

/**
 * A Postgres server for throwaway databases (tests, benchmarks): DATABASE_URL's server if set,
 * else the machine's on 127.0.0.1:5432 if it answers, else an embedded one.
 */
export interface ScratchServer {
  adminUrl: string;
  origin: 'DATABASE_URL' | 'machine' | 'embedded';
  stop(): Promise<void>;
}

const MACHINE_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function scratchServer(options: {
  databaseUrl?: string;
  embeddedDir: string;
  embeddedPort: number;
  /** Extra settings for an embedded server, e.g. fsync=off for throwaway test clusters. */
  postgresFlags?: string[];
  log?: (m: string) => void;
}): Promise<ScratchServer> {
  const none = async (): Promise<void> => undefined;
  if (options.databaseUrl) {
    return {
      adminUrl: withDatabase(options.databaseUrl, 'postgres'),
      origin: 'DATABASE_URL',
      stop: none,
    };
  }
  if (await reachable(MACHINE_POSTGRES))
    return { adminUrl: MACHINE_POSTGRES, origin: 'machine', stop: none };
  const embedded = await startEmbeddedPostgres({
    dataDir: options.embeddedDir,
    port: options.embeddedPort,
    database: 'postgres',
    fallbackWhenUntraversable: true, // throwaway clusters: any traversable place will do
    postgresFlags: ['-c', 'max_connections=300', ...(options.postgresFlags ?? [])],
    log: options.log,
  });
  return { adminUrl: embedded.adminUrl, origin: 'embedded', stop: () => embedded.stop() };
}

/** Drops (if present) and creates a database; returns its URL. */
export async function freshDatabase(
  adminUrl: string,
  name: string,
  template?: string,
): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.query(
      `CREATE DATABASE ${pg.escapeIdentifier(name)}${template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : ''}`,
    );
  } finally {
    await admin.end();
  }
  return withDatabase(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/**
 * `CREATE DATABASE target TEMPLATE source` after ending every connection to `source` (waiting for
 * each to go). A pool or a LISTEN connection may connect again in between (the service's listener
 * does after a second): Postgres then refuses the copy (55006) and it is tried again.
 */
export async function cloneDatabase(
  adminUrl: string,
  source: string,
  target: string,
  log: (m: string) => void,
): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(
        `SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [source],
      );
      return await freshDatabase(adminUrl, target, source);
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 5) throw error;
      log(`copying ${source}: still in use (${(error as Error).message}); trying again`);
    } finally {
      await admin.end();
    }
  }
}
