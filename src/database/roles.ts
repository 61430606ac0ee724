import pg from 'pg';

/**
 * Least privilege in the database (issue 19). Two cluster-wide roles:
 *   zhongchou_owner  owns every table, view, sequence and function; migrations run as it
 *                    (SET ROLE through the connection's startup options). NOLOGIN.
 *   zhongchou_app    what the service connects as: no superuser, no DDL, no TRUNCATE, and on the
 *                    append-only tables (ledger, seals, audit, acknowledgements...) only SELECT and
 *                    INSERT. Counters move inside SECURITY DEFINER functions owned by the owner.
 * Grants themselves live in migration 1765600000000 and its `zc_apply_privileges()`.
 */
export const OWNER_ROLE = 'zhongchou_owner';
export const APP_ROLE = 'zhongchou_app';
/** The application role's password where none is configured (development and tests only). */
export const DEV_APP_PASSWORD = 'zhongchou-app-dev';

/** Connection options that make every statement run as the migration owner. */
export const AS_OWNER = `-c role=${OWNER_ROLE}`;

const DUPLICATE = new Set(['42710', '23505']); // duplicate_object, unique_violation (a concurrent CREATE)

function code(error: unknown): string | undefined {
  return (error as { code?: string }).code;
}

/** Runs `sql`, retrying the "tuple concurrently updated" races of concurrent role DDL. */
async function catalogWrite(client: pg.Client, sql: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(sql);
      return;
    } catch (error) {
      if (DUPLICATE.has(code(error) ?? '')) return;
      if (code(error) !== 'XX000' || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}

/**
 * On a privileged connection (a superuser, or a role with CREATEROLE that owns the database):
 * creates both roles if missing, lets the owner create in schema public, and hands it every
 * object a migration run by a superuser created before this design (so an existing database
 * converts in place). Idempotent; safe to run from several processes at once.
 */
export async function ensureRoles(client: pg.Client): Promise<void> {
  const roles = await client.query<{ rolname: string }>(
    `SELECT rolname FROM pg_roles WHERE rolname = ANY($1)`,
    [[OWNER_ROLE, APP_ROLE]],
  );
  const present = new Set(roles.rows.map((r) => r.rolname));
  if (!present.has(OWNER_ROLE)) {
    await catalogWrite(
      client,
      `CREATE ROLE ${OWNER_ROLE} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS`,
    );
  }
  if (!present.has(APP_ROLE)) {
    await catalogWrite(
      client,
      `CREATE ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS ` +
        `NOINHERIT PASSWORD ${client.escapeLiteral(DEV_APP_PASSWORD)}`,
    );
  }
  const me = await client.query<{ superuser: boolean; member: boolean }>(
    `SELECT rolsuper AS superuser, pg_has_role(current_user, $1, 'MEMBER') AS member
     FROM pg_roles WHERE rolname = current_user`,
    [OWNER_ROLE],
  );
  if (!me.rows[0]?.superuser && !me.rows[0]?.member) {
    await catalogWrite(client, `GRANT ${OWNER_ROLE} TO CURRENT_USER`);
  }
  await client.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${OWNER_ROLE}`);
  // CREATE on the database lets a migration add a trusted extension (pgcrypto, pg_trgm) as owner.
  await client.query(`
    DO $$
    BEGIN
      IF has_database_privilege(current_user, current_database(), 'CREATE WITH GRANT OPTION') THEN
        EXECUTE format('GRANT CREATE ON DATABASE %I TO ${OWNER_ROLE}', current_database());
      END IF;
    END $$`);
  await client.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
  await client.query(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`);
  await client.query(`
    DO $$
    DECLARE r record;
    BEGIN
      FOR r IN
        SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND c.relowner <> '${OWNER_ROLE}'::regrole
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
      LOOP
        EXECUTE format('ALTER %s %I OWNER TO ${OWNER_ROLE}',
          CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                         WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.relname);
      END LOOP;
      FOR r IN
        SELECT p.oid::regprocedure AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.proowner <> '${OWNER_ROLE}'::regrole
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                          AND d.objid = p.oid AND d.deptype = 'e')
      LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO ${OWNER_ROLE}', r.sig);
      END LOOP;
    END $$`);
}

/**
 * Makes sure the application role accepts `password`: tries it, and sets it only when Postgres
 * refuses it (under trust authentication nothing is ever changed).
 */
export async function ensureAppPassword(
  client: pg.Client,
  appUrl: string,
  password: string,
): Promise<void> {
  const probe = new pg.Client({ connectionString: appUrl, connectionTimeoutMillis: 5000 });
  try {
    await probe.connect();
    return;
  } catch (error) {
    if (code(error) !== '28P01') throw error; // invalid_password; anything else is not ours to fix
  } finally {
    await probe.end().catch(() => undefined);
  }
  await catalogWrite(client, `ALTER ROLE ${APP_ROLE} PASSWORD ${client.escapeLiteral(password)}`);
}

/** `url` with the application role's name and password. */
export function appRoleUrl(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = APP_ROLE;
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

export function urlUser(url: string): string {
  return decodeURIComponent(new URL(url).username);
}
