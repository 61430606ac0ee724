import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users, real-name identities (ciphertext + keyed digest, ID-RIC-08) and the append-only audit log
 * (CONV-05). Names of constraints are the ones repositories map to domain errors.
 */
export class Identity1764300000000 implements MigrationInterface {
  name = 'Identity1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "users" (
        "id" uuid NOT NULL,
        "email" text NOT NULL,
        "password_hash" text NOT NULL,
        "role" text NOT NULL,
        "kind" text NOT NULL,
        "created_at" timestamptz NOT NULL,
        CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "users_email_key" UNIQUE ("email"),
        CONSTRAINT "users_email_lowercase_check" CHECK ("email" = lower("email")),
        CONSTRAINT "users_kind_check" CHECK ("kind" IN ('PERSON', 'ORGANIZATION')),
        CONSTRAINT "users_role_check" CHECK ("role" IN ('INVESTOR', 'FOUNDER', 'ADMIN', 'FINANCE'))
      )`);
    await q.query(`
      CREATE TABLE "real_name_identities" (
        "user_id" uuid NOT NULL,
        "id_kind" text NOT NULL,
        "name_encrypted" text NOT NULL,
        "name_masked" text NOT NULL,
        "id_number_digest" character(64) NOT NULL,
        "id_number_encrypted" text NOT NULL,
        "id_number_masked" text NOT NULL,
        "birth_date" date,
        "legal_representative_name_encrypted" text,
        "legal_representative_id_encrypted" text,
        "legal_representative_id_masked" text,
        "verified_at" timestamptz NOT NULL,
        CONSTRAINT "real_name_identities_pkey" PRIMARY KEY ("user_id"),
        CONSTRAINT "real_name_identities_id_number_digest_key" UNIQUE ("id_number_digest"),
        CONSTRAINT "real_name_identities_id_kind_check" CHECK ("id_kind" IN ('RIC', 'USCC')),
        CONSTRAINT "real_name_identities_birth_date_check" CHECK (("id_kind" = 'RIC') = ("birth_date" IS NOT NULL)),
        CONSTRAINT "real_name_identities_legal_rep_check" CHECK (("id_kind" = 'USCC') = ("legal_representative_name_encrypted" IS NOT NULL AND "legal_representative_id_encrypted" IS NOT NULL)),
        CONSTRAINT "real_name_identities_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(`
      CREATE TABLE "audit_events" (
        "id" BIGSERIAL NOT NULL,
        "occurred_at" timestamptz NOT NULL,
        "actor_id" uuid,
        "action" text NOT NULL,
        "subject_type" text NOT NULL,
        "subject_id" text NOT NULL,
        "details" jsonb NOT NULL,
        CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
      )`);
    await q.query(
      `CREATE INDEX "audit_events_subject_idx" ON "audit_events" ("subject_type", "subject_id")`,
    );
    // Shared by every append-only table (audit events now; ledger transfers and seals later, INV-2).
    await q.query(`
      CREATE FUNCTION "reject_modification"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% on % is not allowed: the table is append-only', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER "audit_events_append_only"
      BEFORE UPDATE OR DELETE ON "audit_events"
      FOR EACH ROW EXECUTE FUNCTION "reject_modification"()`);
    await q.query(`
      CREATE TRIGGER "audit_events_no_truncate"
      BEFORE TRUNCATE ON "audit_events"
      FOR EACH STATEMENT EXECUTE FUNCTION "reject_modification"()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "audit_events"`);
    await q.query(`DROP FUNCTION "reject_modification"()`);
    await q.query(`DROP TABLE "real_name_identities"`);
    await q.query(`DROP TABLE "users"`);
  }
}
