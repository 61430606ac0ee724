import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for reading the audit trail (CONV-05, GET /admin/audit-events). Each filter is an OR of
 * two conditions, each served by its own index (a BitmapOr), then the newest `limit` by id:
 *   userId      actor_id (audit_events_actor_idx) or subject `user` (audit_events_subject_idx)
 *   campaignId  subject `campaign` (audit_events_subject_idx) or details->>'campaignId'
 *   code        action (audit_events_action_idx) or details->>'code' (a refusal's code)
 *   from / to   occurred_at
 * The two on `details` are partial: only events that carry the key are indexed.
 */
export class AuditEventIndexes1765000400000 implements MigrationInterface {
  name = 'AuditEventIndexes1765000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "audit_events_actor_idx" ON "audit_events" ("actor_id", "id")`);
    await q.query(`CREATE INDEX "audit_events_action_idx" ON "audit_events" ("action", "id")`);
    await q.query(
      `CREATE INDEX "audit_events_occurred_at_idx" ON "audit_events" ("occurred_at", "id")`,
    );
    await q.query(`
      CREATE INDEX "audit_events_details_campaign_idx" ON "audit_events" (("details" ->> 'campaignId'), "id")
      WHERE ("details" ->> 'campaignId') IS NOT NULL`);
    await q.query(`
      CREATE INDEX "audit_events_details_code_idx" ON "audit_events" (("details" ->> 'code'), "id")
      WHERE ("details" ->> 'code') IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "audit_events_details_code_idx"`);
    await q.query(`DROP INDEX "audit_events_details_campaign_idx"`);
    await q.query(`DROP INDEX "audit_events_occurred_at_idx"`);
    await q.query(`DROP INDEX "audit_events_action_idx"`);
    await q.query(`DROP INDEX "audit_events_actor_idx"`);
  }
}
