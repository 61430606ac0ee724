import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CN-SUIT-14 / US-CF-14 analogue: which material disclosure versions the pledge module has applied
 * (their campaign's live pledges put into reconfirmation). The version itself is the durable
 * record of the change; this row makes applying it happen exactly once, whether the in-process
 * event or the sweep gets there first, and whatever crashed in between.
 */
export class MaterialChangeApplications1764840000000 implements MigrationInterface {
  name = 'MaterialChangeApplications1764840000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "material_change_applications" (
        "campaign_id" uuid NOT NULL,
        "version" integer NOT NULL,
        "published_at" timestamptz NOT NULL,
        "applied_at" timestamptz NOT NULL,
        "pledges" integer NOT NULL,
        CONSTRAINT "material_change_applications_pkey" PRIMARY KEY ("campaign_id", "version"),
        CONSTRAINT "material_change_applications_pledges_check" CHECK ("pledges" >= 0),
        CONSTRAINT "material_change_applications_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "material_change_applications"`);
  }
}
