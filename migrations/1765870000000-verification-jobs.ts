import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ledger verification as a job (issue 17): `POST /finance/verifications` starts one and answers at
 * once; the instance running it writes its progress here (blocks recomputed of the blocks to check,
 * a heartbeat) and at the end the report with its named problems, so that `GET
 * /finance/verifications/:id` on any instance can answer. Rows change while the job runs (so the
 * table is not append-only, unlike `ledger_verifications`, which still gets one row per finished
 * run from the verifier itself). The application role reads and writes it, no more (the default
 * privileges of migration 1765600000000). Owned by the finance module.
 */
export class VerificationJobs1765870000000 implements MigrationInterface {
  name = 'VerificationJobs1765870000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "verification_jobs" (
        "id" uuid NOT NULL,
        "mode" text NOT NULL,
        "state" text NOT NULL,
        "step" text NOT NULL,
        "blocks_done" integer NOT NULL DEFAULT 0,
        "blocks_total" integer NOT NULL DEFAULT 0,
        "started_by" uuid NOT NULL,
        "started_at" timestamptz NOT NULL,
        "heartbeat_at" timestamptz NOT NULL,
        "finished_at" timestamptz,
        "report" jsonb,
        "error" text,
        CONSTRAINT "verification_jobs_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "verification_jobs_mode_check" CHECK ("mode" IN ('FULL', 'INCREMENTAL')),
        CONSTRAINT "verification_jobs_state_check" CHECK ("state" IN ('RUNNING', 'DONE', 'FAILED')),
        CONSTRAINT "verification_jobs_step_check" CHECK ("step" IN ('STARTING', 'BLOCKS', 'CHECKS', 'FINISHED')),
        CONSTRAINT "verification_jobs_blocks_check" CHECK ("blocks_done" >= 0 AND "blocks_done" <= "blocks_total"),
        CONSTRAINT "verification_jobs_finished_check" CHECK (("state" = 'RUNNING') = ("finished_at" IS NULL)),
        CONSTRAINT "verification_jobs_report_check" CHECK (("state" = 'DONE') = ("report" IS NOT NULL))
      )`);
    await q.query(
      `CREATE INDEX "verification_jobs_running_idx" ON "verification_jobs" ("heartbeat_at" DESC) WHERE "state" = 'RUNNING'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "verification_jobs"`);
  }
}
