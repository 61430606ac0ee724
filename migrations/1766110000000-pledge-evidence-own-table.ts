import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: a pledge's admission evidence (CONV-05, CN-SUIT-16/17) in a table of its own,
 * `pledge_evidence`, one row per pledge, written with the pledge and never changed. In the pledge
 * row it made every row about 970 bytes, of which some 830 were the evidence; settling rewrites
 * every pledge (ACTIVE -> SETTLED), and each new row version carried the evidence again: 100,000
 * pledges settled wrote 350 MB of WAL instead of 192 MB, and two settlement workers took 6.8-7.3 s
 * against 5.1-6.1 s with the narrow row (2026-12-07 16:45 UTC, the settle batch statement on a
 * copy of the schema, three runs each, interleaved). The evidence is read only by staff, one pledge
 * at a time (GET /admin/pledges/:id/evidence).
 *
 * The rows already in `pledges` keep their bytes until they are next written (a dropped column is
 * not rewritten); every row version written from now on is narrow. The table is append-only for the
 * application (`zc_declare_append_only`): the evidence of a decision is never changed, which the
 * column in `pledges` could not promise.
 */
export class PledgeEvidenceOwnTable1766110000000 implements MigrationInterface {
  name = 'PledgeEvidenceOwnTable1766110000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "pledge_evidence" (
        "pledge_id" uuid NOT NULL,
        "evidence" jsonb NOT NULL,
        CONSTRAINT "pledge_evidence_pkey" PRIMARY KEY ("pledge_id"),
        CONSTRAINT "pledge_evidence_pledge_id_fkey" FOREIGN KEY ("pledge_id")
          REFERENCES "pledges"("id") ON DELETE RESTRICT
      )`);
    await q.query(
      `INSERT INTO "pledge_evidence" ("pledge_id", "evidence") SELECT "id", "evidence" FROM "pledges"`,
    );
    await q.query(`ALTER TABLE "pledges" DROP COLUMN "evidence"`);
    // Evidence is never changed (CONV-05): the application may read and add rows, nothing else.
    await q.query(`SELECT zc_declare_append_only('pledge_evidence')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "pledges" ADD COLUMN "evidence" jsonb`);
    await q.query(
      `UPDATE "pledges" p SET "evidence" = e."evidence" FROM "pledge_evidence" e WHERE e."pledge_id" = p."id"`,
    );
    await q.query(`ALTER TABLE "pledges" ALTER COLUMN "evidence" SET NOT NULL`);
    await q.query(`DROP TABLE "pledge_evidence"`);
    await q.query(`DELETE FROM "zc_append_only_tables" WHERE "table_name" = 'pledge_evidence'`);
  }
}
