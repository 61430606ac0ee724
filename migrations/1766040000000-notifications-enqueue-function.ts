import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: the notifications module's write as a function, like the audit trail's
 * `audit_append`, so another module's statement can record its notices in the same round trip as
 * its effect (the pledge's insert records `pledge.placed`; one round trip fewer while a pledge holds
 * its campaign's admission slot) and the outbox's own insert is the same SQL. The notices (a
 * repeated `(recipient, dedupe_key)` is skipped) and a webhook delivery for each of the
 * recipient's live endpoints on the founder events; answers how many notices were new. PL/pgSQL,
 * so each connection plans its statement once.
 */
export class NotificationsEnqueueFunction1766040000000 implements MigrationInterface {
  name = 'NotificationsEnqueueFunction1766040000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION "notifications_enqueue"(p_rows jsonb, p_now timestamptz)
      RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        n_new integer;
      BEGIN
        WITH input AS (
          SELECT * FROM jsonb_to_recordset(p_rows)
            AS x(id uuid, recipient_id uuid, type text, params jsonb, campaign_id uuid, dedupe_key text)
        ), n AS (
          INSERT INTO notifications (id, recipient_id, type, params, campaign_id, dedupe_key, created_at,
                                     email_status, email_attempts, email_next_attempt_at)
          SELECT id, recipient_id, type, params, campaign_id, dedupe_key, p_now, 'PENDING', 0, p_now
            FROM input
          ON CONFLICT (recipient_id, dedupe_key) DO NOTHING
          RETURNING id, recipient_id, type, campaign_id
        ), hooks AS (
          INSERT INTO webhook_deliveries (id, endpoint_id, notification_id, status, attempts,
                                          next_attempt_at, created_at)
          SELECT gen_random_uuid(), e.id, n.id, 'PENDING', 0, p_now, p_now
            FROM n JOIN webhook_endpoints e ON e.founder_id = n.recipient_id AND e.disabled_at IS NULL
           WHERE (n.campaign_id IS NOT NULL OR n.type LIKE 'campaign.%' OR n.type LIKE 'payout.%')
        )
        SELECT count(*)::int INTO n_new FROM n;
        RETURN n_new;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION "notifications_enqueue"(jsonb, timestamptz)`);
  }
}
