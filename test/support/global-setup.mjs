// Jest's globalSetup cannot load TypeScript that imports other TypeScript by `.js` specifiers, so
// this file is plain JavaScript and uses the compiled sources in dist/ (`npm test` builds them first).
import 'reflect-metadata';
import pg from 'pg';
import { runMigrations } from '../../dist/src/database/data-source.js';
import { startEmbeddedPostgres } from '../../dist/src/database/embedded-postgres.js';

const MACHINE_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(url) {
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

function withDatabase(serverUrl, database) {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Chooses the Postgres for the whole run (DATABASE_URL, else the machine's on 5432, else an
 * embedded one), migrates a template database once, and lets each test file clone it.
 */
export default async function globalSetup() {
  let adminUrl;
  if (process.env.DATABASE_URL) {
    adminUrl = withDatabase(process.env.DATABASE_URL, 'postgres');
    process.stderr.write(`\n[tests] using DATABASE_URL's server\n`);
  } else if (await reachable(MACHINE_POSTGRES)) {
    adminUrl = MACHINE_POSTGRES;
    process.stderr.write(`\n[tests] using the machine's Postgres on 127.0.0.1:5432\n`);
  } else {
    process.stderr.write(
      `\n[tests] no Postgres reachable: starting an embedded one in .data/pg-test\n`,
    );
    const embedded = await startEmbeddedPostgres({
      dataDir: '.data/pg-test',
      port: Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54330),
      database: 'postgres',
      postgresFlags: [
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'max_connections=300',
      ],
    });
    globalThis.__embeddedPostgres = embedded;
    adminUrl = embedded.adminUrl;
  }
  const template = `zc_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  await runMigrations(withDatabase(adminUrl, template));
  process.env.ZC_TEST_ADMIN_URL = adminUrl;
  process.env.ZC_TEST_TEMPLATE_DB = template;
  process.env.ZC_TEST_RUN_ID = String(process.pid);
}
