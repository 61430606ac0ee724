import type pg from 'pg';
import type { PledgeWorld } from './pledge-setup.js';
import { timeOrderedUuidSql, transferIdSql } from './ids-sql.js';

const STATEMENT_ROWS = 50_000; // one INSERT ... SELECT per 50,000 rows
const PLEDGES_PER_INVESTOR = 20;
const PLEDGES_PER_CAMPAIGN = 100;

export interface HistoryLoaded {
  pledges: number;
  transfers: number;
  investors: number;
  campaigns: number;
  seconds: number;
}

/**
 * Years of history, seeded set-based (issue 18: the pledge's cost must not grow with it): other
 * investors (one per 20 pledges) who pledged on other, SETTLED campaigns (one per 100 pledges),
 * over the three years before now. Each history pledge has its hold (PLEDGE, PENDING) and the hold's
 * POST, as a settled pledge has; the investors' deposits come first, and the transfers left over
 * (up to `transfers`) are more deposits. The holds and posts go through the ledger's statement
 * trigger like any transfer (account counters, INV-5). Rows land in chunks of 50,000, then
 * `VACUUM ANALYZE` (what autovacuum would have done by then) and a `CHECKPOINT` (likewise).
 */
export async function preloadHistory(
  pool: pg.Pool,
  sizes: { pledges: number; transfers: number; templateCampaign: string },
  log: (m: string) => void,
): Promise<HistoryLoaded> {
  const started = performance.now();
  const pledges = sizes.pledges;
  const investors = Math.max(1, Math.ceil(pledges / PLEDGES_PER_INVESTOR));
  const campaigns = Math.max(1, Math.ceil(pledges / PLEDGES_PER_CAMPAIGN));
  const chunks = async (total: number, insert: (from: number, to: number) => Promise<unknown>) => {
    for (let from = 1; from <= total; from += STATEMENT_ROWS)
      await insert(from, Math.min(total, from + STATEMENT_ROWS - 1));
  };
  await pool.query(
    `INSERT INTO users (id, email, password_hash, role, kind, created_at, email_verified_at)
     SELECT gen_random_uuid(), 'history-' || g || '@bench.example', 'not-a-hash', 'INVESTOR', 'PERSON',
            now() - interval '3 years', now() - interval '3 years'
     FROM generate_series(1, $1::int) g`,
    [investors],
  );
  await pool.query(
    `INSERT INTO campaigns (id, founder_id, kind, offering, funding_model, title, summary, currency, target_amount,
       max_amount, min_pledge, max_pledge, unit_price, deadline, risk_rating, investor_cap, fee_rate, status,
       committed, investor_count, rejection_reason, created_at, updated_at, published_at)
     SELECT gen_random_uuid(), founder_id, kind, offering, funding_model, 'History ' || g, summary, currency,
       target_amount, max_amount, min_pledge, max_pledge, unit_price, now() - (g % 1000) * interval '1 day',
       risk_rating, investor_cap, fee_rate, 'SETTLED', 0, 0, NULL, now() - interval '3 years', now(), now() - interval '3 years'
     FROM campaigns c, generate_series(1, $2::int) g WHERE c.id = $1`,
    [sizes.templateCampaign, campaigns],
  );
  await pool.query(
    `INSERT INTO ledger_accounts (id, code, kind, currency, created_at)
     SELECT gen_random_uuid(), 'investor:' || id || ':available', 'LIABILITY', 'CNY', now()
     FROM users WHERE email LIKE 'history-%'
     UNION ALL
     SELECT gen_random_uuid(), 'campaign:' || id || ':escrow', 'LIABILITY', 'CNY', now()
     FROM campaigns WHERE title LIKE 'History %'`,
  );
  // Numbered views of both, so that the n-th history pledge finds its investor and campaign.
  await pool.query(`CREATE UNLOGGED TABLE history_investor (n int PRIMARY KEY, account uuid)`);
  await pool.query(`CREATE UNLOGGED TABLE history_campaign (n int PRIMARY KEY, account uuid)`);
  await pool.query(
    `INSERT INTO history_investor SELECT row_number() OVER (ORDER BY a.id), a.id
     FROM users u JOIN ledger_accounts a ON a.code = 'investor:' || u.id || ':available'
     WHERE u.email LIKE 'history-%'`,
  );
  await pool.query(
    `INSERT INTO history_campaign SELECT row_number() OVER (ORDER BY a.id), a.id
     FROM campaigns c JOIN ledger_accounts a ON a.code = 'campaign:' || c.id || ':escrow'
     WHERE c.title LIKE 'History %'`,
  );
  try {
    const deposits = investors;
    const posts = Math.max(0, Math.min(pledges, sizes.transfers - deposits - pledges));
    const filler = Math.max(0, sizes.transfers - deposits - pledges - posts);
    await chunks(deposits + filler, (from, to) =>
      pool.query(
        `INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, reference, created_at)
         SELECT gen_random_uuid(), 'DEPOSIT', 'POSTED', c.id, i.account,
                CASE WHEN g <= $3 THEN 1000000 ELSE 1 + (g % 9973) / 100.0 END, 'CNY', 'history-dep-' || g,
                now() - interval '3 years' + (g % 1000) * interval '1 day'
         FROM generate_series($1::int, $2::int) g
         JOIN history_investor i ON i.n = 1 + (g - 1) % $3::int
         CROSS JOIN (SELECT id FROM ledger_accounts WHERE code = 'custody:cash') c`,
        [from, to, investors],
      ),
    );
    log(`history: ${deposits + filler} deposits`);
    // Each chunk of holds, then their pledges (SETTLED, spread over three years; evidence of the
    // application's shape and size), then the holds' posts.
    await chunks(pledges, async (from, to) => {
      const seq = await pool.query<{ seq: string }>(
        `SELECT coalesce(max(seq), 0)::text AS seq FROM ledger_transfers`,
      );
      await pool.query(
        `INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, reference, created_at)
         SELECT ${transferIdSql(`'pledge:' || x.pledge_id`)}, 'PLEDGE', 'PENDING', x.debit, x.credit,
                x.amount, 'CNY', 'pledge:' || x.pledge_id, x.at
         FROM (
           SELECT i.account AS debit, c.account AS credit, 1 + (g % 500) / 100.0 AS amount, ts.at,
                  ${timeOrderedUuidSql('ts.at')} AS pledge_id
           FROM generate_series($1::int, $2::int) g
           CROSS JOIN LATERAL (SELECT now() - interval '3 years' + (g % 1090) * interval '1 day' AS at) ts
           JOIN history_investor i ON i.n = 1 + (g - 1) % $3::int
           JOIN history_campaign c ON c.n = 1 + (g - 1) % $4::int) x`,
        [from, to, investors, campaigns],
      );
      await pool.query(
        `WITH pledged AS (
           INSERT INTO pledges (id, campaign_id, investor_id, amount, currency, status, hold_transfer_id,
             confirmation_required, created_at, updated_at, ended_at, financial)
           SELECT substr(t.reference, 8)::uuid, substr(c.code, 10, 36)::uuid, substr(d.code, 10, 36)::uuid,
                  t.amount, t.currency, 'SETTLED', t.id, false,
                  t.created_at, t.created_at + interval '30 days', t.created_at + interval '30 days', true
           FROM ledger_transfers t
           JOIN ledger_accounts d ON d.id = t.debit_account_id
           JOIN ledger_accounts c ON c.id = t.credit_account_id
           WHERE t.seq > $1::bigint AND t.kind = 'PLEDGE' AND t.status = 'PENDING'
           RETURNING id, created_at)
         INSERT INTO pledge_evidence (pledge_id, evidence)
         SELECT id, ${pledgeEvidenceSql('created_at')} FROM pledged`,
        [seq.rows[0].seq],
      );
      const postsHere = Math.max(0, Math.min(to, posts) - from + 1);
      if (postsHere > 0)
        await pool.query(
          `INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, pending_id, reference, created_at)
           SELECT ${transferIdSql(`'post:' || h.id`)}, 'PLEDGE', 'POST', h.debit_account_id, h.credit_account_id, h.amount, h.currency, h.id,
                  h.reference, h.created_at + interval '30 days'
           FROM (SELECT * FROM ledger_transfers WHERE seq > $1::bigint AND status = 'PENDING' ORDER BY seq LIMIT $2) h`,
          [seq.rows[0].seq, postsHere],
        );
    });
    log(`history: ${pledges} pledges with their holds, ${posts} of the holds posted`);
  } finally {
    await pool.query(`DROP TABLE IF EXISTS history_investor, history_campaign`);
  }
  await pool.query('VACUUM ANALYZE');
  // The load leaves gigabytes of dirty pages; without a checkpoint here the checkpointer writes
  // them out during the first measured runs (2026-12-06 09:44 UTC: that round's honest reference
  // p99 331 ms, the HTTP run half its usual rate). Years of history would have been written long ago.
  await pool.query('CHECKPOINT');
  const [counts] = (
    await pool.query<{ pledges: string; transfers: string }>(
      `SELECT (SELECT count(*) FROM pledges)::text AS pledges, (SELECT count(*) FROM ledger_transfers)::text AS transfers`,
    )
  ).rows;
  return {
    pledges: Number(counts.pledges),
    transfers: Number(counts.transfers),
    investors,
    campaigns,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  };
}

