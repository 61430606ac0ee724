import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cursor pagination on the remaining list routes (issue 16, after migration 1765850000000): each
 * list reads in a keyset order, its sort key with a unique tie-breaker (src/database/keyset-page),
 * so each gets an index ending in `(key, tie-breaker)` under its filter. An index that was the
 * same without the tie-breaker is replaced under its name; the others are new. (The investor's
 * holdings already had theirs: holdings_investor_idx.)
 */
const INDEXES: { name: string; table: string; columns: string; old?: string }[] = [
  {
    name: 'donation_receipts_donor_idx',
    table: 'donation_receipts',
    columns: '"donor_id", "issued_at", "id"',
    old: '"donor_id", "issued_at"',
  },
  {
    name: 'donation_receipts_campaign_idx',
    table: 'donation_receipts',
    columns: '"campaign_id", "number", "id"',
    old: '"campaign_id", "number"',
  },
  {
    name: 'loans_borrower_idx',
    table: 'loans',
    columns: '"borrower_id", "created_at", "id"',
    old: '"borrower_id"',
  },
  {
    name: 'loans_status_idx',
    table: 'loans',
    columns: '"status", "created_at", "id"',
    old: '"status"',
  },
  { name: 'loans_created_idx', table: 'loans', columns: '"created_at", "id"' },
  { name: 'pledges_call_queue_idx', table: 'pledges', columns: '"cooling_off_ends_at", "id"' },
  {
    name: 'distributions_campaign_idx',
    table: 'distributions',
    columns: '"campaign_id", "announced_at", "id"',
    old: '"campaign_id", "announced_at"',
  },
  {
    name: 'distribution_payments_investor_idx',
    table: 'distribution_payments',
    columns: '"investor_id", "paid_at", "distribution_id"',
    old: '"investor_id", "paid_at"',
  },
];

export class MoreListKeysetIndexes1765920000000 implements MigrationInterface {
  name = 'MoreListKeysetIndexes1765920000000';

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
