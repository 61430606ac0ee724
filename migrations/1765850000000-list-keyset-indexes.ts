import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cursor pagination on every list route (issue 16): each list reads in a keyset order, its sort key
 * with the row id as tie-breaker (src/common/pagination), so each gets an index ending in
 * `(key, id)` under its filter. An index that was the same without the id is replaced under its
 * name; the others are new.
 */
const INDEXES: { name: string; table: string; columns: string; old?: string }[] = [
  {
    name: 'campaign_updates_campaign_idx',
    table: 'campaign_updates',
    columns: '"campaign_id", "created_at", "id"',
    old: '"campaign_id", "created_at"',
  },
  {
    name: 'pledges_investor_idx',
    table: 'pledges',
    columns: '"investor_id", "created_at", "id"',
    old: '"investor_id", "created_at"',
  },
  {
    name: 'classification_applications_status_idx',
    table: 'classification_applications',
    columns: '"status", "submitted_at", "id"',
    old: '"status", "submitted_at"',
  },
  {
    name: 'classification_applications_submitted_idx',
    table: 'classification_applications',
    columns: '"submitted_at", "id"',
  },
  {
    name: 'disclosure_acknowledgements_user_idx',
    table: 'disclosure_acknowledgements',
    columns: '"user_id", "acknowledged_at", "id"',
  },
  {
    name: 'credit_records_user_idx',
    table: 'credit_records',
    columns: '"user_id", "created_at", "id"',
    old: '"user_id"',
  },
  { name: 'credit_records_created_idx', table: 'credit_records', columns: '"created_at", "id"' },
  {
    name: 'webhook_deliveries_endpoint_idx',
    table: 'webhook_deliveries',
    columns: '"endpoint_id", "created_at", "id"',
    old: '"endpoint_id", "created_at"',
  },
];

export class ListKeysetIndexes1765850000000 implements MigrationInterface {
  name = 'ListKeysetIndexes1765850000000';

  async up(q: QueryRunner): Promise<void> {
    for (const index of INDEXES) {
      if (index.old) await q.query(`DROP INDEX "${index.name}"`);
      await q.query(`CREATE INDEX "${index.name}" ON "${index.table}" (${index.columns})`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of [...INDEXES].reverse()) {
      await q.query(`DROP INDEX "${index.name}"`);
      if (index.old)
        await q.query(`CREATE INDEX "${index.name}" ON "${index.table}" (${index.old})`);
    }
  }
}
