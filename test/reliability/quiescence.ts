import type pg from 'pg';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Lets the child's sweeps run until nothing changes, no campaign is between states and no pledge
 * waits on a window (each one confirmed or timed out, DESIGN §6).
 */
export async function quiesce(sql: pg.Client): Promise<Record<string, string>> {
  const deadline = Date.now() + 120_000;
  let last = '';
  let stableSince = Date.now();
  for (;;) {
    const r = await sql.query<{ state: string; busy: boolean }>(
      `SELECT (SELECT string_agg(status, ',' ORDER BY id) FROM campaigns) || '|' ||
              (SELECT string_agg(status || ':' || n, ',' ORDER BY status) FROM (SELECT status, count(*) n FROM pledges GROUP BY status) p) || '|' ||
              (SELECT count(*) FROM ledger_transfers) AS state,
              EXISTS (SELECT 1 FROM campaigns WHERE status IN ('CLOSING', 'FAILED')) OR
              EXISTS (SELECT 1 FROM pledges WHERE status IN ('COOLING_OFF', 'AWAITING_CONFIRMATION', 'AWAITING_RECONFIRMATION')) AS busy`,
    );
    const { state, busy } = r.rows[0];
    if (state !== last) {
      last = state;
      stableSince = Date.now();
    } else if (!busy && Date.now() - stableSince > 1500) break;
    if (Date.now() > deadline) throw new Error(`no quiescence within 120 s: ${state}`);
    await sleep(250);
  }
  const campaigns = await sql.query<{ id: string; status: string }>(
    `SELECT id, status FROM campaigns ORDER BY created_at`,
  );
  return Object.fromEntries(campaigns.rows.map((c) => [c.id, c.status]));
}

/** Waits for the child's sealer to seal every transfer (INV-11), polling the commit horizon. */
export async function waitSealed(sql: pg.Client): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await sql.query<{ unsealed: string }>(
      `SELECT count(*)::text AS unsealed FROM ledger_transfers
       WHERE tx_id >= coalesce((SELECT to_tx_id FROM ledger_blocks ORDER BY height DESC LIMIT 1), '1'::xid8)`,
    );
    if (r.rows[0].unsealed === '0') return;
    if (Date.now() > deadline) throw new Error(`${r.rows[0].unsealed} transfers still unsealed`);
    await sleep(200);
  }
}
