import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credit records the platform makes by rule (issue 16: a founder's unpaid late-delivery refund, a
 * charity's missing fund-use report) have no ADMIN behind them: `created_by` becomes nullable.
 */
export class CreditRecordsByRule1765570000000 implements MigrationInterface {
  name = 'CreditRecordsByRule1765570000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "credit_records" ALTER COLUMN "created_by" DROP NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "credit_records" ALTER COLUMN "created_by" SET NOT NULL`);
  }
}
