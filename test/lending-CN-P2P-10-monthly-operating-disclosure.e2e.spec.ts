import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { disclosureHash, type OperatingDisclosure } from '../src/modules/lending/index.js';
import { noonOf, repay, settledLoans, startLendingApp } from './support/lending.js';
import type { TestApp } from './support/test-app.js';

/**
 * CN-P2P-10: the monthly operating disclosure is public, computed from the ledger and the loans,
 * matches a direct SQL recomputation, and is frozen with its hash once the month has closed: a
 * later repayment does not change a published month, and the stored row cannot be rewritten.
 */
describe('monthly operating disclosure (CN-P2P-10)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startLendingApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const sql = async (text: string, params: unknown[] = []) =>
    (await (await t.db.client()).query(text, params)).rows;
  const get = (month: string) => t.http.get('/api/v1/disclosures/operations').query({ month });

  /** The same figures straight from the tables, written independently of the service. */
  async function recompute(end: string) {
    const endDate = end.slice(0, 10);
    const [row] = await sql(
      `WITH l AS (SELECT * FROM loans WHERE created_at < $1),
            lent AS (
              SELECT l.id, coalesce(sum(t.amount), 0) AS amount FROM l
                LEFT JOIN ledger_transfers t ON t.reference = 'campaign:' || l.campaign_id
                 AND t.kind IN ('SETTLEMENT', 'FEE') AND t.status IN ('POSTED', 'POST') AND t.created_at < $1
               GROUP BY l.id),
            repaid AS (
              SELECT l.id, coalesce(sum(t.amount), 0) AS amount FROM l
                LEFT JOIN ledger_transfers t ON t.reference = 'loan:' || l.id || ':principal'
                 AND t.kind = 'REPAYMENT' AND t.status IN ('POSTED', 'POST') AND t.created_at < $1
               GROUP BY l.id),
            o AS (SELECT l.id, l.borrower_id, lent.amount - repaid.amount AS outstanding
                    FROM l JOIN lent USING (id) JOIN repaid USING (id)),
            late AS (
              SELECT i.loan_id, ($2::date - i.due_date) AS days,
                     (i.principal - i.principal_paid) + (i.interest - i.interest_paid - i.interest_waived) AS amount
                FROM loan_instalments i JOIN l ON l.id = i.loan_id
               WHERE i.status <> 'PAID' AND i.due_date < $2::date)
       SELECT (SELECT count(*)::int FROM l) AS loans,
              (SELECT coalesce(sum(principal), 0)::numeric(20,2)::text FROM l) AS volume,
              (SELECT count(*)::int FROM o WHERE outstanding > 0) AS outstanding_loans,
              (SELECT coalesce(sum(outstanding), 0)::numeric(20,2)::text FROM o) AS outstanding,
              (SELECT count(DISTINCT borrower_id)::int FROM l) AS borrowers,
              (SELECT count(DISTINCT c.lender_id)::int FROM loan_claims c JOIN l ON l.id = c.loan_id) AS lenders,
              (SELECT coalesce(sum(amount), 0)::numeric(20,2)::text FROM late WHERE days BETWEEN 1 AND 30) AS m1,
              (SELECT count(DISTINCT loan_id)::int FROM late WHERE days BETWEEN 1 AND 30) AS m1_loans,
              (SELECT coalesce(sum(amount), 0)::numeric(20,2)::text FROM late WHERE days > 60) AS m3,
              (SELECT round(max(s) / nullif((SELECT sum(outstanding) FROM o), 0), 4)::text
                 FROM (SELECT sum(outstanding) AS s FROM o GROUP BY borrower_id) b) AS largest`,
      [end, endDate],
    );
    return row;
  }

  it('matches a direct SQL recomputation and is frozen once the month has closed', async () => {
    // Two loans settle on 2026-11-30; in December the first is repaid on time, the second not.
    const [a, b] = await settledLoans(t, [
      { amounts: ['6000.00', '3000.00'], loanTerms: { termMonths: 6 } },
      { amounts: ['1000.00'], loanTerms: { termMonths: 3, method: 'INTEREST_ONLY' } },
    ]);
    const schedule = await sql(
      `SELECT loan_id, due_date::text AS due, (principal + interest)::text AS amount FROM loan_instalments
        WHERE number = 1 ORDER BY loan_id`,
    );
    const first = schedule.find((r) => r.loan_id === a.loanId);
    t.clock.set(noonOf(first.due));
    expect((await repay(t, a.loanId, first.amount)).status).toBe(200);

    // The current month is live, not frozen; a month not begun is refused.
    const open = await get('2026-12');
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ frozen: false, hash: null });
    expect((await get('2027-02')).body.error.code).toBe('DISCLOSURE.MONTH_NOT_STARTED');
    expect((await get('2026-13')).status).toBe(400);

    t.clock.set('2027-01-02T08:00:00.000Z');
    const res = await get('2026-12'); // anonymous: the disclosure is public
    expect(res.status).toBe(200);
    expect(res.body.frozen).toBe(true);
    const d = res.body.disclosure as OperatingDisclosure;
    expect(disclosureHash(d)).toBe(res.body.hash);
    const direct = await recompute('2027-01-01T00:00:00.000Z');
    expect({
      loans: d.cumulativeLoans,
      volume: d.cumulativeVolume,
      outstanding_loans: d.outstandingLoans,
      outstanding: d.outstandingPrincipal,
      borrowers: d.cumulativeBorrowers,
      lenders: d.cumulativeLenders,
      m1: d.overdue.M1.amount,
      m1_loans: d.overdue.M1.count,
      m3: d.overdue.M3_PLUS.amount,
      largest: d.largestBorrowerShare,
    }).toEqual(direct);
    // And the figures themselves, by hand: 10,000.00 lent; loan A repaid 1,475.19 principal
    // (9,000.00 at 8 % over 6 months: 1,535.19 a month, 60.00 of it interest); loan B's 6.67
    // interest of December (1,000.00 x 8 % / 12) is 2 days late: 6.67 / 8,524.81 = 0.0008.
    expect(d).toMatchObject({
      cumulativeLoans: 2,
      cumulativeVolume: '10000.00',
      outstandingPrincipal: '8524.81',
      cumulativeBorrowers: 2,
      cumulativeLenders: 3,
      compensationPaid: '0.00',
      relatedPartyLoans: 0,
    });
    expect(d.overdue.M1).toEqual({ count: 1, amount: '6.67', rate: '0.0008' });

    // A repayment after the month closed changes nothing published.
    const late = schedule.find((r) => r.loan_id === b.loanId);
    expect((await repay(t, b.loanId, late.amount)).status).toBe(200);
    const again = await get('2026-12');
    expect(again.body).toEqual(res.body);
    expect((await recompute('2027-01-01T00:00:00.000Z')).m1).toBe('0.00'); // the data did change
    await expect(
      sql(`UPDATE operating_disclosures SET hash = repeat('0', 64) WHERE month = '2026-12'`),
    ).rejects.toThrow(/immutable/);
  });
});
