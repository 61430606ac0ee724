import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18 (and issue 13's revocation): each instance caches what it read of a session so that a
 * request does not cost a read of `auth_sessions`. A session that ends (logout, refresh-token
 * reuse, password change or reset) or whose second factor changes now NOTIFYs its id on
 * `zhongchou_sessions`, delivered to every instance when the ending transaction commits; an
 * instance that hears it drops its cached view at once, so the cache may live long while the
 * instance listens (SessionService), and a revocation reaches every instance, not only the one
 * that made it.
 */
export class SessionsAnnounceTheirEnd1766020000000 implements MigrationInterface {
  name = 'SessionsAnnounceTheirEnd1766020000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION "auth_sessions_announce"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('zhongchou_sessions', OLD."id"::text);
        RETURN NULL;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER "auth_sessions_announce"
      AFTER UPDATE OR DELETE ON "auth_sessions"
      FOR EACH ROW EXECUTE FUNCTION "auth_sessions_announce"()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "auth_sessions_announce" ON "auth_sessions"`);
    await q.query(`DROP FUNCTION "auth_sessions_announce"()`);
  }
}