/**
 * A pledge's admission evidence as the application records it (the same keys, about the same
 * size), made at `at`: seeded pledges are as wide as real ones, so their rows fill heap pages alike.
 */
export function pledgeEvidenceSql(at: string): string {
  return `jsonb_build_object('rulePack', 'CN', 'decidedAt', ${at}, 'suitability', 'SUITABLE',
                  'category', 'ORDINARY', 'qualified', false, 'riskLevel', 'C5', 'lowestCategory', false,
                  'productRisk', 'R1', 'assessmentId', gen_random_uuid(), 'annualLimit', '10000000.00',
                  'limitInputs', jsonb_build_object('annualIncome', '100000000.00', 'financialAssets', '0.00',
                    'netWorth', '0.00', 'windowDays', 365),
                  'platformAcknowledgementId', gen_random_uuid(), 'campaignAcknowledgementId', gen_random_uuid(),
                  'leadMemoAcknowledgementId', NULL, 'specialWarningId', NULL, 'specialWarning', NULL,
                  'windows', jsonb_build_object('coolingOffEndsAt', NULL, 'confirmationRequired', false),
                  'rules', jsonb_build_array('PLAT-01', 'PLAT-03', 'PLAT-09', 'CN-SUIT-09', 'CN-ECF-03', 'CN-PF-06', 'CN-PF-10'),
                  'usedBefore', '0.00')`;
}

