// Jest's globalSetup cannot load TypeScript that imports other TypeScript by `.js` specifiers, so
// this file is plain JavaScript and uses the compiled sources in dist/ (`npm test` builds them first).
import 'reflect-metadata';
import { runMigrations } from '../../dist/src/database/data-source.js';
import { freshDatabase, scratchServer } from '../../dist/src/database/scratch-server.js';
import pg from 'pg';
import { appRoleUrl, DEV_APP_PASSWORD, ensureAppPassword } from '../../dist/src/database/roles.js';

/**
 * Chooses the Postgres for the whole run (DATABASE_URL, else the machine's on 5432, else an
 * embedded one in .data/pg-test), migrates a template database once, and lets each test file
 * clone it.
 */
export default async function globalSetup() {
  const server = await scratchServer({
    databaseUrl: process.env.DATABASE_URL,
    embeddedDir: '.data/pg-test',
    embeddedPort: Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54330),
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off'],
  });
  process.stderr.write(`\n[tests] Postgres: ${server.origin}\n`);
  globalThis.__scratchServer = server;
  const template = `zc_template_${process.pid}`;
  const templateUrl = await freshDatabase(server.adminUrl, template);
  // Migrations create the two roles (issue 19); the apps under test connect as zhongchou_app.
  await runMigrations(templateUrl);
  const admin = new pg.Client({ connectionString: templateUrl });
  await admin.connect();
  try {
    await ensureAppPassword(admin, appRoleUrl(templateUrl, DEV_APP_PASSWORD), DEV_APP_PASSWORD);
  } finally {
    await admin.end();
  }
  process.env.ZC_TEST_ADMIN_URL = server.adminUrl;
  process.env.ZC_TEST_TEMPLATE_DB = template;
  process.env.ZC_TEST_RUN_ID = String(process.pid);
}
