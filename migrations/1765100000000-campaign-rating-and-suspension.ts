import type { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN_BEFORE_APPROVAL = `'DRAFT', 'PENDING_REVIEW', 'REJECTED', 'CANCELLED'`;

/**
 * Campaign (issue 12):
 * - the platform, not the founder, rates the product (CN-SUIT-08, CN-SUIT-20): the founder's rating
 *   is only a proposal (`proposed_risk_rating`); `risk_rating` is the rating ADMIN set at approval,
 *   and every campaign that went live has one (reward and donation: R1);
 * - `SUSPENDED` (PLAT-03): a LIVE campaign whose founder received a BLOCKING credit record;
 * - every transition keeps its details (who rated what, and why);
 * - the campaign's counters (INV-7) move only through the functions below, which the pledge's
 *   locked section calls (one owner per table, DESIGN §2).
 */
export class CampaignRatingAndSuspension1765100000000 implements MigrationInterface {
  name = 'CampaignRatingAndSuspension1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "campaigns" ADD "proposed_risk_rating" text`);
    await q.query(`ALTER TABLE "campaigns" ADD "rating_reason" text`);
    await q.query(`UPDATE "campaigns" SET "proposed_risk_rating" = "risk_rating"`);
    await q.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "campaigns_risk_rating_check"`);
    await q.query(
      `UPDATE "campaigns" SET "risk_rating" = NULL WHERE "status" IN ('DRAFT', 'PENDING_REVIEW', 'REJECTED')`,
    );
    await q.query(
      `UPDATE "campaigns" SET "risk_rating" = 'R1' WHERE "risk_rating" IS NULL AND "status" NOT IN (${OPEN_BEFORE_APPROVAL})`,
    );
    await q.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "campaigns_status_check"`);
    await q.query(
      `ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_status_check" CHECK ("status" IN ('DRAFT', 'PENDING_REVIEW', 'LIVE', 'REJECTED', 'CLOSING', 'SETTLED', 'FAILED', 'REFUNDED', 'CANCELLED', 'SUSPENDED'))`,
    );
    await q.query(
      `ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_risk_rating_check" CHECK (("risk_rating" IS NULL OR "risk_rating" IN ('R1', 'R2', 'R3', 'R4', 'R5')) AND ("risk_rating" IS NOT NULL OR "status" IN (${OPEN_BEFORE_APPROVAL})))`,
    );
    await q.query(
      `ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_proposed_risk_rating_check" CHECK ("proposed_risk_rating" IS NULL OR ("kind" IN ('EQUITY', 'DEBT') AND "proposed_risk_rating" IN ('R1', 'R2', 'R3', 'R4', 'R5')))`,
    );
    await q.query(
      `ALTER TABLE "campaign_transitions" ADD "details" jsonb NOT NULL DEFAULT '{}'::jsonb`,
    );
    // Existing rows got {}; new ones always say what they carry.
    await q.query(`ALTER TABLE "campaign_transitions" ALTER COLUMN "details" DROP DEFAULT`);

    // INV-7 counters: claimed by a pledge (LIVE, before the deadline, under the hard cap and the
    // investor cap; then the tier's stock), given back when pledges end.
    await q.query(`
      CREATE FUNCTION "campaign_claim"(p_campaign uuid, p_amount numeric, p_new_investor integer,
        p_tier uuid, p_now timestamptz, OUT o_campaign boolean, OUT o_tier boolean)
      LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE campaigns SET committed = committed + p_amount,
          investor_count = investor_count + p_new_investor, updated_at = p_now
        WHERE id = p_campaign AND status = 'LIVE' AND deadline > p_now
          AND committed + p_amount <= max_amount
          AND (investor_cap IS NULL OR investor_count + p_new_investor <= investor_cap);
        o_campaign := FOUND;
        o_tier := p_tier IS NULL;
        IF o_campaign AND p_tier IS NOT NULL THEN
          UPDATE reward_tiers SET claimed = claimed + 1
          WHERE id = p_tier AND campaign_id = p_campaign AND claimed < stock;
          o_tier := FOUND;
        END IF;
      END
      $$`);
    await q.query(`
      CREATE FUNCTION "campaign_release"(p_campaign uuid, p_amount numeric, p_investors integer,
        p_now timestamptz) RETURNS integer LANGUAGE sql AS $$
        WITH released AS (
          UPDATE campaigns SET committed = committed - p_amount,
            investor_count = investor_count - p_investors, updated_at = p_now
          WHERE id = p_campaign RETURNING 1)
        SELECT count(*)::int FROM released
      $$`);
    await q.query(`
      CREATE FUNCTION "campaign_release_tiers"(p_tiers uuid[], p_counts integer[])
      RETURNS integer LANGUAGE sql AS $$
        WITH released AS (
          UPDATE reward_tiers t SET claimed = t.claimed - g.n
          FROM unnest(p_tiers, p_counts) AS g(id, n) WHERE t.id = g.id RETURNING 1)
        SELECT count(*)::int FROM released
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION "campaign_release_tiers"(uuid[], integer[])`);
    await q.query(`DROP FUNCTION "campaign_release"(uuid, numeric, integer, timestamptz)`);
    await q.query(`DROP FUNCTION "campaign_claim"(uuid, numeric, integer, uuid, timestamptz)`);
    await q.query(`ALTER TABLE "campaign_transitions" DROP COLUMN "details"`);
    await q.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "campaigns_proposed_risk_rating_check"`);
    await q.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "campaigns_risk_rating_check"`);
    await q.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "campaigns_status_check"`);
    await q.query(`UPDATE "campaigns" SET "status" = 'LIVE' WHERE "status" = 'SUSPENDED'`);
    await q.query(
      `ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_status_check" CHECK ("status" IN ('DRAFT', 'PENDING_REVIEW', 'LIVE', 'REJECTED', 'CLOSING', 'SETTLED', 'FAILED', 'REFUNDED', 'CANCELLED'))`,
    );
    await q.query(
      `UPDATE "campaigns" SET "risk_rating" = CASE WHEN "kind" IN ('EQUITY', 'DEBT') THEN coalesce("risk_rating", "proposed_risk_rating", 'R5') END`,
    );
    await q.query(
      `ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_risk_rating_check" CHECK (("kind" IN ('EQUITY', 'DEBT')) = ("risk_rating" IS NOT NULL) AND ("risk_rating" IS NULL OR "risk_rating" IN ('R1', 'R2', 'R3', 'R4', 'R5')))`,
    );
    await q.query(`ALTER TABLE "campaigns" DROP COLUMN "rating_reason"`);
    await q.query(`ALTER TABLE "campaigns" DROP COLUMN "proposed_risk_rating"`);
  }
}
