import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { PLATFORM_DISCLOSURE_V1_SEED } from '../migrations/seed/platform-disclosure-v1.js';
import { QUESTIONNAIRE_CN_V1_SEED } from '../migrations/seed/questionnaire-cn-v1.js';
import { dataSourceOptions } from '../src/database/data-source.js';
import { QUESTIONNAIRE_CN_V1 } from '../src/modules/investor-classification/questionnaire-cn-v1.js';
import { PLATFORM_DISCLOSURE_V1 } from '../src/modules/risk-disclosure/platform-disclosure-v1.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * Constraints the migrations declare that TypeORM cannot see (their other end has no entity: the
 * ledger keeps none), so its schema builder would drop them. Each one is named here on purpose.
 */
const KNOWN_TO_MIGRATIONS_ONLY = [
  'ALTER TABLE "pledges" DROP CONSTRAINT "pledges_hold_transfer_id_fkey"', // issue 19
];

const drift = (queries: { query: string }[]): string[] =>
  queries.map((q) => q.query).filter((q) => !KNOWN_TO_MIGRATIONS_ONLY.includes(q));

describe('entities and migrations agree (STYLE §8)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase(); // cloned from the template the migrations built
    dataSource = await new DataSource(dataSourceOptions(db.url, 2)).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('TypeORM would change nothing in the migrated schema', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(drift(pending.upQueries)).toEqual([]);
  });

  it('the one foreign key TypeORM cannot see is there (pledges.hold_transfer_id -> ledger_transfers)', async () => {
    const rows: { def: string }[] = await dataSource.query(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'pledges_hold_transfer_id_fkey'`,
    );
    expect(rows.map((r) => r.def)).toEqual([
      'FOREIGN KEY (hold_transfer_id) REFERENCES ledger_transfers(id) ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED',
    ]);
  });

  it('every migration is applied and reverts cleanly, then re-applies', async () => {
    expect(await dataSource.showMigrations()).toBe(false);
    for (let i = 0; i < dataSource.migrations.length; i++) await dataSource.undoLastMigration();
    const tables = await dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`,
    );
    expect(tables).toEqual([]);
    await dataSource.runMigrations();
    expect(await dataSource.showMigrations()).toBe(false);
    expect(drift((await dataSource.driver.createSchemaBuilder().log()).upQueries)).toEqual([]);
  });
});

describe('migrations import no application code (issue 19)', () => {
  it('no file under migrations/ imports from src/', () => {
    const dir = path.resolve('migrations');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts'),
    );
    expect(files.length).toBeGreaterThan(20);
    const offending = files.filter((f) =>
      /from\s+'(\.\.\/)+src\//.test(readFileSync(path.join(dir, f), 'utf8')),
    );
    expect(offending).toEqual([]);
  });

  it('the frozen seeds are what the application serves', () => {
    expect(QUESTIONNAIRE_CN_V1_SEED).toEqual(JSON.parse(JSON.stringify(QUESTIONNAIRE_CN_V1)));
    expect(PLATFORM_DISCLOSURE_V1_SEED).toEqual(JSON.parse(JSON.stringify(PLATFORM_DISCLOSURE_V1)));
  });
});
