import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credit records (PLAT-03): the platform's credit ledger of defaults, misrepresentation, repeated
 * financing, fraud and city credit-system flags. BLOCKING records deny market access while in force.
 * A record is never deleted or edited; the only change allowed is lifting it once (who, when, why),
 * enforced by the trigger below so that the history an auditor reads is the history that happened.
 */
export class Credit1764600000000 implements MigrationInterface {
  name = 'Credit1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "credit_records" (
        "id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "kind" text NOT NULL,
        "severity" text NOT NULL,
        "source" text NOT NULL,
        "effective_from" timestamptz NOT NULL,
        "effective_until" timestamptz,
        "note" text NOT NULL,
        "created_by" uuid NOT NULL,
        "created_at" timestamptz NOT NULL,
        "lifted_at" timestamptz,
        "lifted_by" uuid,
        "lift_reason" text,
        CONSTRAINT "credit_records_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "credit_records_kind_check" CHECK ("kind" IN ('DEFAULT', 'MISREPRESENTATION', 'REPEATED_FINANCING', 'FRAUD', 'CITY_CREDIT_SYSTEM', 'OTHER')),
        CONSTRAINT "credit_records_severity_check" CHECK ("severity" IN ('WARNING', 'BLOCKING')),
        CONSTRAINT "credit_records_source_check" CHECK (char_length("source") BETWEEN 1 AND 100),
        CONSTRAINT "credit_records_note_check" CHECK (char_length("note") BETWEEN 1 AND 1000),
        CONSTRAINT "credit_records_effective_check" CHECK ("effective_until" IS NULL OR "effective_until" > "effective_from"),
        CONSTRAINT "credit_records_lift_check" CHECK (("lifted_at" IS NULL AND "lifted_by" IS NULL AND "lift_reason" IS NULL) OR ("lifted_at" IS NOT NULL AND "lifted_by" IS NOT NULL AND "lift_reason" IS NOT NULL)),
        CONSTRAINT "credit_records_lift_reason_check" CHECK ("lift_reason" IS NULL OR char_length("lift_reason") BETWEEN 1 AND 500),
        CONSTRAINT "credit_records_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
        CONSTRAINT "credit_records_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
        CONSTRAINT "credit_records_lifted_by_fkey" FOREIGN KEY ("lifted_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(`CREATE INDEX "credit_records_user_idx" ON "credit_records" ("user_id")`);
    await q.query(`
      CREATE FUNCTION "credit_records_lift_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'DELETE on credit_records is not allowed: lift the record instead (PLAT-03)'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD."lifted_at" IS NOT NULL
          OR (NEW."id", NEW."user_id", NEW."kind", NEW."severity", NEW."source", NEW."effective_from",
              NEW."effective_until", NEW."note", NEW."created_by", NEW."created_at")
             IS DISTINCT FROM
             (OLD."id", OLD."user_id", OLD."kind", OLD."severity", OLD."source", OLD."effective_from",
              OLD."effective_until", OLD."note", OLD."created_by", OLD."created_at")
        THEN
          RAISE EXCEPTION 'a credit record may only be lifted, once (PLAT-03)'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER "credit_records_lift_only"
      BEFORE UPDATE OR DELETE ON "credit_records"
      FOR EACH ROW EXECUTE FUNCTION "credit_records_lift_only"()`);
    await q.query(`
      CREATE TRIGGER "credit_records_no_truncate"
      BEFORE TRUNCATE ON "credit_records"
      FOR EACH STATEMENT EXECUTE FUNCTION "reject_modification"()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "credit_records"`);
    await q.query(`DROP FUNCTION "credit_records_lift_only"()`);
  }
}
