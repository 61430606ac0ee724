import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account basics and staff security (issue 13): verified e-mail, sessions with rotating refresh
 * tokens, e-mailed one-time tokens (verification, password reset), TOTP second factor and its
 * recovery codes. Every token and code is stored as a keyed hash only; the TOTP secret as
 * ciphertext. Owned by the identity module.
 */
export class Accounts1765200000000 implements MigrationInterface {
  name = 'Accounts1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" ADD "email_verified_at" timestamptz`);
    await q.query(`
      CREATE TABLE "auth_sessions" (
        "id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "created_at" timestamptz NOT NULL,
        "second_factor" text,
        "second_factor_at" timestamptz,
        "revoked_at" timestamptz,
        "revoked_reason" text,
        CONSTRAINT "auth_sessions_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "auth_sessions_second_factor_check" CHECK ("second_factor" IN ('TOTP', 'RECOVERY_CODE')),
        CONSTRAINT "auth_sessions_second_factor_at_check" CHECK (("second_factor" IS NULL) = ("second_factor_at" IS NULL)),
        CONSTRAINT "auth_sessions_revoked_reason_check" CHECK ("revoked_reason" IN ('LOGOUT', 'REFRESH_TOKEN_REUSED', 'PASSWORD_CHANGED', 'PASSWORD_RESET')),
        CONSTRAINT "auth_sessions_revoked_check" CHECK (("revoked_at" IS NULL) = ("revoked_reason" IS NULL)),
        CONSTRAINT "auth_sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(
      `CREATE INDEX "auth_sessions_user_id_idx" ON "auth_sessions" ("user_id") WHERE "revoked_at" IS NULL`,
    );
    await q.query(`
      CREATE TABLE "auth_refresh_tokens" (
        "id" uuid NOT NULL,
        "session_id" uuid NOT NULL,
        "token_hash" character(64) NOT NULL,
        "issued_at" timestamptz NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "used_at" timestamptz,
        CONSTRAINT "auth_refresh_tokens_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "auth_refresh_tokens_token_hash_key" UNIQUE ("token_hash"),
        CONSTRAINT "auth_refresh_tokens_expiry_check" CHECK ("expires_at" > "issued_at"),
        CONSTRAINT "auth_refresh_tokens_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "auth_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await q.query(
      `CREATE INDEX "auth_refresh_tokens_session_id_idx" ON "auth_refresh_tokens" ("session_id")`,
    );
    await q.query(`
      CREATE TABLE "account_tokens" (
        "id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "purpose" text NOT NULL,
        "token_hash" character(64) NOT NULL,
        "email" text NOT NULL,
        "created_at" timestamptz NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "used_at" timestamptz,
        CONSTRAINT "account_tokens_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "account_tokens_token_hash_key" UNIQUE ("token_hash"),
        CONSTRAINT "account_tokens_purpose_check" CHECK ("purpose" IN ('EMAIL_VERIFICATION', 'PASSWORD_RESET')),
        CONSTRAINT "account_tokens_expiry_check" CHECK ("expires_at" > "created_at"),
        CONSTRAINT "account_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(
      `CREATE INDEX "account_tokens_open_idx" ON "account_tokens" ("user_id", "purpose") WHERE "used_at" IS NULL`,
    );
    await q.query(`
      CREATE TABLE "user_totp" (
        "user_id" uuid NOT NULL,
        "secret_encrypted" text NOT NULL,
        "created_at" timestamptz NOT NULL,
        "confirmed_at" timestamptz,
        "last_used_step" integer,
        CONSTRAINT "user_totp_pkey" PRIMARY KEY ("user_id"),
        CONSTRAINT "user_totp_last_used_step_check" CHECK ("last_used_step" >= 0),
        CONSTRAINT "user_totp_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(`
      CREATE TABLE "user_recovery_codes" (
        "id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "code_hash" character(64) NOT NULL,
        "created_at" timestamptz NOT NULL,
        "used_at" timestamptz,
        CONSTRAINT "user_recovery_codes_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "user_recovery_codes_user_code_key" UNIQUE ("user_id", "code_hash"),
        CONSTRAINT "user_recovery_codes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "user_recovery_codes"`);
    await q.query(`DROP TABLE "user_totp"`);
    await q.query(`DROP TABLE "account_tokens"`);
    await q.query(`DROP TABLE "auth_refresh_tokens"`);
    await q.query(`DROP TABLE "auth_sessions"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "email_verified_at"`);
  }
}
