import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pledges (DESIGN §6): each one holds its amount in the campaign's escrow account through a ledger
 * transfer, and carries the evidence of the decision that admitted it (rule pack, suitability,
 * acknowledgements). Live pledges count toward the campaign's committed total.
 */
export class Pledges1764800000000 implements MigrationInterface {
  name = 'Pledges1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "pledges" (
        "id" uuid NOT NULL,
        "campaign_id" uuid NOT NULL,
        "investor_id" uuid NOT NULL,
        "amount" numeric(20,2) NOT NULL,
        "currency" character(3) NOT NULL,
        "reward_tier_id" uuid,
        "status" text NOT NULL,
        "hold_transfer_id" uuid NOT NULL,
        "cooling_off_ends_at" timestamptz,
        "confirmation_required" boolean NOT NULL,
        "evidence" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL,
        "updated_at" timestamptz NOT NULL,
        "ended_at" timestamptz,
        CONSTRAINT "pledges_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "pledges_hold_transfer_id_key" UNIQUE ("hold_transfer_id"),
        CONSTRAINT "pledges_amount_check" CHECK ("amount" > 0),
        CONSTRAINT "pledges_status_check" CHECK ("status" IN ('COOLING_OFF', 'AWAITING_CONFIRMATION', 'ACTIVE', 'AWAITING_RECONFIRMATION', 'SETTLED', 'CANCELLED', 'REFUNDED')),
        CONSTRAINT "pledges_ended_check" CHECK (("status" IN ('SETTLED', 'CANCELLED', 'REFUNDED')) = ("ended_at" IS NOT NULL)),
        CONSTRAINT "pledges_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
        CONSTRAINT "pledges_investor_id_fkey" FOREIGN KEY ("investor_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
        CONSTRAINT "pledges_reward_tier_id_fkey" FOREIGN KEY ("reward_tier_id") REFERENCES "reward_tiers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    // hold_transfer_id names a ledger transfer. The ledger keeps no TypeORM entities, so a foreign key
    // here would read as drift; the pledge path writes both in one transaction and verification
    // checks escrow = live pledges (INV-8).
    await q.query(`CREATE INDEX "pledges_investor_idx" ON "pledges" ("investor_id", "created_at")`);
    await q.query(
      `CREATE INDEX "pledges_campaign_status_idx" ON "pledges" ("campaign_id", "status")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "pledges"`);
  }
}
