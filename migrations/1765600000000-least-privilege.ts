import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Least privilege (issue 19). The service connects as `zhongchou_app`; every object belongs to
 * `zhongchou_owner`, which migrations run as (src/database/roles.ts creates both roles before the
 * migrations run; the DO block below does the same for a migration run any other way).
 *
 * The application role gets SELECT, INSERT, UPDATE, DELETE on ordinary tables, but on every
 * append-only table only SELECT and INSERT, on views only SELECT, never TRUNCATE, REFERENCES,
 * TRIGGER or any DDL (it owns nothing and may not create in schema public). A table is append-only
 * when it is listed in `zc_append_only_tables` (declare it with `SELECT zc_declare_append_only(...)`)
 * or when a `reject_modification` trigger guards its UPDATEs. `zc_apply_privileges()` recomputes
 * all of this; the migration runner calls it after every run, so tables added by later migrations
 * (whose default privileges come from ALTER DEFAULT PRIVILEGES below) end up right too.
 *
 * The ledger's counters move inside `ledger_apply_transfers` and the account locks are taken in
 * `ledger_lock_accounts`: both SECURITY DEFINER (owned by zhongchou_owner, fixed search_path), so
 * the application needs no UPDATE on `ledger_accounts` at all.
 */
const APPEND_ONLY = [
  'ledger_accounts',
  'ledger_transfers',
  'ledger_blocks',
  'custody_notifications',
  'audit_events',
  'disclosure_versions',
  'disclosure_acknowledgements',
  'special_warnings',
  'investor_assessments',
  'campaign_transitions',
  'confirmation_calls',
  'reconciliations',
  'reconciliation_lines',
];

export class LeastPrivilege1765600000000 implements MigrationInterface {
  name = 'LeastPrivilege1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'zhongchou_owner') THEN
          CREATE ROLE zhongchou_owner NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'zhongchou_app') THEN
          CREATE ROLE zhongchou_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT;
        END IF;
      END $$`);
    await q.query(`
      CREATE TABLE "zc_append_only_tables" (
        "table_name" text NOT NULL,
        CONSTRAINT "zc_append_only_tables_pkey" PRIMARY KEY ("table_name")
      )`);
    await q.query(`INSERT INTO "zc_append_only_tables" ("table_name") SELECT unnest($1::text[])`, [
      APPEND_ONLY,
    ]);
    await q.query(`
      CREATE FUNCTION "zc_apply_privileges"() RETURNS void LANGUAGE plpgsql AS $$
      DECLARE r record;
      BEGIN
        GRANT USAGE ON SCHEMA public TO zhongchou_app;
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO zhongchou_app;
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO zhongchou_app;
        REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM zhongchou_app, PUBLIC;
        FOR r IN
          SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
            AND (c.relkind IN ('v', 'm', 'f')
                 OR c.relname IN (SELECT table_name FROM zc_append_only_tables)
                 OR c.relname IN ('schema_migrations', 'zc_append_only_tables')
                 OR EXISTS (SELECT 1 FROM pg_trigger t
                            WHERE t.tgrelid = c.oid AND t.tgfoid = 'reject_modification'::regproc
                              AND (t.tgtype & 16) <> 0))
        LOOP
          EXECUTE format('REVOKE UPDATE, DELETE ON %I FROM zhongchou_app', r.relname);
          IF r.relkind IN ('v', 'm', 'f') OR r.relname IN ('schema_migrations', 'zc_append_only_tables') THEN
            EXECUTE format('REVOKE INSERT ON %I FROM zhongchou_app', r.relname);
          END IF;
        END LOOP;
      END
      $$`);
    await q.query(`
      CREATE FUNCTION "zc_declare_append_only"(p_table text) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO zc_append_only_tables (table_name) VALUES (p_table) ON CONFLICT DO NOTHING;
        PERFORM zc_apply_privileges();
      END
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION "zc_apply_privileges"() FROM PUBLIC`);
    await q.query(`REVOKE ALL ON FUNCTION "zc_declare_append_only"(text) FROM PUBLIC`);
    await q.query(
      `ALTER FUNCTION "ledger_apply_transfers"() SECURITY DEFINER SET search_path = public, pg_temp`,
    );
    await q.query(
      `ALTER FUNCTION "ledger_lock_accounts"(uuid[]) SECURITY DEFINER SET search_path = public, pg_temp`,
    );
    // Tables a later migration creates (as zhongchou_owner) are the application's to read and write
    // until declared append-only; functions stay executable by PUBLIC as Postgres's default.
    await q.query(
      `ALTER DEFAULT PRIVILEGES FOR ROLE zhongchou_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO zhongchou_app`,
    );
    await q.query(
      `ALTER DEFAULT PRIVILEGES FOR ROLE zhongchou_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO zhongchou_app`,
    );
    await q.query(`SELECT zc_apply_privileges()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER DEFAULT PRIVILEGES FOR ROLE zhongchou_owner IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM zhongchou_app`,
    );
    await q.query(
      `ALTER DEFAULT PRIVILEGES FOR ROLE zhongchou_owner IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM zhongchou_app`,
    );
    await q.query(`ALTER FUNCTION "ledger_lock_accounts"(uuid[]) SECURITY INVOKER RESET ALL`);
    await q.query(`ALTER FUNCTION "ledger_apply_transfers"() SECURITY INVOKER RESET ALL`);
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM zhongchou_app`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM zhongchou_app`);
    await q.query(`DROP FUNCTION "zc_declare_append_only"(text)`);
    await q.query(`DROP FUNCTION "zc_apply_privileges"()`);
    await q.query(`DROP TABLE "zc_append_only_tables"`);
  }
}
