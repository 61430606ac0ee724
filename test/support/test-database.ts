import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { appRoleUrl, DEV_APP_PASSWORD } from '../../src/database/roles.js';
import { databaseUrl, TEST_ENV } from './test-env.js';

export interface TestDatabase {
  /** The server's superuser on this database (tests that go around the application use it). */
  url: string;
  /** The same database as the application role `zhongchou_app`: what the app under test uses. */
  appUrl: string;
  name: string;
  /** One shared superuser client on this database, for tests that go around the application. */
  client(): Promise<pg.Client>;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env[TEST_ENV.adminUrl];
  const template = process.env[TEST_ENV.template];
  if (!adminUrl || !template)
    throw new Error('test database environment missing: run through jest globalSetup');
  // The run id (jest's pid) ties leftovers to this run, for the global teardown.
  const name = `zc_test_${process.env[TEST_ENV.runId] ?? 'x'}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(adminUrl, name);
  let shared: Promise<pg.Client> | undefined;
  return {
    url,
    appUrl: appRoleUrl(url, DEV_APP_PASSWORD),
    name,
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
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}
