import pg from 'pg';
import type { AppConfig } from '../config/app-config.js';
import { runMigrations } from './data-source.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { APP_ROLE, appRoleUrl, ensureAppPassword, urlUser } from './roles.js';

export interface ReadyDatabase {
  /** What the service connects as: always the application role (issue 19). */
  url: string;
  /** The privileged connection the migrations ran on (backups and restores use it too). */
  adminUrl: string;
  /** DATABASE_REPLICA_URL as the application role, when set. */
  replicaUrl?: string;
  /** Stops the embedded server if this process started it; a no-op otherwise. */
  stop(): Promise<void>;
}

/**
 * The database for `npm start` and the CLI: DATABASE_URL when set, else the embedded server in
 * EMBEDDED_PG_DIR (started, or reused when another local process runs it). Migrated before use,
 * on DATABASE_MIGRATION_URL (default DATABASE_URL; the embedded server's superuser). The service
 * itself then connects as `zhongchou_app`: DATABASE_URL as given when it names that role,
 * otherwise the same server and database with the application role and DATABASE_APP_PASSWORD.
 */
export async function prepareDatabase(
  config: AppConfig,
  log: (m: string) => void,
  options: { migrate?: boolean } = {},
): Promise<ReadyDatabase> {
  let url = config.database.url;
  let stop = async (): Promise<void> => undefined;
  if (url === undefined) {
    log(`DATABASE_URL is not set: using embedded Postgres in ${config.database.embeddedDir}`);
    const embedded = await startEmbeddedPostgres({
      dataDir: config.database.embeddedDir,
      port: config.database.embeddedPort,
      database: 'zhongchou',
      fallbackWhenUntraversable: !config.database.embeddedDirExplicit,
      log,
    });
    url = embedded.url;
    stop = () => embedded.stop();
  }
  const adminUrl = config.database.migrationUrl ?? url;
  try {
    const { appPassword } = config.database;
    const asApp = (u: string): string => (urlUser(u) === APP_ROLE ? u : appRoleUrl(u, appPassword));
    const appUrl = asApp(url);
    if (options.migrate === false) {
      // `restore`: the target must stay empty until pg_restore has run.
    } else if (urlUser(adminUrl) !== APP_ROLE) {
      await runMigrations(adminUrl, log);
      if (urlUser(url) !== APP_ROLE)
        await withClient(adminUrl, (c) => ensureAppPassword(c, appUrl, appPassword));
    } else {
      log(
        `DATABASE_URL connects as ${APP_ROLE}, which cannot migrate: skipping migrations (set DATABASE_MIGRATION_URL to run them)`,
      );
    }
    const replica = config.database.replicaUrl;
    return { url: appUrl, adminUrl, replicaUrl: replica ? asApp(replica) : undefined, stop };
  } catch (error) {
    await stop(); // leave no orphaned server behind
    throw error;
  }
}

async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
