import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { APP_ROLE, OWNER_ROLE } from '../src/database/roles.js';
import { ServiceProcess } from './reliability/service-process.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { startTestApp } from './support/test-app.js';

/**
 * Issue 19, least privilege: the service connects as `zhongchou_app`, and a leaked application
 * credential (or an SQL injection, or a bug) cannot rewrite history. Every attempt below runs on a
 * real connection as the application role and must be refused by Postgres itself (SQLSTATE 42501
 * insufficient_privilege), not by the application.
 */
const CORE_APPEND_ONLY = [
  'ledger_accounts',
  'ledger_transfers',
  'ledger_blocks',
  'custody_notifications',
  'audit_events',
  'disclosure_acknowledgements',
  // CONV-05: a pledge's admission evidence is never changed (issue 18 gave it a table of its own)
  'pledge_evidence',
];

async function refused(client: pg.Client, sql: string): Promise<string> {
  await client.query('SAVEPOINT attempt');
  try {
    await client.query(sql);
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT attempt');
    return (error as { code?: string }).code ?? 'no code';
  }
  await client.query('ROLLBACK TO SAVEPOINT attempt');
  return `ACCEPTED: ${sql}`;
}

describe('the application role cannot alter history (issue 19, INV-2)', () => {
  let db: TestDatabase;
  let app: pg.Client;
  let superuser: pg.Client;
  let appendOnly: string[];
  const asset = randomUUID();
  const liability = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase();
    superuser = await db.client();
    app = new pg.Client({ connectionString: db.appUrl });
    await app.connect();
    // The legitimate path still works as the application role: accounts and a transfer are
    // INSERTed, and the counters move inside the SECURITY DEFINER trigger function.
    const now = new Date();
    await app.query(
      `INSERT INTO ledger_accounts (id, code, kind, currency, created_at)
       VALUES ($1, $2, 'ASSET', 'CNY', $5), ($3, $4, 'LIABILITY', 'CNY', $5)`,
      [asset, `test:${asset}`, liability, `test:${liability}`, now],
    );
    await app.query(
      `INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, created_at)
       VALUES ($1, 'DEPOSIT', 'POSTED', $2, $3, 100.00, 'CNY', $4)`,
      [randomUUID(), asset, liability, now],
    );
    const rows = await superuser.query<{ table_name: string }>(
      `SELECT table_name FROM zc_append_only_tables
       UNION SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
       WHERE t.tgfoid = 'reject_modification'::regproc AND (t.tgtype & 16) <> 0
       ORDER BY 1`,
    );
    appendOnly = rows.rows.map((r) => r.table_name);
    await app.query('BEGIN');
  });

  afterAll(async () => {
    await app.query('ROLLBACK').catch(() => undefined);
    await app.end();
    await db.drop();
  });

  it('connects as zhongchou_app, which has no superuser, DDL, role or replication rights', async () => {
    const me = await app.query<Record<string, unknown>>(
      `SELECT current_user AS user, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls,
              has_schema_privilege('public', 'CREATE') AS can_create,
              pg_has_role(current_user, '${OWNER_ROLE}', 'MEMBER') AS owner_member
       FROM pg_roles WHERE rolname = current_user`,
    );
    expect(me.rows[0]).toEqual({
      user: APP_ROLE,
      rolsuper: false,
      rolcreatedb: false,
      rolcreaterole: false,
      rolreplication: false,
      rolbypassrls: false,
      can_create: false,
      owner_member: false,
    });
    const counters = await app.query(
      `SELECT debits_posted::text FROM ledger_accounts WHERE id = $1`,
      [asset],
    );
    expect(counters.rows).toEqual([{ debits_posted: '100.00' }]);
  });

  it('owns nothing: every table, view, sequence and function belongs to the migration owner', async () => {
    const owners = await superuser.query<{ owner: string; n: string }>(
      `SELECT pg_get_userbyid(relowner) AS owner, count(*)::text AS n FROM pg_class c
       JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE ns.nspname = 'public' GROUP BY 1
       UNION ALL
       SELECT pg_get_userbyid(proowner), count(*)::text FROM pg_proc p
       JOIN pg_namespace ns ON ns.oid = p.pronamespace WHERE ns.nspname = 'public'
         -- a trusted extension's members (pg_trgm, issue 16) belong to the bootstrap superuser
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                           AND d.objid = p.oid AND d.deptype = 'e')
       GROUP BY 1`,
    );
    expect(new Set(owners.rows.map((r) => r.owner))).toEqual(new Set([OWNER_ROLE]));
  });

  it('has only SELECT and INSERT on every append-only table, and SELECT only on views', async () => {
    expect(appendOnly).toEqual(expect.arrayContaining(CORE_APPEND_ONLY));
    const privileges = await app.query<{ t: string; privs: string[] }>(
      `SELECT c.relname AS t,
              array_remove(ARRAY[
                CASE WHEN has_table_privilege(c.oid, 'SELECT') THEN 'SELECT' END,
                CASE WHEN has_table_privilege(c.oid, 'INSERT') THEN 'INSERT' END,
                CASE WHEN has_table_privilege(c.oid, 'UPDATE') THEN 'UPDATE' END,
                CASE WHEN has_table_privilege(c.oid, 'DELETE') THEN 'DELETE' END,
                CASE WHEN has_table_privilege(c.oid, 'TRUNCATE') THEN 'TRUNCATE' END,
                CASE WHEN has_table_privilege(c.oid, 'REFERENCES') THEN 'REFERENCES' END,
                CASE WHEN has_table_privilege(c.oid, 'TRIGGER') THEN 'TRIGGER' END], NULL) AS privs
       FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
       WHERE ns.nspname = 'public' AND c.relkind IN ('r', 'v') AND (c.relname = ANY($1) OR c.relkind = 'v')`,
      [appendOnly],
    );
    for (const row of privileges.rows) {
      const expected = appendOnly.includes(row.t) ? ['SELECT', 'INSERT'] : ['SELECT'];
      expect({ table: row.t, privs: row.privs }).toEqual({ table: row.t, privs: expected });
    }
    expect(privileges.rows.length).toBeGreaterThanOrEqual(appendOnly.length);
  });

  it('every UPDATE, DELETE and TRUNCATE of an append-only table is refused by Postgres', async () => {
    const outcomes: Record<string, string> = {};
    for (const table of appendOnly) {
      const column = await superuser.query<{ attname: string }>(
        `SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum = 1`,
        [table],
      );
      const col = pg.escapeIdentifier(column.rows[0].attname);
      const t = pg.escapeIdentifier(table);
      outcomes[`UPDATE ${table}`] = await refused(app, `UPDATE ${t} SET ${col} = ${col}`);
      outcomes[`DELETE ${table}`] = await refused(app, `DELETE FROM ${t}`);
      outcomes[`TRUNCATE ${table}`] = await refused(app, `TRUNCATE ${t}`);
      outcomes[`LOCK ${table}`] = await refused(app, `LOCK TABLE ${t} IN ACCESS EXCLUSIVE MODE`);
    }
    expect(Object.entries(outcomes).filter(([, code]) => code !== '42501')).toEqual([]);
  });

  it('every way around the triggers and grants is refused too', async () => {
    const attempts = [
      `SET session_replication_role = replica`,
      `SET LOCAL session_replication_role = replica`,
      `SELECT set_config('session_replication_role', 'replica', true)`,
      `ALTER TABLE ledger_transfers DISABLE TRIGGER ALL`,
      `ALTER TABLE ledger_transfers DISABLE TRIGGER ledger_transfers_append_only`,
      `DROP TRIGGER ledger_transfers_append_only ON ledger_transfers`,
      `DROP TRIGGER ledger_accounts_guard ON ledger_accounts`,
      `CREATE TRIGGER zc_evil BEFORE INSERT ON ledger_transfers FOR EACH ROW EXECUTE FUNCTION reject_modification()`,
      `CREATE OR REPLACE FUNCTION reject_modification() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
      `ALTER FUNCTION ledger_apply_transfers() SECURITY INVOKER`,
      `DROP TABLE ledger_blocks`,
      `ALTER TABLE ledger_transfers DROP CONSTRAINT ledger_transfers_amount_check`,
      `ALTER TABLE ledger_transfers OWNER TO ${APP_ROLE}`,
      `CREATE TABLE public.zc_shadow (id int)`,
      `CREATE VIEW public.zc_shadow AS SELECT 1`,
      `SET ROLE ${OWNER_ROLE}`,
      `SET ROLE postgres`,
      `SET SESSION AUTHORIZATION postgres`,
      `ALTER ROLE ${APP_ROLE} SUPERUSER`,
      `ALTER ROLE ${APP_ROLE} BYPASSRLS`,
      `GRANT ${OWNER_ROLE} TO ${APP_ROLE}`,
      `UPDATE ledger_accounts SET credits_posted = credits_posted + 1`,
      `UPDATE ledger_accounts_view SET credits_posted = credits_posted + 1`,
      `UPDATE ledger_transfers_view SET amount = amount + 1`,
      `DELETE FROM ledger_blocks_view`,
      `INSERT INTO ledger_blocks_view (height) VALUES (999)`,
      `DELETE FROM schema_migrations`,
      `INSERT INTO zc_append_only_tables VALUES ('x')`,
      `DELETE FROM zc_append_only_tables`,
      `SELECT zc_apply_privileges()`,
      `COPY ledger_transfers FROM PROGRAM 'true'`,
      `COPY ledger_transfers TO '/tmp/zc-ledger.csv'`,
      `SELECT * FROM ledger_transfers FOR UPDATE`,
    ];
    const outcomes: Record<string, string> = {};
    for (const sql of attempts) outcomes[sql] = await refused(app, sql);
    expect(Object.entries(outcomes).filter(([, code]) => code !== '42501')).toEqual([]);
  });

  it('a GRANT by the application to itself changes nothing', async () => {
    await app.query('SAVEPOINT g');
    await app.query(`GRANT UPDATE, DELETE, TRUNCATE ON ledger_transfers TO ${APP_ROLE}`); // only a WARNING
    expect(await refused(app, `UPDATE ledger_transfers SET amount = amount + 1`)).toBe('42501');
    await app.query('ROLLBACK TO SAVEPOINT g');
  });
});

describe('the application and the tests run as zhongchou_app (issue 19)', () => {
  it('the in-process test app: its pool connects as zhongchou_app', async () => {
    const t = await startTestApp();
    try {
      const [row] = await t.app
        .get(DataSource)
        .query<{ user: string; session: string }[]>(
          `SELECT current_user AS user, session_user AS session`,
        );
      expect(row).toEqual({ user: APP_ROLE, session: APP_ROLE });
    } finally {
      await t.close();
    }
  });

  it('the service started with a superuser DATABASE_URL connects as zhongchou_app all the same', async () => {
    const db = await createTestDatabase();
    const logDir = mkdtempSync(path.join(tmpdir(), 'zc-role-'));
    const service = new ServiceProcess(
      { NODE_ENV: 'development', LOG_LEVEL: 'warn', DATABASE_URL: db.url, SEAL_INTERVAL_MS: '0' },
      path.join(logDir, 'service.log'),
    );
    try {
      await service.start();
      expect((await fetch(`${service.baseUrl}/health`)).status).toBe(200);
      const client = await db.client();
      const users = await client.query<{ usename: string }>(
        `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = $1 AND application_name = 'zhongchou'`,
        [db.name],
      );
      expect(users.rows).toEqual([{ usename: APP_ROLE }]);
    } finally {
      await service.stop();
      await db.drop();
      rmSync(logDir, { recursive: true, force: true });
    }
  });
});
