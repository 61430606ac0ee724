import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { registerAndLogin, staffToken, type TestUser } from '../support/users.js';

/**
 * POST /finance/reconciliations over HTTP on real Postgres: custody movements are made through the
 * real custody notification path (HMAC-signed deposits, withdrawals settled or failed by the bank),
 * then the bank's statement is reconciled against them.
 *
 * Ledger, by day (UTC):
 *   2026-11-29  DEP-A +1000.00, DEP-B +500.00, WD-A -300.00 (settled), WD-B 100.00 failed (no cash)
 *   2026-11-30  DEP-C +250.00, DEP-A2 +40.00
 *   2026-12-01  DEP-B2 +70.00 (after the period)
 * custody:cash at the end of 2026-11-30 = 1000 + 500 - 300 + 250 + 40 = 1490.00
 */
describe('reconciliation with the custodian statement (finance office)', () => {
  let t: TestApp;
  let finance: string;
  let investor: TestUser;
  const ref = (name: string) => `${name}-${runId}`;
  const runId = Math.random().toString(36).slice(2, 8);

  const notify = async (body: Record<string, unknown>) => {
    const raw = JSON.stringify({ currency: 'CNY', occurredAt: '2026-11-29T01:00:00Z', ...body });
    const signature = createHmac('sha256', t.config.ledger.custodyWebhookSecret)
      .update(raw)
      .digest('hex');
    const res = await t.http
      .post('/api/v1/custody/notifications')
      .set('content-type', 'application/json')
      .set('x-custody-signature', `sha256=${signature}`)
      .send(raw);
    if (res.status !== 200) throw new Error(`custody notice failed: ${res.status} ${res.text}`);
  };
  const deposit = (user: TestUser, bankReference: string, amount: string) =>
    notify({ type: 'DEPOSIT', bankReference, userId: user.id, amount });
  const withdraw = async (user: TestUser, amount: string, key: string): Promise<string> => {
    const res = await t.http
      .post('/api/v1/wallet/withdrawals')
      .set('authorization', `Bearer ${user.token}`)
      .set('idempotency-key', key)
      .send({ amount });
    if (res.status !== 201) throw new Error(`withdrawal failed: ${res.status} ${res.text}`);
    return res.body.id as string;
  };

  const reconcile = (
    body: string,
    contentType: string,
    query: Record<string, string> = { from: '2026-11-29', to: '2026-11-30' },
    token = finance,
  ) =>
    t.http
      .post('/api/v1/finance/reconciliations')
      .query(query)
      .set('authorization', `Bearer ${token}`)
      .set('content-type', contentType)
      .send(body);
  const stored = async () => {
    const sql = await t.db.client();
    const r = await sql.query<{ runs: string; lines: string; audits: string }>(
      `SELECT (SELECT count(*) FROM reconciliations)::text AS runs,
              (SELECT count(*) FROM reconciliation_lines)::text AS lines,
              (SELECT count(*) FROM audit_events WHERE subject_type = 'reconciliation')::text AS audits`,
    );
    return r.rows[0];
  };
  const refs = (lines: { bankReference: string | null }[]) =>
    lines.map((l) => l.bankReference).sort();

  beforeAll(async () => {
    t = await startTestApp();
    finance = (await staffToken(t, 'FINANCE')).token;
    investor = await registerAndLogin(t);
    const second = await registerAndLogin(t);

    t.clock.set('2026-11-29T09:00:00Z');
    await deposit(investor, ref('DEP-A'), '1000.00');
    await deposit(second, ref('DEP-B'), '500.00');
    const wdA = await withdraw(investor, '300.00', `wd-a-${runId}`);
    await notify({
      type: 'WITHDRAWAL_SETTLED',
      bankReference: ref('WD-A'),
      transferId: wdA,
      amount: '300.00',
    });
    const wdB = await withdraw(second, '100.00', `wd-b-${runId}`);
    await notify({
      type: 'WITHDRAWAL_FAILED',
      bankReference: ref('WD-B'),
      transferId: wdB,
      amount: '100.00',
    });

    t.clock.set('2026-11-30T23:59:59Z');
    await deposit(second, ref('DEP-C'), '250.00');
    await deposit(investor, ref('DEP-A2'), '40.00');

    t.clock.set('2026-12-01T00:00:00Z');
    await deposit(second, ref('DEP-B2'), '70.00');
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports exactly the one missing and the one extra line, the hand-computed difference, and stores it', async () => {
    // Quoted fields, CRLF line ends: the bank's statement misses DEP-A2 (+40.00) and has a bank fee
    // the ledger never saw (-2.50). Closing balance per bank: 1000 + 500 - 300 + 250 - 2.50.
    const csv = [
      'date,bankReference,direction,amount',
      `"2026-11-29","${ref('DEP-A')}","CREDIT","1000.00"`,
      `2026-11-29,${ref('DEP-B')},CREDIT,500`,
      `"2026-11-29",${ref('WD-A')},"DEBIT",300.00`,
      `2026-11-30,"${ref('FEE')}",DEBIT,"2.50"`,
      `2026-11-30,${ref('DEP-C')},CREDIT,250.00`,
    ].join('\r\n');
    const before = await stored();
    const res = await reconcile(csv, 'text/csv', {
      from: '2026-11-29',
      to: '2026-11-30',
      closingBalance: '1447.50',
    });
    expect(res.status).toBe(201);
    const r = res.body;
    expect(refs(r.matched)).toEqual([ref('DEP-A'), ref('DEP-B'), ref('DEP-C'), ref('WD-A')].sort());
    expect(r.unmatchedStatement).toEqual([
      {
        bankReference: ref('FEE'),
        statement: { line: 5, date: '2026-11-30', direction: 'DEBIT', amount: '2.50' },
        ledger: null,
      },
    ]);
    expect(r.unmatchedLedger).toHaveLength(1);
    expect(r.unmatchedLedger[0]).toMatchObject({
      bankReference: ref('DEP-A2'),
      statement: null,
      ledger: {
        kind: 'DEPOSIT',
        direction: 'CREDIT',
        amount: '40.00',
        at: '2026-11-30T23:59:59.000Z',
      },
    });
    expect(r.amountMismatches).toEqual([]);
    // The settled withdrawal is money out of custody (DEBIT); "500" on the statement reads 500.00.
    const wd = r.matched.find((l: { bankReference: string }) => l.bankReference === ref('WD-A'));
    expect(wd.ledger).toMatchObject({ kind: 'WITHDRAWAL', direction: 'DEBIT', amount: '300.00' });
    const depB = r.matched.find((l: { bankReference: string }) => l.bankReference === ref('DEP-B'));
    expect(depB.statement.amount).toBe('500.00');

    expect(r.ledgerBalance).toBe('1490.00');
    expect(r.closingBalance).toBe('1447.50');
    expect(r.difference).toBe('42.50'); // 40.00 the bank has not shown + 2.50 fee the ledger lacks
    expect(r.totals).toEqual({
      statementCredits: '1750.00',
      statementDebits: '302.50',
      ledgerCredits: '1790.00',
      ledgerDebits: '300.00',
    });
    expect(r.counts).toEqual({
      statementLines: 5,
      matched: 4,
      unmatchedStatement: 1,
      unmatchedLedger: 1,
      amountMismatches: 0,
    });
    expect(r.statementSha256).toBe(createHash('sha256').update(csv).digest('hex'));
    expect(r.statementFormat).toBe('CSV');

    const after = await stored();
    expect(Number(after.runs) - Number(before.runs)).toBe(1);
    expect(Number(after.lines) - Number(before.lines)).toBe(6);
    expect(Number(after.audits) - Number(before.audits)).toBe(1);

    const one = await t.http
      .get(`/api/v1/finance/reconciliations/${r.id}`)
      .set('authorization', `Bearer ${finance}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(r);
    const list = await t.http
      .get('/api/v1/finance/reconciliations')
      .set('authorization', `Bearer ${finance}`);
    expect(list.status).toBe(200);
    expect(list.body.reconciliations.map((x: { id: string }) => x.id)).toContain(r.id);
    const listed = list.body.reconciliations.find((x: { id: string }) => x.id === r.id);
    expect(listed).toMatchObject({
      difference: '42.50',
      counts: r.counts,
      runBy: expect.any(String),
    });
    expect(listed.matched).toBeUndefined();
  });

  it('reports an amount mismatch separately (JSON lines), and a statement line for a failed withdrawal as unmatched', async () => {
    const jsonl = [
      { date: '2026-11-29', bankReference: ref('DEP-A'), direction: 'CREDIT', amount: '1000.00' },
      { date: '2026-11-29', bankReference: ref('DEP-B'), direction: 'CREDIT', amount: '500.00' },
      { date: '2026-11-29', bankReference: ref('WD-A'), direction: 'DEBIT', amount: '300.00' },
      { date: '2026-11-30', bankReference: ref('DEP-C'), direction: 'CREDIT', amount: '520.00' },
      { date: '2026-11-30', bankReference: ref('DEP-A2'), direction: 'CREDIT', amount: '40.00' },
      { date: '2026-11-29', bankReference: ref('WD-B'), direction: 'DEBIT', amount: '100.00' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const res = await reconcile(jsonl, 'application/x-ndjson; charset=utf-8', {
      from: '2026-11-29',
      to: '2026-11-30',
      closingBalance: '1660.00',
    });
    expect(res.status).toBe(201);
    expect(res.body.statementFormat).toBe('JSONL');
    expect(refs(res.body.matched)).toEqual(
      [ref('DEP-A'), ref('DEP-A2'), ref('DEP-B'), ref('WD-A')].sort(),
    );
    expect(res.body.amountMismatches).toEqual([
      {
        bankReference: ref('DEP-C'),
        statement: { line: 4, date: '2026-11-30', direction: 'CREDIT', amount: '520.00' },
        ledger: expect.objectContaining({ kind: 'DEPOSIT', direction: 'CREDIT', amount: '250.00' }),
        differs: ['amount'],
      },
    ]);
    // The bank says WD-B left custody; the ledger voided that withdrawal: no cash moved there.
    expect(refs(res.body.unmatchedStatement)).toEqual([ref('WD-B')]);
    expect(res.body.unmatchedLedger).toEqual([]);
    expect(res.body.difference).toBe('-170.00'); // 1490.00 - 1660.00
  });

  it('accepts a statement larger than the API-wide body limit on this route only', async () => {
    const lines = Array.from(
      { length: 4000 },
      (_, i) => `2026-11-30,${ref('BULK')}-${String(i).padStart(5, '0')},DEBIT,0.01`,
    );
    const csv = ['date,bankReference,direction,amount', ...lines].join('\n');
    expect(Buffer.byteLength(csv)).toBeGreaterThan(t.config.http.bodyLimitBytes);
    const res = await reconcile(csv, 'text/csv', {
      from: '2026-11-29',
      to: '2026-11-30',
      closingBalance: '1450.00',
    });
    expect(res.status).toBe(201);
    expect(res.body.counts).toMatchObject({ statementLines: 4000, unmatchedStatement: 4000 });
    expect(res.body.totals.statementDebits).toBe('40.00');
    expect(res.body.difference).toBe('40.00');

    const elsewhere = await t.http
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ email: 'x@example.com', password: 'p'.repeat(csv.length) }));
    expect(elsewhere.status).toBe(413);
  });

  it('refuses bad files with 400 and a code naming the line, and writes nothing', async () => {
    const header = 'date,bankReference,direction,amount';
    const period = { from: '2026-11-29', to: '2026-11-30', closingBalance: '0.00' };
    const cases: [string, string, Record<string, string>, number, string, number | null][] = [
      [
        `${header}\n2026-11-29,A,CREDIT,1.00\n2026-11-29,B,CREDIT,1.005\n`,
        'text/csv',
        period,
        400,
        'RECONCILIATION.INVALID_LINE',
        3,
      ],
      [
        `${header}\n2026-11-29,A,CREDIT,1.00\n2026-11-29,B,SIDEWAYS,1.00\n`,
        'text/csv',
        period,
        400,
        'RECONCILIATION.INVALID_LINE',
        3,
      ],
      [
        `${header}\n2026-11-29,A,CREDIT,-1.00\n`,
        'text/csv',
        period,
        400,
        'RECONCILIATION.INVALID_LINE',
        2,
      ],
      [
        `${header}\n2026-11-31,A,CREDIT,1.00\n`,
        'text/csv',
        period,
        400,
        'RECONCILIATION.INVALID_LINE',
        2,
      ],
      [
        `${header}\n2026-11-29,"",CREDIT,1.00\n`,
        'text/csv',
        period,
        400,
        'RECONCILIATION.INVALID_LINE',
        2,
      ],
      [
        `${header}\n2026-12-01,A,CREDIT,1.00\n`,
        'text/csv',
        period,
        400,
        'RECONCILIATION.INVALID_LINE',
        2,
      ],
      [
        `${header}\n2026-11-29,A,CREDIT,1.00\n2026-11-30,A,DEBIT,1.00\n`,
        'text/csv',
        period,
        400,
        'RECONCILIATION.DUPLICATE_REFERENCE',
        3,
      ],
      [
        'date;bankReference;direction;amount\n',
        'text/csv',
        period,
        400,
        'RECONCILIATION.MALFORMED_STATEMENT',
        1,
      ],
      [
        `${header}\n2026-11-29,"A,CREDIT,1.00\n`,
        'text/csv',
        period,
        400,
        'RECONCILIATION.MALFORMED_STATEMENT',
        null,
      ],
      [
        '{"date":"2026-11-29","bankReference":"A","direction":"CREDIT","amount":1}\n',
        'application/x-ndjson',
        period,
        400,
        'RECONCILIATION.INVALID_LINE',
        1,
      ],
      [
        '{"date":"2026-11-29"\n',
        'application/x-ndjson',
        period,
        400,
        'RECONCILIATION.MALFORMED_STATEMENT',
        1,
      ],
      [
        `${header}\n`,
        'text/csv',
        { from: '2026-11-30', to: '2026-11-29', closingBalance: '0.00' },
        400,
        'RECONCILIATION.INVALID_PERIOD',
        null,
      ],
      [
        `${header}\n`,
        'text/csv',
        { from: '2026-11-29', to: '2026-11-30' },
        400,
        'VALIDATION_FAILED',
        null,
      ],
      [
        `${header}\n`,
        'text/csv',
        { ...period, closingBalance: '12.345' },
        400,
        'VALIDATION_FAILED',
        null,
      ],
      [`${header}\n`, 'text/csv', { ...period, to: '2026-02-30' }, 400, 'VALIDATION_FAILED', null],
      [
        '{"date":"2026-11-29"}',
        'application/json',
        period,
        415,
        'RECONCILIATION.UNSUPPORTED_FORMAT',
        null,
      ],
    ];
    const before = await stored();
    for (const [body, contentType, query, status, code, line] of cases) {
      const res = await reconcile(body, contentType, query);
      expect({ body, status: res.status, code: res.body.error?.code }).toEqual({
        body,
        status,
        code,
      });
      if (line !== null) expect(res.body.error.details.line).toBe(line);
      if (line !== null)
        expect(String(res.body.error.message).toLowerCase()).toContain(`line ${line}`);
    }
    const forbidden = await reconcile(`${header}\n`, 'text/csv', period, investor.token);
    expect(forbidden.status).toBe(403);
    expect(await stored()).toEqual(before);
  });

  it('keeps reconciliations append-only and pages the list newest first', async () => {
    const sql = await t.db.client();
    await expect(sql.query(`UPDATE reconciliations SET difference = 0`)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql.query(`DELETE FROM reconciliation_lines`)).rejects.toThrow(/append-only/);

    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page: {
        status: number;
        body: { reconciliations: { id: string; runAt: string }[]; nextCursor: string | null };
      } = await t.http
        .get('/api/v1/finance/reconciliations')
        .query(cursor ? { limit: '1', cursor } : { limit: '1' })
        .set('authorization', `Bearer ${finance}`);
      expect(page.status).toBe(200);
      all.push(...page.body.reconciliations.map((r) => r.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const runs = await sql.query<{ id: string }>(
      `SELECT id FROM reconciliations ORDER BY run_at DESC, id DESC`,
    );
    expect(all).toEqual(runs.rows.map((r) => r.id));
    expect(all.length).toBeGreaterThanOrEqual(3);

    const bad = await t.http
      .get('/api/v1/finance/reconciliations')
      .query({ cursor: 'not-a-cursor' })
      .set('authorization', `Bearer ${finance}`);
    expect(bad.status).toBe(400);
    const missing = await t.http
      .get('/api/v1/finance/reconciliations/00000000-0000-4000-8000-000000000000')
      .set('authorization', `Bearer ${finance}`);
    expect(missing.status).toBe(404);
  });
});
