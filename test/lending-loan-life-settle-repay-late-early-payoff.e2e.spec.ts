import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LoanOverdueSweep } from '../src/modules/lending/index.js';
import { ledgerProblems, sealEverything } from './support/ledger.js';
import { noonOf, repay, settledLoan, startLendingApp } from './support/lending.js';
import type { TestApp } from './support/test-app.js';
import { staffToken } from './support/users.js';

/**
 * Issue 14, a loan's whole life: settle a DEBT campaign into a loan (claims, schedule to the fen),
 * 12 repayments through custody: ten on time, one late (OVERDUE, penalty, WARNING credit record),
 * then an early payoff with an overpayment held as the borrower's credit. The ledger verifies and
 * the trial balance balances at the end; every lender got back exactly their principal.
 */
describe('a loan from settlement to early payoff (issue 14)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startLendingApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const sql = async (text: string, params: unknown[] = []) =>
    (await (await t.db.client()).query(text, params)).rows;

  it('settle, 12 repayments (one late), early payoff: every fen accounted for, ledger clean', async () => {
    const { loanId, campaignId, borrower, lenders } = await settledLoan(
      t,
      ['3333.33', '3333.33', '3333.34'],
      { annualRate: '0.0800', termMonths: 24, method: 'EQUAL_INSTALLMENT', graceDays: 3 },
    );
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    const finance = await staffToken(t, 'FINANCE');
    const loan = await t.http.get(`/api/v1/loans/${loanId}`).set(as(borrower.token));
    expect(loan.status).toBe(200);
    expect(loan.body).toMatchObject({
      campaignId,
      status: 'ACTIVE',
      principal: '10000.00',
      outstandingPrincipal: '10000.00',
      startDate: '2026-11-30',
      lenderCount: 3,
    });
    // A lender may read it; a stranger may not know it exists.
    expect((await t.http.get(`/api/v1/loans/${loanId}`).set(as(lenders[0].token))).status).toBe(
      200,
    );
    const schedule = (await t.http.get(`/api/v1/loans/${loanId}/schedule`).set(as(finance.token)))
      .body as { number: number; dueDate: string; principal: string; interest: string }[];
    expect(schedule).toHaveLength(24);
    // 10,000.00 at 8 % over 24 months: 452.27 a month (by hand: P r (1+r)^24 / ((1+r)^24 - 1)).
    expect(schedule[0]).toMatchObject({
      dueDate: '2026-12-30',
      principal: '385.60',
      interest: '66.67',
    });
    expect(schedule[2].dueDate).toBe('2027-02-28'); // the 30th does not exist: month end
    const principalSum = schedule.reduce((s, i) => s + Math.round(Number(i.principal) * 100), 0);
    expect(principalSum).toBe(1_000_000);
    // The claims register: one claim per lender with their settled pledges.
    expect(
      await sql(`SELECT principal::text FROM loan_claims WHERE loan_id = $1 ORDER BY principal`, [
        loanId,
      ]),
    ).toEqual([{ principal: '3333.33' }, { principal: '3333.33' }, { principal: '3333.34' }]);

    const nextDue = async () =>
      (await t.http.get(`/api/v1/loans/${loanId}`).set(as(borrower.token))).body.nextDue as {
        number: number;
        dueDate: string;
        amount: string;
      };
    const sweep = () => t.app.get(LoanOverdueSweep).runOnce();

    for (let k = 1; k <= 11; k++) {
      const due = await nextDue();
      expect(due.number).toBe(k);
      if (k === 3) {
        // Late: ten days past due (grace 3): OVERDUE with penalty accrued from the due date.
        t.clock.set(noonOf(due.dueDate, 10));
        expect(await sweep()).toMatchObject({ becameOverdue: 1, defaulted: 0 });
        const [row] = await sql(
          `SELECT status, penalty::text, overdue_since::text FROM loan_instalments WHERE loan_id = $1 AND number = 3`,
          [loanId],
        );
        // 452.27 x 0.18 / 365 = 0.2230.. -> 0.22 a day, 10 days
        expect(row).toEqual({ status: 'OVERDUE', penalty: '2.20', overdue_since: '2027-03-04' });
        const warning = await sql(
          `SELECT severity, kind, source, created_by FROM credit_records WHERE user_id = $1`,
          [borrower.id],
        );
        expect(warning).toEqual([
          {
            severity: 'WARNING',
            kind: 'DEFAULT',
            source: `lending:loan:${loanId}`,
            created_by: null,
          },
        ]);
        const late = await nextDue();
        expect(late.amount).toBe('454.47');
        expect((await repay(t, loanId, late.amount)).status).toBe(200);
      } else {
        t.clock.set(noonOf(due.dueDate));
        const res = await repay(t, loanId, due.amount);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ transferStatus: 'POSTED', replayed: false });
      }
      const [paid] = await sql(
        `SELECT status FROM loan_instalments WHERE loan_id = $1 AND number = $2`,
        [loanId, k],
      );
      expect(paid.status).toBe('PAID');
    }
    // The 12th repayment pays the loan off early, with 5.00 too much.
    const next = await nextDue();
    t.clock.set(noonOf(next.dueDate, -10));
    const [{ remaining }] = await sql(
      `SELECT sum(principal - principal_paid)::text AS remaining FROM loan_instalments WHERE loan_id = $1`,
      [loanId],
    );
    const [{ interest }] = await sql(
      `SELECT interest::text FROM loan_instalments WHERE loan_id = $1 AND number = 12`,
      [loanId],
    );
    const fen = (v: string) => BigInt(Math.round(Number(v) * 100));
    const earlyFee = (fen(remaining) + 50n) / 100n; // 1 % half-up
    const quote = fen(remaining) + fen(interest) + earlyFee;
    const text = (f: bigint) => `${f / 100n}.${String(f % 100n).padStart(2, '0')}`;
    const payoff = await repay(t, loanId, text(quote + 500n));
    expect(payoff.status).toBe(200);
    const closed = (await t.http.get(`/api/v1/loans/${loanId}`).set(as(borrower.token))).body;
    expect(closed).toMatchObject({
      status: 'REPAID',
      outstandingPrincipal: '0.00',
      borrowerCredit: '5.00',
      nextDue: null,
    });
    // Every lender got back exactly their principal; the repayment account holds only the credit.
    expect(
      await sql(
        `SELECT principal::text, principal_received::text FROM loan_claims WHERE loan_id = $1 ORDER BY principal`,
        [loanId],
      ),
    ).toEqual([
      { principal: '3333.33', principal_received: '3333.33' },
      { principal: '3333.33', principal_received: '3333.33' },
      { principal: '3333.34', principal_received: '3333.34' },
    ]);
    const [account] = await sql(
      `SELECT (credits_posted - debits_posted)::text AS balance FROM ledger_accounts WHERE code = $1`,
      [`loan:${loanId}:repayment`],
    );
    expect(account.balance).toBe('5.00');
    // What the lenders got + the fees = everything the borrower paid, less the credit held.
    const [paidIn] = await sql(
      `SELECT sum(amount)::text AS total FROM loan_repayments WHERE loan_id = $1`,
      [loanId],
    );
    const [paidOut] = await sql(
      `SELECT sum(t.amount)::text AS total FROM ledger_transfers t JOIN ledger_accounts d ON d.id = t.debit_account_id
         WHERE d.code = $1`,
      [`loan:${loanId}:repayment`],
    );
    expect(fen(paidIn.total) - fen(paidOut.total)).toBe(500n);
    const claims = (await t.http.get('/api/v1/me/claims').set(as(lenders[2].token))).body.items;
    expect(claims).toEqual([
      expect.objectContaining({
        loanId,
        loanStatus: 'REPAID',
        principalOutstanding: '0.00',
        nextPayment: null,
      }),
    ]);
    expect(Number(claims[0].interestReceived)).toBeGreaterThan(0);
    await sealEverything(t);
    expect(await ledgerProblems(t)).toEqual([]);
  });
});
