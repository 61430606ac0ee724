import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LoanOverdueSweep } from '../src/modules/lending/index.js';
import { ledgerProblems, sealEverything } from './support/ledger.js';
import { noonOf, repay, settledLoan, startLendingApp } from './support/lending.js';
import { debtTerms } from './support/pledging.js';
import type { TestApp } from './support/test-app.js';
import { staffToken } from './support/users.js';

/**
 * Issue 14 / PLAT-03: an unpaid instalment becomes OVERDUE after its grace days and accrues
 * penalty interest daily (exact to the fen, ACT/365 from the pack); borrower and lenders are told;
 * the borrower gets a WARNING credit record; after defaultAfterDays the loan is DEFAULTED with a
 * BLOCKING record, which denies the borrower market access.
 */
describe('overdue, penalty, then default with a credit record (issue 14, PLAT-03)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startLendingApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const sql = async (text: string, params: unknown[] = []) =>
    (await (await t.db.client()).query(text, params)).rows;

  it('OVERDUE after grace, penalty day by day, DEFAULTED at 90 days with a BLOCKING record', async () => {
    const { loanId, borrower, lenders } = await settledLoan(t, ['2000.00', '1000.00'], {
      annualRate: '0.1200',
      termMonths: 6,
      method: 'EQUAL_PRINCIPAL',
      graceDays: 5,
      penaltyAnnualRate: '0.2400',
    });
    const sweep = () => t.app.get(LoanOverdueSweep).runOnce();
    const first = async () =>
      (
        await sql(
          `SELECT status, penalty::text, penalty_through::text, due_date::text AS due FROM loan_instalments
            WHERE loan_id = $1 AND number = 1`,
          [loanId],
        )
      )[0];
    const due = (await first()).due as string;
    // Inside the grace days: still SCHEDULED, no penalty, nobody told.
    t.clock.set(noonOf(due, 5));
    expect(await sweep()).toMatchObject({ becameOverdue: 0 });
    expect(await first()).toMatchObject({ status: 'SCHEDULED', penalty: '0.00' });
    // Day 6: OVERDUE; penalty on 530.00 (500.00 principal + 30.00 interest) from the due date:
    // 530.00 x 0.24 / 365 = 0.34849.. -> 0.35 a day, 6 days = 2.10.
    t.clock.set(noonOf(due, 6));
    expect(await sweep()).toMatchObject({ becameOverdue: 1, defaulted: 0 });
    expect(await first()).toMatchObject({ status: 'OVERDUE', penalty: '2.10' });
    // A second run the same day adds nothing; each later day adds 0.35.
    await sweep();
    expect((await first()).penalty).toBe('2.10');
    t.clock.set(noonOf(due, 30));
    await sweep();
    expect((await first()).penalty).toBe('10.50');
    const notices = await sql(
      `SELECT recipient_id, type FROM notifications WHERE params->>'loanId' = $1 AND type = 'loan.instalment_overdue'`,
      [loanId],
    );
    expect(notices.map((n) => n.recipient_id).sort()).toEqual(
      [borrower.id, ...lenders.map((l) => l.id)].sort(),
    );
    const records = async () =>
      sql(
        `SELECT severity, kind, source FROM credit_records WHERE user_id = $1 ORDER BY created_at`,
        [borrower.id],
      );
    expect(await records()).toEqual([
      { severity: 'WARNING', kind: 'DEFAULT', source: `lending:loan:${loanId}` },
    ]);
    // The finance office sees it in bucket M1, then M3+.
    const finance = await staffToken(t, 'FINANCE');
    const book = async () =>
      (
        await t.http
          .get('/api/v1/finance/loans?status=ACTIVE')
          .set('authorization', `Bearer ${finance.token}`)
      ).body;
    expect((await book()).M1).toEqual({ loans: 1, amount: '540.50' });

    // Day 89: not yet in default. Day 90: DEFAULTED, BLOCKING record, everyone told, once.
    t.clock.set(noonOf(due, 89));
    expect(await sweep()).toMatchObject({ defaulted: 0 });
    t.clock.set(noonOf(due, 90));
    expect(await sweep()).toMatchObject({ defaulted: 1 });
    expect(await sweep()).toMatchObject({ defaulted: 0 });
    const [loan] = await sql(`SELECT status FROM loans WHERE id = $1`, [loanId]);
    expect(loan.status).toBe('DEFAULTED');
    expect(await records()).toEqual([
      { severity: 'WARNING', kind: 'DEFAULT', source: `lending:loan:${loanId}` },
      { severity: 'BLOCKING', kind: 'DEFAULT', source: `lending:loan:${loanId}` },
    ]);
    const defaulted = await sql(
      `SELECT count(*)::int AS n FROM notifications WHERE params->>'loanId' = $1 AND type = 'loan.defaulted'`,
      [loanId],
    );
    expect(defaulted).toEqual([{ n: 3 }]);
    const list = await book();
    expect(list.items).toEqual([]);
    const all = (
      await t.http
        .get('/api/v1/finance/loans?status=DEFAULTED')
        .set('authorization', `Bearer ${finance.token}`)
    ).body;
    expect(all.items).toHaveLength(1);
    expect(all.M3_PLUS.loans).toBe(1);
    const csv = await t.http
      .get('/api/v1/finance/loans/export.csv?status=DEFAULTED')
      .set('authorization', `Bearer ${finance.token}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toMatch(/^id,campaignId,borrowerId,status,/);
    expect(lines[1]).toContain(`${loanId},`);
    expect(lines[1]).toContain(',DEFAULTED,');
    expect(lines[1]).toContain(',M3_PLUS,');
    // PLAT-03: the BLOCKING record denies the borrower market access (a new campaign's submit).
    const auth = { authorization: `Bearer ${borrower.token}` };
    const deadline = new Date(t.clock.now().getTime() + 30 * 86_400_000).toISOString();
    const draft = await t.http.post('/api/v1/campaigns').set(auth).send(debtTerms({ deadline }));
    expect(draft.status).toBe(201);
    const submit = await t.http.post(`/api/v1/campaigns/${draft.body.id}/submit`).set(auth);
    expect([submit.status, submit.body.error.code]).toEqual([403, 'CREDIT.MARKET_ACCESS_DENIED']);
    // Penalty: 90 days x 0.35 = 31.50 on instalment 1; repaying still works on a defaulted loan.
    expect((await first()).penalty).toBe('31.50');
    const res = await repay(t, loanId, '561.50');
    expect(res.status).toBe(200);
    expect((await first()).status).toBe('PAID');
    await sealEverything(t);
    expect(await ledgerProblems(t)).toEqual([]);
  });
});
