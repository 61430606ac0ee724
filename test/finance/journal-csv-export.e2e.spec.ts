import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse';
import { transferHash } from '../../src/modules/escrow-ledger/canonical.js';
import { LedgerService } from '../../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../../src/modules/escrow-ledger/ledger.types.js';
import { cny, fundedAccount, sealEverything } from '../support/ledger.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { staffToken } from '../support/users.js';
import { freePort } from '../support/free-port.js';

const DEPOSITS = 60_000; // 6 statements of 10,000: 6 sealed blocks
const HOLDS = 20_000; // one statement: one sealed block
const POSTS = 10_000; // resolutions of the first half of the holds, left unsealed
const VOIDS = 10_000; // the second half
const BULK = DEPOSITS + HOLDS + POSTS + VOIDS;
const MAX_RSS_MB = 200;
const TRICKY_REFERENCE = 'Invoice 7, "Spring fair"\nsecond line';
const ENTRY = path.resolve('dist/src/main.js');

/** The resident set of a process in bytes, as process.memoryUsage().rss reports it (Linux /proc). */
const rssOf = (pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? NaN) * 1024;
};

interface DbRow {
  id: string;
  seq: string;
  kind: string;
  status: string;
  debit_code: string;
  credit_code: string;
  amount: string;
  currency: string;
  pending_id: string | null;
  reference: string | null;
  created_at: Date;
  block_height: string | null;
}

/**
 * GET /finance/journal.csv (DESIGN §7): 100,000+ transfers made through the ledger's own insert
 * path (its statement trigger moves the counters), exported over HTTP, parsed back and compared row
 * by row with the database, hashes recomputed with canonical.ts.
 *
 * The HTTP side is the real service (dist/src/main.js) in its own process on this test's database,
 * so its memory can be measured alone: the test process itself (Jest, ts-jest, the parser and the
 * checks) sits above 300 MB before any export starts. Its RSS is sampled every 10 ms through the
 * export and must stay under 200 MB. The service runs with a 128 MB V8 heap cap: with the default
 * one V8 lets dead objects pile up to well past the live set before collecting, so the RSS shows
 * the collector's laziness rather than what the export keeps (the live heap stays near 40 MB over
 * 1,000,000 rows with forced collections). An export that held its rows in memory would blow
 * through the cap or the 200 MB bar.
 */
