import type { AppConfig } from '../config/app-config.js';
import { runMigrations } from './data-source.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

export interface ReadyDatabase {
  url: string;
  /** Stops the embedded server if this process started it; a no-op otherwise. */
  stop(): Promise<void>;
}

/**
 * The database for `npm start` and the CLI: DATABASE_URL when set, else the embedded server in
 * EMBEDDED_PG_DIR (started, or reused when another local process runs it). Migrated before use.
 */
export async function prepareDatabase(
  config: AppConfig,
  log: (m: string) => void,
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
  try {
    await runMigrations(url, log);
  } catch (error) {
    await stop(); // leave no orphaned server behind
    throw error;
  }
  return { url, stop };
}
