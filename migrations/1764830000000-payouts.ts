import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Payouts of a settled campaign's net to its founder, approved by FINANCE (maker-checker). */
export class Payouts1764830000000 implements MigrationInterface {
  name = 'Payouts1764830000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "payouts" (
        "id" uuid NOT NULL,
        "campaign_id" uuid NOT NULL,
        "founder_id" uuid NOT NULL,
        "amount" numeric(20,2) NOT NULL,
        "currency" character(3) NOT NULL,
        "status" text NOT NULL,
        "requested_at" timestamptz NOT NULL,
        "decided_by" uuid,
        "decided_at" timestamptz,
        "reason" text,
        "hold_transfer_id" uuid,
        CONSTRAINT "payouts_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "payouts_campaign_id_key" UNIQUE ("campaign_id"),
        CONSTRAINT "payouts_amount_check" CHECK ("amount" > 0),
        CONSTRAINT "payouts_status_check" CHECK ("status" IN ('REQUESTED', 'APPROVED', 'REJECTED')),
        CONSTRAINT "payouts_decision_check" CHECK (("status" = 'REQUESTED') = ("decided_by" IS NULL) AND ("status" = 'APPROVED') = ("hold_transfer_id" IS NOT NULL)),
        CONSTRAINT "payouts_maker_checker_check" CHECK ("decided_by" IS NULL OR "decided_by" <> "founder_id"),
        CONSTRAINT "payouts_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
        CONSTRAINT "payouts_founder_id_fkey" FOREIGN KEY ("founder_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
        CONSTRAINT "payouts_decided_by_fkey" FOREIGN KEY ("decided_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "payouts"`);
  }
}
