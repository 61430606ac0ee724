import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail's write for SQL that records an event in the same statement as its effect (the
 * pledge's insert): another module's SQL calls this instead of writing `audit_events` itself
 * (one owner per table, DESIGN §2).
 */
export class AuditAppendFunction1765100200000 implements MigrationInterface {
  name = 'AuditAppendFunction1765100200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION "audit_append"(p_occurred_at timestamptz, p_actor uuid, p_action text,
        p_subject_type text, p_subject_id text, p_details jsonb)
      RETURNS bigint LANGUAGE sql AS $$
        INSERT INTO audit_events (occurred_at, actor_id, action, subject_type, subject_id, details)
        VALUES (p_occurred_at, p_actor, p_action, p_subject_type, p_subject_id, p_details)
        RETURNING id
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION "audit_append"(timestamptz, uuid, text, text, text, jsonb)`);
  }
}
