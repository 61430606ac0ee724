import type { MigrationInterface, QueryRunner } from 'typeorm';

/** US-CF-14 analogue / CN-SUIT-14: after a material change a pledge waits for reconfirmation. */
export class PledgeReconfirmation1764820000000 implements MigrationInterface {
  name = 'PledgeReconfirmation1764820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "pledges" ADD "reconfirm_by" timestamptz`);
    await q.query(`ALTER TABLE "pledges" ADD "resume_status" text`);
    await q.query(`
      ALTER TABLE "pledges" ADD CONSTRAINT "pledges_reconfirmation_check"
      CHECK (("status" = 'AWAITING_RECONFIRMATION') = ("reconfirm_by" IS NOT NULL AND "resume_status" IS NOT NULL)
             AND ("resume_status" IS NULL OR "resume_status" IN ('COOLING_OFF', 'AWAITING_CONFIRMATION', 'ACTIVE')))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "pledges" DROP CONSTRAINT "pledges_reconfirmation_check"`);
    await q.query(`ALTER TABLE "pledges" DROP COLUMN "resume_status"`);
    await q.query(`ALTER TABLE "pledges" DROP COLUMN "reconfirm_by"`);
  }
}
