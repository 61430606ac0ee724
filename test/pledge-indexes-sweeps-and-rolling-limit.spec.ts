import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * Issue 18: which index each pledge read can reach, on the migrated schema. The sweeps and the
 * call queue must reach `pledges_call_queue_idx`; the rolling-limit read (INV-9, CN-PF-10) must
 * not (it holds only pledges in their windows: paired with `pledges_investor_idx` it read an
 * entry for every pledge in five statuses, migration 1765980000000); it is answered from
 * `pledges_investor_idx` alone (migration 1766050000000). Plans are asked for with sequential
 * scans priced out, inside a transaction that is rolled back; the last test seeds and vacuums.
 */
describe('pledge indexes: the sweeps reach their partial indexes, the rolling limit its covering one', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  const plan = async (sql: string, values: unknown[], before: string[] = []): Promise<string> => {
    await client.query('BEGIN');
    try {
      await client.query('SET LOCAL enable_seqscan = off');
      for (const statement of before) await client.query(statement);
      const rows = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, values);
      return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await client.query('ROLLBACK');
    }
  };

  it.each([
    [['COOLING_OFF']],
    [['AWAITING_CONFIRMATION']],
    [['COOLING_OFF', 'AWAITING_CONFIRMATION']],
  ])('CN-PF-06 / CN-PF-07: the sweep over %j reads pledges_call_queue_idx', async (statuses) => {
    const text = await plan(
      `SELECT id FROM pledges WHERE status = ANY($1) AND cooling_off_ends_at <= $2
          ORDER BY cooling_off_ends_at LIMIT 100 FOR UPDATE SKIP LOCKED`,
      [statuses, new Date()],
    );
    expect(text).toContain('pledges_call_queue_idx');
  });

  it('CN-SUIT-14: the sweep of expired reconfirmations reads pledges_reconfirm_due_idx', async () => {
    const text = await plan(
      `SELECT id FROM pledges WHERE status = ANY($3) AND reconfirm_by <= $1
          ORDER BY reconfirm_by LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [new Date(), 100, ['AWAITING_RECONFIRMATION']],
      // On this empty table the planner may walk pledges_campaign_status_idx whole (status is its
      // second column); with history it would read every entry. The bench's history.plans show
      // the choice on 1,100,000 pledges.
      ['DROP INDEX pledges_campaign_status_idx'],
    );
    expect(text).toContain('pledges_reconfirm_due_idx');
  });

  it('CN-PF-10 / INV-9: the rolling-limit read cannot use pledges_call_queue_idx, even without the investor indexes', async () => {
    // With the investor's own indexes gone (dropped in the rolled-back transaction), the only
    // index left that could answer `status = ANY(...)` would be the call queue's.
    const text = await plan(
      `SELECT coalesce(sum(amount), 0) FROM pledges
        WHERE investor_id = $1 AND created_at >= $2 AND financial AND status = ANY($3)`,
      [
        '00000000-0000-4000-8000-000000000001',
        new Date(Date.now() - 365 * 86_400_000),
        ['COOLING_OFF', 'AWAITING_CONFIRMATION', 'ACTIVE', 'AWAITING_RECONFIRMATION', 'SETTLED'],
      ],
      ['DROP INDEX pledges_investor_idx', 'DROP INDEX pledges_investor_campaign_idx'],
    );
    expect(text).not.toContain('pledges_call_queue_idx');
  });

  it('CN-PF-10 / INV-9: the rolling-limit read is an index-only scan of pledges_investor_idx (migration 1766050000000)', async () => {
    // 300 pledges of one investor among 30,300, seeded as a superuser bypassing the foreign keys'
    // triggers (the rows need no campaign, user or hold here), then vacuumed as autovacuum would.
    const investor = '00000000-0000-4000-8000-00000000000a';
    await client.query(`SET session_replication_role = replica`);
    try {
      await client.query(
        `INSERT INTO pledges (id, campaign_id, investor_id, amount, currency, status, hold_transfer_id,
           confirmation_required, created_at, updated_at, ended_at, financial)
         SELECT gen_random_uuid(), gen_random_uuid(),
                CASE WHEN g % 101 = 0 THEN $1::uuid ELSE gen_random_uuid() END,
                1 + g % 7, 'CNY', (ARRAY['ACTIVE', 'SETTLED', 'COOLING_OFF'])[1 + g % 3],
                gen_random_uuid(), false, now() - (g % 700) * interval '1 day',
                now(), CASE WHEN g % 3 = 1 THEN now() END, g % 5 <> 0
         FROM generate_series(1, 30300) g`,
        [investor],
      );
    } finally {
      await client.query(`SET session_replication_role = DEFAULT`);
    }
    await client.query('VACUUM ANALYZE pledges');
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF)
       SELECT coalesce(sum(amount), 0) FROM pledges
        WHERE investor_id = $1 AND created_at >= $2 AND financial AND status = ANY($3)`,
      [
        investor,
        new Date(Date.now() - 365 * 86_400_000),
        ['COOLING_OFF', 'AWAITING_CONFIRMATION', 'ACTIVE', 'AWAITING_RECONFIRMATION', 'SETTLED'],
      ],
    );
    const text = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('Index Only Scan using pledges_investor_idx');
    expect(text).toContain('Heap Fetches: 0');
  });
});
