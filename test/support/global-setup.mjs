// Jest's globalSetup cannot load TypeScript that imports other TypeScript by `.js` specifiers, so
// this file is plain JavaScript and uses the compiled sources in dist/ (`npm test` builds them first).
import 'reflect-metadata';
import { runMigrations } from '../../dist/src/database/data-source.js';
import { freshDatabase, scratchServer } from '../../dist/src/database/scratch-server.js';

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
  await runMigrations(await freshDatabase(server.adminUrl, template));
  process.env.ZC_TEST_ADMIN_URL = server.adminUrl;
  process.env.ZC_TEST_TEMPLATE_DB = template;
  process.env.ZC_TEST_RUN_ID = String(process.pid);
}
