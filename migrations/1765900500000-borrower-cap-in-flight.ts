import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14, CN-P2P-02: a borrower-cap decision records the DEBT campaigns still in flight (submitted,
 * live, closing or suspended: no loan yet, but each may become one) that counted against the cap.
 * Decisions made before this migration counted none, hence the default 0.
 */
export class BorrowerCapInFlight1765900500000 implements MigrationInterface {
  name = 'BorrowerCapInFlight1765900500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "borrower_cap_decisions" ADD COLUMN "in_flight_here" numeric(20,2) NOT NULL DEFAULT 0`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "borrower_cap_decisions" DROP COLUMN "in_flight_here"`);
  }
}