describe('journal CSV export streams every transfer exactly as the ledger holds it', () => {
  let t: TestApp;
  let finance: string;
  let base: string;
  let service: ChildProcess;
  const sql = async <R>(text: string, params: unknown[] = []): Promise<R[]> =>
    (await (await t.db.client()).query(text, params)).rows as R[];

  /** Expected rows in seq order, a page at a time (keyset), with the block found by a range join. */
  async function* expectedRows(where = 'true', params: unknown[] = []): AsyncGenerator<DbRow> {
    let after = '0';
    for (;;) {
      const rows = await sql<DbRow>(
        `SELECT t.id, t.seq::text AS seq, t.kind, t.status, d.code AS debit_code, c.code AS credit_code,
           t.amount::text AS amount, t.currency, t.pending_id, t.reference, t.created_at,
           b.height::text AS block_height
         FROM ledger_transfers t
         JOIN ledger_accounts d ON d.id = t.debit_account_id
         JOIN ledger_accounts c ON c.id = t.credit_account_id
         LEFT JOIN ledger_blocks b ON t.tx_id >= b.from_tx_id AND t.tx_id < b.to_tx_id
         WHERE t.seq > $1 AND ${where} ORDER BY t.seq LIMIT 5000`,
        [after, ...params],
      );
      if (rows.length === 0) return;
      yield* rows;
      after = rows[rows.length - 1].seq;
    }
  }

  const get = (query: string, token = finance) =>
    fetch(`${base}/api/v1/finance/journal.csv${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });

  /** Parses the response as it arrives and compares each record with the next expected row. */
  async function compareExport(
    response: Response,
    expected: AsyncGenerator<DbRow>,
  ): Promise<{ rows: number; sealed: number; unsealed: number }> {
    if (!response.body) throw new Error('no body');
    const records = Readable.fromWeb(response.body).pipe(parse({ columns: true })) as AsyncIterable<
      Record<string, string>
    >;
    let rows = 0;
    let sealed = 0;
    for await (const record of records) {
      const next = await expected.next();
      if (next.done) throw new Error(`unexpected extra row ${JSON.stringify(record)}`);
      const db = next.value;
      const want = {
        seq: db.seq,
        id: db.id,
        createdAt: db.created_at.toISOString(),
        kind: db.kind,
        status: db.status,
        debitAccount: db.debit_code,
        creditAccount: db.credit_code,
        amount: db.amount,
        currency: db.currency,
        pendingId: db.pending_id ?? '',
        reference: db.reference ?? '',
        hash: transferHash({
          ...db,
          debitAccountCode: db.debit_code,
          creditAccountCode: db.credit_code,
          pendingId: db.pending_id,
          createdAt: db.created_at,
        }),
        blockHeight: db.block_height ?? '',
      };
      // toEqual per row is slow at 100,000 rows: compare cheaply, explain on the first difference.
      if (JSON.stringify(record) !== JSON.stringify(want)) expect(record).toEqual(want);
      rows++;
      if (db.block_height !== null) sealed++;
    }
    expect((await expected.next()).done).toBe(true); // no row missing at the end
    return { rows, sealed, unsealed: rows - sealed };
  }

  beforeAll(async () => {
    t = await startTestApp();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const { DATABASE_URL: _unused, ...env } = process.env;
    service = spawn(process.execPath, ['--max-old-space-size=128', ENTRY], {
      env: {
        ...env,
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        DATABASE_URL: t.db.url,
        HOST: '127.0.0.1',
        PORT: String(port),
        SWEEP_INTERVAL_MS: '0',
        SEAL_INTERVAL_MS: '0',
        DATABASE_POOL_SIZE: '5',
      },
      stdio: 'ignore',
    });
    // Issue 13: staff sign in with TOTP; the session lives in the shared database.
    finance = (await staffToken(t, 'FINANCE')).token;
    for (let tries = 0; ; tries++) {
      const health = await fetch(`${base}/health`).catch(() => null);
      if (health?.status === 200) break;
      if (tries > 300) throw new Error('the service did not start');
      await new Promise((r) => setTimeout(r, 100));
    }

    // A transfer through the ledger service itself whose reference needs CSV quoting.
    const wallet = await fundedAccount(t, 'quoting', '500.00');
    await t.app.get(LedgerService).transfer({
      idempotencyKey: 'quoting-1',
      kind: 'ADJUSTMENT',
      debitAccount: wallet,
      creditAccount: AccountCodes.platformFees,
      amount: cny('12.34'),
      reference: TRICKY_REFERENCE,
    });

    // Bulk: the ledger's own set-based insert path (one INSERT ... SELECT per statement, the
    // statement trigger moving every counter), as settlement and the benches do.
    await sql(
      `INSERT INTO ledger_accounts (id, code, kind, currency, created_at)
       SELECT gen_random_uuid(), 'investor:bulk-' || g || ':available', 'LIABILITY', 'CNY', now() FROM generate_series(1, 200) g
       UNION ALL
       SELECT gen_random_uuid(), 'campaign:bulk-' || g || ':escrow', 'LIABILITY', 'CNY', now() FROM generate_series(1, 20) g`,
    );
    for (let part = 0; part < 6; part++) {
      await sql(
        `INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, reference, created_at)
         SELECT gen_random_uuid(), 'DEPOSIT', 'POSTED', (SELECT id FROM ledger_accounts WHERE code = 'custody:cash'),
           (SELECT id FROM ledger_accounts WHERE code = 'investor:bulk-' || (1 + g % 200) || ':available'),
           100 + (g % 9973) / 100.0, 'CNY', 'dep-' || g, timestamptz '2026-11-01T00:00:00Z' + g * interval '1 second'
         FROM generate_series($1::int, $2::int) g`,
        [part * 10_000 + 1, (part + 1) * 10_000],
      );
    }
    await sealEverything(t);
    await sql(
      `INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, reference, created_at)
       SELECT gen_random_uuid(), 'PLEDGE', 'PENDING',
         (SELECT id FROM ledger_accounts WHERE code = 'investor:bulk-' || (1 + g % 200) || ':available'),
         (SELECT id FROM ledger_accounts WHERE code = 'campaign:bulk-' || (1 + g % 20) || ':escrow'),
         1 + (g % 500) / 100.0, 'CNY', 'pledge-' || g, timestamptz '2026-11-02T00:00:00Z' + g * interval '1 second'
       FROM generate_series(1, $1::int) g`,
      [HOLDS],
    );
    await sealEverything(t);
    for (const [status, offset, count] of [
      ['POST', 0, POSTS],
      ['VOID', POSTS, VOIDS],
    ] as const) {
      await sql(
        `INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, pending_id, reference, created_at)
         SELECT gen_random_uuid(), 'PLEDGE', $1, h.debit_account_id, h.credit_account_id, h.amount, h.currency, h.id,
           h.reference, timestamptz '2026-11-03T00:00:00Z' + h.seq * interval '1 second'
         FROM (SELECT * FROM ledger_transfers WHERE status = 'PENDING' ORDER BY seq OFFSET $2 LIMIT $3) h`,
        [status, offset, count],
      );
    }
  }, 120_000);

  afterAll(async () => {
    if (service.exitCode === null) {
      service.kill('SIGTERM');
      await new Promise((r) => service.once('exit', r));
    }
    await t.close();
  });

  it(`exports ${BULK.toLocaleString('en')}+ transfers in seq order, equal to the database, RSS under ${MAX_RSS_MB} MB`, async () => {
    const [{ n }] = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM ledger_transfers`);
    expect(Number(n)).toBeGreaterThanOrEqual(BULK);
    const pid = service.pid ?? 0;
    const baseline = rssOf(pid);
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssOf(pid));
    }, 10);
    const started = performance.now();
    let result: Awaited<ReturnType<typeof compareExport>>;
    let response: Response;
    try {
      response = await get('');
      expect(response.status).toBe(200);
      result = await compareExport(response, expectedRows());
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - started) / 1000;
    peak = Math.max(peak, rssOf(pid));
    const lifetimePeak = rssOf(pid, 'VmHWM');
    const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
    process.stdout.write(
      `journal.csv: ${result.rows} rows (${result.sealed} sealed, ${result.unsealed} unsealed) in ${seconds.toFixed(2)} s ` +
        `(${Math.round(result.rows / seconds)} rows/s, export and check); service RSS before ${mb(baseline)} MB, ` +
        `peak during export ${mb(peak)} MB (kernel high-water mark over the service's life ${mb(lifetimePeak)} MB)\n`,
    );
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="journal-start-\d{8}T\d{6}Z\.csv"$/,
    );
    expect(result.rows).toBe(Number(n));
    expect(result.sealed).toBeGreaterThanOrEqual(DEPOSITS + HOLDS);
    expect(result.unsealed).toBe(POSTS + VOIDS);
    expect(mb(peak)).toBeLessThan(MAX_RSS_MB);
  }, 120_000);

  it('quotes a reference holding a comma, a quote and a newline (RFC 4180) and parses back intact', async () => {
    const response = await get('');
    const text = await response.text();
    expect(text).toContain('"Invoice 7, ""Spring fair""\nsecond line"');
    const records = parse(text, { columns: true }) as unknown as AsyncIterable<
      Record<string, string>
    >;
    const found: Record<string, string>[] = [];
    for await (const r of records) if (r.kind === 'ADJUSTMENT') found.push(r);
    expect(found).toHaveLength(1);
    expect(found[0].reference).toBe(TRICKY_REFERENCE);
    expect(found[0].amount).toBe('12.34');
  }, 60_000);

  it('exports only transfers created in [from, to)', async () => {
    // Deposit g was created at 2026-11-01T00:00:00Z + g seconds: [g=100, g=250) is 150 rows.
    const from = '2026-11-01T00:01:40Z';
    const to = '2026-11-01T00:04:10.000Z';
    const response = await get(`?from=${from}&to=${to}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="journal-20261101T000140Z-20261101T000410Z.csv"',
    );
    const result = await compareExport(
      response,
      expectedRows('t.created_at >= $2 AND t.created_at < $3', [from, to]),
    );
    expect(result.rows).toBe(150);
  }, 60_000);

  it('400s on a bad or inverted window, 403s for anyone but FINANCE, and exports nothing', async () => {
    const bad = await get('?from=yesterday');
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; details: unknown } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(body.error.details)).toContain('from');

    const impossibleDate = await get('?to=2026-02-30T00:00:00Z');
    expect(impossibleDate.status).toBe(400);

    const inverted = await get('?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z');
    expect(inverted.status).toBe(400);
    expect(((await inverted.json()) as { error: { code: string } }).error.code).toBe(
      'FINANCE.INVALID_RANGE',
    );

    const admin = await staffToken(t, 'ADMIN');
    const forbidden = await get('', admin.token);
    expect(forbidden.status).toBe(403);
    const anonymous = await fetch(`${base}/api/v1/finance/journal.csv`);
    await anonymous.body?.cancel();
    expect(anonymous.status).toBe(401);
  });

  it('gives its connection back to the pool when the client hangs up mid-export', async () => {
    const exporting = () =>
      sql<{ n: string }>(
        `SELECT count(*)::text AS n FROM pg_stat_activity
         WHERE datname = current_database() AND query LIKE 'FETCH FORWARD%'`,
      );
    const controller = new AbortController();
    const response = await fetch(`${base}/api/v1/finance/journal.csv`, {
      headers: { authorization: `Bearer ${finance}` },
      signal: controller.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read(); // the export is under way, its cursor open
    expect(Number((await exporting())[0].n)).toBe(1);
    controller.abort();
    const deadline = Date.now() + 10_000;
    while (Number((await exporting())[0].n) > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect((await exporting())[0].n).toBe('0');
    // And the connection is usable: a full export still works afterwards.
    const again = await get('?to=2026-11-01T00:00:10Z');
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('dep-1');
  }, 60_000);
});
