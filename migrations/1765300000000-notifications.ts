import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications (issue 13): the transactional outbox that is also the inbox, founders' webhook
 * endpoints and their deliveries, and the user's locale for notice texts.
 *
 * - `notifications`: one row per notice, written in the transaction of the change it reports
 *   (never a lost or phantom notice). The e-mail columns drive the dispatcher; `seq` orders the
 *   inbox and is the stream's event id. `(recipient_id, dedupe_key)` makes a keyed notice
 *   once-only. The insert trigger wakes live streams with NOTIFY, delivered only on commit.
 * - `webhook_endpoints`: a founder's HTTPS endpoints; the signing secret is stored encrypted
 *   (AES-256-GCM), since signing needs it in clear.
 * - `webhook_deliveries`: one row per (endpoint, notice), written with the notice.
 */
export class Notifications1765300000000 implements MigrationInterface {
  name = 'Notifications1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" ADD "locale" text NOT NULL DEFAULT 'zh-CN'`);
    await q.query(
      `ALTER TABLE "users" ADD CONSTRAINT "users_locale_check" CHECK ("locale" IN ('zh-CN', 'en'))`,
    );
    await q.query(`
      CREATE TABLE "notifications" (
        "id" uuid NOT NULL,
        "seq" BIGSERIAL NOT NULL,
        "recipient_id" uuid NOT NULL,
        "type" text NOT NULL,
        "params" jsonb NOT NULL,
        "campaign_id" uuid,
        "dedupe_key" text,
        "created_at" timestamptz NOT NULL,
        "read_at" timestamptz,
        "email_status" text NOT NULL,
        "email_attempts" integer NOT NULL,
        "email_next_attempt_at" timestamptz NOT NULL,
        "email_last_attempt_at" timestamptz,
        "email_last_error" text,
        "email_sent_at" timestamptz,
        CONSTRAINT "notifications_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "notifications_seq_key" UNIQUE ("seq"),
        CONSTRAINT "notifications_recipient_dedupe_key" UNIQUE ("recipient_id", "dedupe_key"),
        CONSTRAINT "notifications_type_check" CHECK ("type" ~ '^[a-z_]+\\.[a-z_]+$'),
        CONSTRAINT "notifications_params_check" CHECK (jsonb_typeof("params") = 'object'),
        CONSTRAINT "notifications_dedupe_key_check" CHECK ("dedupe_key" IS NULL OR char_length("dedupe_key") BETWEEN 1 AND 200),
        CONSTRAINT "notifications_email_status_check" CHECK ("email_status" IN ('PENDING', 'SENT', 'FAILED', 'SKIPPED')),
        CONSTRAINT "notifications_email_attempts_check" CHECK ("email_attempts" >= 0),
        CONSTRAINT "notifications_email_sent_check" CHECK (("email_status" = 'SENT') = ("email_sent_at" IS NOT NULL)),
        CONSTRAINT "notifications_recipient_id_fkey" FOREIGN KEY ("recipient_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
        CONSTRAINT "notifications_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(
      `CREATE INDEX "notifications_inbox_idx" ON "notifications" ("recipient_id", "seq")`,
    );
    await q.query(
      `CREATE INDEX "notifications_unread_idx" ON "notifications" ("recipient_id", "seq") WHERE "read_at" IS NULL`,
    );
    await q.query(
      `CREATE INDEX "notifications_email_due_idx" ON "notifications" ("email_next_attempt_at") WHERE "email_status" = 'PENDING'`,
    );
    await q.query(
      `CREATE INDEX "notifications_email_failed_idx" ON "notifications" ("email_last_attempt_at") WHERE "email_status" = 'FAILED'`,
    );
    // Live inbox streams LISTEN on this channel; NOTIFY is delivered only when the insert commits.
    await q.query(`
      CREATE FUNCTION "notifications_announce"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('zhongchou_notifications', NEW."recipient_id"::text || ' ' || NEW."id"::text);
        RETURN NULL;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER "notifications_announce"
      AFTER INSERT ON "notifications"
      FOR EACH ROW EXECUTE FUNCTION "notifications_announce"()`);

    await q.query(`
      CREATE TABLE "webhook_endpoints" (
        "id" uuid NOT NULL,
        "founder_id" uuid NOT NULL,
        "url" text NOT NULL,
        "secret_encrypted" text NOT NULL,
        "created_at" timestamptz NOT NULL,
        "disabled_at" timestamptz,
        CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "webhook_endpoints_url_check" CHECK (char_length("url") BETWEEN 8 AND 2000 AND "url" ~ '^https?://'),
        CONSTRAINT "webhook_endpoints_founder_id_fkey" FOREIGN KEY ("founder_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(
      `CREATE INDEX "webhook_endpoints_founder_idx" ON "webhook_endpoints" ("founder_id")`,
    );
    await q.query(`
      CREATE TABLE "webhook_deliveries" (
        "id" uuid NOT NULL,
        "endpoint_id" uuid NOT NULL,
        "notification_id" uuid NOT NULL,
        "status" text NOT NULL,
        "attempts" integer NOT NULL,
        "next_attempt_at" timestamptz NOT NULL,
        "last_attempt_at" timestamptz,
        "last_status_code" integer,
        "last_error" text,
        "delivered_at" timestamptz,
        "created_at" timestamptz NOT NULL,
        CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "webhook_deliveries_endpoint_notification_key" UNIQUE ("endpoint_id", "notification_id"),
        CONSTRAINT "webhook_deliveries_status_check" CHECK ("status" IN ('PENDING', 'DELIVERED', 'FAILED')),
        CONSTRAINT "webhook_deliveries_attempts_check" CHECK ("attempts" >= 0),
        CONSTRAINT "webhook_deliveries_delivered_check" CHECK (("status" = 'DELIVERED') = ("delivered_at" IS NOT NULL)),
        CONSTRAINT "webhook_deliveries_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
        CONSTRAINT "webhook_deliveries_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "notifications"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(
      `CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" ("next_attempt_at") WHERE "status" = 'PENDING'`,
    );
    await q.query(
      `CREATE INDEX "webhook_deliveries_endpoint_idx" ON "webhook_deliveries" ("endpoint_id", "created_at")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "webhook_deliveries"`);
    await q.query(`DROP TABLE "webhook_endpoints"`);
    await q.query(`DROP TABLE "notifications"`);
    await q.query(`DROP FUNCTION "notifications_announce"()`);
    await q.query(`ALTER TABLE "users" DROP CONSTRAINT "users_locale_check"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "locale"`);
  }
}
