import { randomUUID } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import {
  benchDatabase,
  benchPool,
  budgetTable,
  drive,
  judge,
  machine,
  type RunResult,
  startServiceProcess,
  table,
  writeResults,
} from './harness.js';

const CAMPAIGNS = Number(process.env.BENCH_CAMPAIGNS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SEARCH_SECONDS ?? 15);
const CONCURRENCY = 4;
const P95_BUDGET_MS = 150;

/**
 * Vocabulary: 200 two-character "words" (20 x 10 characters). A story is 24 words drawn by a
 * hash of (campaign, position), so each word is in about 11% of the campaigns; 众筹 is in a third;
 * 非遗 in one campaign in a thousand; a Latin word in one in twenty.
 */
const FIRST = '山水花木风云天地日月金石春秋江河星光竹松';
const SECOND = '茶书画琴酒灯衣鞋车船';
const WORDS = [...FIRST].flatMap((a) => [...SECOND].map((b) => a + b));
const SORTS = ['newest', 'ending', 'most-funded', 'progress'] as const;
const CATEGORIES = ['TECHNOLOGY', 'DESIGN', 'FOOD', 'CULTURE', 'AGRICULTURE', 'COMMUNITY'];

/** 100,000 LIVE reward and donation campaigns with Chinese titles and stories, by SQL. */
async function load(pool: pg.Pool, founderId: string, log: (m: string) => void): Promise<void> {
  const chunk = 10_000;
  for (let from = 1; from <= CAMPAIGNS; from += chunk) {
    const to = Math.min(CAMPAIGNS, from + chunk - 1);
    await pool.query(
      `INSERT INTO campaigns (id, founder_id, kind, offering, funding_model, title, summary, currency,
         target_amount, max_amount, min_pledge, deadline, risk_rating, fee_rate, status, committed,
         investor_count, created_at, updated_at, published_at)
       SELECT md5('bench-' || g)::uuid, $3, CASE WHEN g % 5 = 0 THEN 'DONATION' ELSE 'REWARD' END, NULL,
              'ALL_OR_NOTHING',
              w.words[1 + (g * 7) % 200] || w.words[1 + (g * 13) % 200] ||
                CASE WHEN g % 20 = 0 THEN ' solar lamp ' ELSE ' ' END || '项目 ' || g,
              '第 ' || g || ' 个城市项目', 'CNY',
              t.target, t.target * 2, 10,
              timestamptz '2027-01-01' + (g % 9973) * interval '1 hour', 'R1', 0.05, 'LIVE',
              round((t.target * ((g * 37) % 180) / 100.0)::numeric, 2), (g * 37) % 180,
              timestamptz '2026-01-01' + g * interval '1 minute', now(), now()
       FROM generate_series($1::int, $2::int) g
       CROSS JOIN (SELECT $4::text[] AS words) w
       CROSS JOIN LATERAL (SELECT (1000 * (1 + g % 97))::numeric(20,2) AS target) t`,
      [from, to, founderId, WORDS],
    );
    // Every new campaign got its page row from the trigger; now its story and category.
    await pool.query(
      `UPDATE campaign_content cc SET
         category = ($3::text[])[1 + s.g % 6],
         story = s.story
       FROM (
         SELECT md5('bench-' || g)::uuid AS id, g,
           (SELECT string_agg(($4::text[])[1 + ((g * 31 + k * 17 + (g / 7) * k) % 200)] ||
                              CASE WHEN k % 4 = 0 THEN '，' ELSE '' END, '' ORDER BY k)
            FROM generate_series(1, 24) k) ||
           CASE WHEN g % 3 = 0 THEN '我们的众筹为城市带来改变。' ELSE '' END ||
           CASE WHEN g % 1000 = 0 THEN '保护非遗手艺。' ELSE '' END AS story
         FROM generate_series($1::int, $2::int) g
       ) s
       WHERE cc.campaign_id = s.id`,
      [from, to, CATEGORIES, WORDS],
    );
    log(`${to} campaigns`);
  }
}

