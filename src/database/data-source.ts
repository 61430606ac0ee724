import pg from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { ENTITIES } from './entities.js';
import { AS_OWNER, ensureRoles } from './roles.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

/** DATABASE_POOL_IDLE_MS's default: a connection idle this long is closed (pg-pool's own: 10 s). */
export const POOL_IDLE_MS = 60_000;

export function dataSourceOptions(
  url: string,
  poolSize = 10,
  extra: Record<string, unknown> = {},
  poolIdleMs = POOL_IDLE_MS,
): PostgresDataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    extra: {
      max: poolSize,
      idleTimeoutMillis: poolIdleMs,
      application_name: 'zhongchou',
      ...extra,
    },
  };
}

/** Advisory-lock key so that app instances starting together migrate one at a time. */
const MIGRATION_LOCK = 72_616_161;

/**
 * Runs pending migrations (each in its own transaction) under an advisory lock, as the migration
 * owner: `url` is a privileged connection (a superuser, or a role that may create roles and is a
 * member of zhongchou_owner). First the two roles are made sure of (src/database/roles.ts), then the
 * migrations run with `role=zhongchou_owner`, then the application role's privileges are recomputed
 * (`zc_apply_privileges()`), so a table any migration added is covered.
 */
export async function runMigrations(
  url: string,
  log: (m: string) => void = () => undefined,
): Promise<string[]> {
  const lock = new pg.Client({ connectionString: url, application_name: 'zhongchou-migrate' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await ensureRoles(lock);
      const dataSource = new DataSource(dataSourceOptions(url, 2, { options: AS_OWNER }));
      await dataSource.initialize();
      try {
        const applied = await dataSource.runMigrations({ transaction: 'each' });
        for (const m of applied) log(`applied migration ${m.name}`);
        await dataSource.query('SELECT zc_apply_privileges()');
        return applied.map((m) => m.name);
      } finally {
        await dataSource.destroy();
      }
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await lock.end();
  }
}
