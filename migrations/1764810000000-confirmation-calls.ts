import type { MigrationInterface, QueryRunner } from 'typeorm';

/** CN-PF-07: every confirmation call (回访) an ADMIN records, kept as evidence (append-only). */
export class ConfirmationCalls1764810000000 implements MigrationInterface {
  name = 'ConfirmationCalls1764810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "confirmation_calls" (
        "id" uuid NOT NULL,
        "pledge_id" uuid NOT NULL,
        "admin_id" uuid NOT NULL,
        "outcome" text NOT NULL,
        "notes" text NOT NULL,
        "called_at" timestamptz NOT NULL,
        CONSTRAINT "confirmation_calls_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "confirmation_calls_outcome_check" CHECK ("outcome" IN ('CONFIRMED', 'RESCINDED', 'UNREACHABLE')),
        CONSTRAINT "confirmation_calls_pledge_id_fkey" FOREIGN KEY ("pledge_id") REFERENCES "pledges"("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
        CONSTRAINT "confirmation_calls_admin_id_fkey" FOREIGN KEY ("admin_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(
      `CREATE INDEX "confirmation_calls_pledge_idx" ON "confirmation_calls" ("pledge_id", "called_at")`,
    );
    await q.query(`
      CREATE TRIGGER "confirmation_calls_append_only" BEFORE UPDATE OR DELETE ON "confirmation_calls"
      FOR EACH ROW EXECUTE FUNCTION "reject_modification"()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "confirmation_calls"`);
  }
}