export async function runSearchBench(): Promise<void> {
  const db = await benchDatabase('search');
  const { log } = db;
  const pool = benchPool(db.url, 4, db.log);
  let stopService = async (): Promise<void> => undefined;
  try {
    const { DATABASE_URL: _unused, ...env } = process.env;
    const service = await startServiceProcess({
      ...env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: db.url,
      SEAL_INTERVAL_MS: '0',
      SWEEP_INTERVAL_MS: '0',
      NOTIFICATION_DISPATCH_INTERVAL_MS: '0',
    });
    stopService = service.stop;
    const base = `${service.origin}/api/v1`;
    const registered = await fetch(`${base}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `founder-${randomUUID()}@bench.example`,
        password: 'bench-password-123',
        role: 'FOUNDER',
        kind: 'ORGANIZATION',
      }),
    });
    const founderId = ((await registered.json()) as { id: string }).id;

    const t0 = performance.now();
    await load(pool, founderId, log);
    const loadSeconds = (performance.now() - t0) / 1000;
    await pool.query('VACUUM ANALYZE campaigns, campaign_content');
    const [{ n }] = (await pool.query(`SELECT count(*)::int AS n FROM campaigns`)).rows as {
      n: number;
    }[];
    log(`${n} campaigns loaded in ${loadSeconds.toFixed(1)} s`);

    const pick = <T>(items: readonly T[], i: number): T => items[i % items.length];
    const get = async (query: Record<string, string>) => {
      const res = await fetch(`${base}/campaigns?${new URLSearchParams(query).toString()}`);
      if (res.status !== 200) throw new Error(`search: ${res.status}`);
      return (await res.json()) as { items: unknown[]; nextCursor: string | null };
    };
    const matches = async (q: string): Promise<number> => {
      const result = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM campaign_content WHERE search_text LIKE '%' || $1 || '%'`,
        [q],
      );
      return result.rows[0]?.n ?? 0;
    };

    const classes: [string, (w: number, i: number) => Promise<unknown>][] = [
      // A two-character word found in about one campaign in nine, ranked by each sort in turn.
      ['q: common 2-char word', (w, i) => get({ q: pick(WORDS, i * 7 + w), sort: pick(SORTS, i) })],
      ['q: 众筹 (a third of all)', (w, i) => get({ q: '众筹', sort: pick(SORTS, i + w) })],
      ['q: rare 2-char word', (w, i) => get({ q: '非遗', sort: pick(SORTS, i + w) })],
      [
        'q: 4-char phrase',
        (w, i) => get({ q: pick(WORDS, i + w) + pick(WORDS, i * 3 + 1), sort: pick(SORTS, i) }),
      ],
      ['q: latin "solar lamp"', (w, i) => get({ q: 'solar lamp', sort: pick(SORTS, i + w) })],
      [
        'browse: category + sort',
        (w, i) => get({ category: pick(CATEGORIES, i + w), sort: pick(SORTS, i) }),
      ],
      [
        'q + second page (cursor)',
        async (w, i) => {
          const query = { q: pick(WORDS, i * 5 + w), sort: pick(SORTS, i) };
          const first = await get(query);
          if (first.nextCursor) await get({ ...query, cursor: first.nextCursor });
        },
      ],
    ];
    const runs: RunResult[] = [];
    for (const [name, op] of classes) runs.push(await drive(name, CONCURRENCY, SECONDS, op));
    const mixed = await drive('mixed (all of the above)', CONCURRENCY, SECONDS, (w, i) =>
      (classes[(i + w) % classes.length]?.[1] ?? (() => Promise.resolve()))(w, i),
    );
    runs.push(mixed);
    process.stdout.write(`${table(runs)}\n`);

    const plan = (
      await pool.query(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT)
         SELECT c.id FROM campaigns c JOIN campaign_content cc ON cc.campaign_id = c.id
         WHERE c.status IN ('LIVE') AND c.kind NOT IN ('EQUITY', 'DEBT')
           AND cc.search_bigrams LIKE '% 非遗 %' AND cc.search_text LIKE '%非遗%'
         ORDER BY c.created_at DESC, c.id DESC LIMIT 21`,
      )
    ).rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']);
    // The database's share: the repository's statement for each sort, timed by Postgres itself.
    const sqlExecutionMs: Record<string, { p50: number; p95: number }> = {};
    const ORDER: Record<string, string> = {
      newest: 'c.created_at DESC, c.id DESC',
      ending: 'c.deadline ASC, c.id ASC',
      'most-funded': 'c.committed DESC, c.id DESC',
      progress: '(c.committed / c.target_amount) DESC, c.id DESC',
    };
    for (const [label, word] of [
      ['common word', WORDS[7] ?? ''],
      ['众筹', '众筹'],
      ['非遗', '非遗'],
    ] as const) {
      for (const sort of SORTS) {
        const times: number[] = [];
        for (let i = 0; i < 15; i++) {
          const rows = (
            await pool.query(
              `EXPLAIN (ANALYZE, FORMAT JSON)
               SELECT c.* FROM campaigns c JOIN campaign_content cc ON cc.campaign_id = c.id
               WHERE c.status IN ('LIVE') AND (c.offering IS NULL OR c.offering <> 'PRIVATE')
                 AND c.kind NOT IN ('EQUITY', 'DEBT')
                 AND cc.search_bigrams LIKE $1 AND cc.search_text LIKE $2
               ORDER BY ${ORDER[sort]} LIMIT 21`,
              [`% ${word} %`, `%${word}%`],
            )
          ).rows as { 'QUERY PLAN': [{ 'Execution Time': number }] }[];
          times.push(rows[0]?.['QUERY PLAN'][0]['Execution Time'] ?? 0);
        }
        times.sort((a, b) => a - b);
        sqlExecutionMs[`${label} / ${sort}`] = {
          p50: Number((times[7] ?? 0).toFixed(2)),
          p95: Number((times[14] ?? 0).toFixed(2)),
        };
      }
    }
    process.stdout.write(`${JSON.stringify(sqlExecutionMs, null, 1)}\n`);
    const budgets = judge([
      { name: 'campaign search p95 (mixed)', value: mixed.p95ms, max: P95_BUDGET_MS, unit: 'ms' },
    ]);
    process.stdout.write(`${budgetTable(budgets)}\n`);
    if (budgets.some((b) => !b.ok)) process.exitCode = 1;
    const file = await writeResults('search', {
      bench: 'search',
      at: new Date().toISOString(),
      machine: machine(),
      postgres: db.origin,
      settings: {
        campaigns: n,
        concurrency: CONCURRENCY,
        secondsPerRun: SECONDS,
        pageSize: 20,
        loadSeconds: Number(loadSeconds.toFixed(1)),
        matches: {
          commonWord: await matches(WORDS[7] ?? ''),
          众筹: await matches('众筹'),
          非遗: await matches('非遗'),
          solarLamp: await matches('solar lamp'),
        },
      },
      loadAverageDuringRun: os.loadavg().map((l) => Number(l.toFixed(1))),
      runs,
      sqlExecutionMs,
      budgets,
      rareWordPlan: plan,
    });
    log(`results in ${file}`);
  } finally {
    await stopService();
    await pool.end();
    await db.dispose();
  }
}