/**
 * The plans Postgres chooses, on the loaded database, for the two reads inside a pledge's
 * statement that touch many rows (the rolling-limit sum and the live-pledge check), for the first
 * investor on the hot campaign: which index answers them, and how many rows it reads.
 */
export async function historyPlans(
  pool: pg.Pool,
  world: PledgeWorld,
): Promise<Record<string, string[]>> {
  const live = ['COOLING_OFF', 'AWAITING_CONFIRMATION', 'ACTIVE', 'AWAITING_RECONFIRMATION'];
  const investor = world.investors[0].userId;
  const plan = async (sql: string, values: unknown[]) =>
    (
      await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, values)
    ).rows.map((r) => r['QUERY PLAN']);
  return {
    rollingLimitSum: await plan(
      `SELECT coalesce(sum(amount), 0) FROM pledges
       WHERE investor_id = $1 AND created_at >= now() - interval '365 days' AND financial AND status = ANY($2)`,
      [investor, [...live, 'SETTLED']],
    ),
    livePledgeOnCampaign: await plan(
      `SELECT EXISTS (SELECT 1 FROM pledges WHERE campaign_id = $1 AND investor_id = $2 AND status = ANY($3))`,
      [world.hot.campaign, investor, live],
    ),
    // The cooling-off sweep's pick (every SettlementService.runOnce()): only the pledges in the
    // status it asks for, through `pledges_call_queue_idx` (status first, migration 1765970000000).
    coolingOffSweep: await plan(
      `SELECT id FROM pledges WHERE status = ANY($1) AND cooling_off_ends_at <= now()
       ORDER BY cooling_off_ends_at LIMIT 10000`,
      [['COOLING_OFF']],
    ),
    // The reconfirmation sweep's pick (CN-SUIT-14, every runOnce()): through
    // `pledges_reconfirm_due_idx` (migration 1766000000000), not a scan of every pledge.
    reconfirmationSweep: await plan(
      `SELECT id FROM pledges WHERE status = ANY($1) AND reconfirm_by <= now()
       ORDER BY reconfirm_by LIMIT 10000`,
      [['AWAITING_RECONFIRMATION']],
    ),
  };
}

/** Loads the history into `pool`'s database (the bench's copy of the fresh one). */
export async function loadHistory(
  pool: pg.Pool,
  world: PledgeWorld,
  counts: { pledges: number; transfers: number },
  log: (m: string) => void,
): Promise<HistoryLoaded> {
  log(`loading history: ${counts.pledges} pledges, ${counts.transfers} transfers`);
  const loaded = await preloadHistory(
    pool,
    { pledges: counts.pledges, transfers: counts.transfers, templateCampaign: world.hot.campaign },
    log,
  );
  log(`history loaded in ${loaded.seconds} s`);
  return loaded;
}
