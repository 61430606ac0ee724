import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Money } from '../src/common/money/money.js';
import { simulateCustody } from '../src/custody-simulator.js';
import { AccountCodes } from '../src/modules/escrow-ledger/ledger.types.js';
import { ledgerProblems, sealEverything } from './support/ledger.js';
import { noonOf, repay, seedLoan, settledLoan, startLendingApp } from './support/lending.js';
import { debtTerms } from './support/pledging.js';
import type { TestApp } from './support/test-app.js';
import { verifiedUser } from './support/users.js';

/**
 * Issue 14: a repayment is applied penalty -> interest -> principal, oldest first; each applied
 * instalment is paid out to every lender in one ledger batch whose shares add up exactly (997
 * lenders); a REPAYMENT notice delivered many times at once applies once; partial payments and
 * overpayments (held as the borrower's credit, applied when the next instalment falls due).
 */
describe('repayments to the fen (issue 14)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startLendingApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const sql = async (text: string, params: unknown[] = []) =>
    (await (await t.db.client()).query(text, params)).rows;
  const fen = (v: string) => Money.fromDecimalString(v, 'CNY').fen;

  it('a repayment split over 997 lenders sums exactly, per lender and in total, in one batch', async () => {
    // A loan seeded straight into the lending tables (997 verified investors over HTTP would take
    // minutes); the repayment itself goes the real way: a signed custody notice.
    let seed = 7;
    const lenders = Array.from({ length: 997 }, () => {
      seed = (seed * 48271) % 2147483647;
      return { id: randomUUID(), claim: Money.fromFen(BigInt(100 + (seed % 900_000)), 'CNY') };
    });
    // A real (draft) debt campaign and its founder stand behind the seeded loan.
    const founder = await verifiedUser(t, 'FOUNDER');
    const campaign = await t.http
      .post('/api/v1/campaigns')
      .set('authorization', `Bearer ${founder.token}`)
      .send(debtTerms());
    // Users rows only (notices reference them); they never log in.
    await sql(
      `INSERT INTO users (id, email, password_hash, role, kind, created_at)
       SELECT id, id::text || '@lenders.test', 'not-a-hash', 'INVESTOR', 'PERSON', now()
         FROM unnest($1::uuid[]) AS u(id)`,
      [lenders.map((l) => l.id)],
    );
    const { loanId, schedule, shares } = await seedLoan(t, {
      campaignId: campaign.body.id as string,
      borrowerId: founder.id,
      lenders,
      annualRate: '0.0975',
      termMonths: 7,
      method: 'EQUAL_PRINCIPAL',
      startDate: '2026-10-28',
    });
    const first = schedule[0];
    const amount = first.principal.plus(first.interest);
    const started = performance.now();
    const res = await repay(t, loanId, amount.toString());
    const ms = Math.round(performance.now() - started);
    process.stdout.write(`[lending] one repayment split over 997 lenders applied in ${ms} ms\n`);
    expect(res.status).toBe(200);

    const out = await sql(
      `SELECT c.code, t.amount::text, t.reference, t.tx_id::text FROM ledger_transfers t
         JOIN ledger_accounts d ON d.id = t.debit_account_id JOIN ledger_accounts c ON c.id = t.credit_account_id
        WHERE d.code = $1`,
      [AccountCodes.loanRepayment(loanId)],
    );
    expect(new Set(out.map((r) => r.tx_id)).size).toBe(1); // one batch, one transaction
    const total = out.reduce((s, r) => s + fen(r.amount as string), 0n);
    expect(total).toBe(amount.fen);
    const feeRow = out.filter((r) => r.code === 'platform:fees');
    expect(feeRow).toHaveLength(1);
    // fee = 10 % of the interest, half-up
    expect(fen(feeRow[0].amount as string)).toBe(first.interest.times('0.1', 'HALF_UP').fen);
    const byLender = new Map<string, { principal: bigint; interest: bigint }>();
    for (const r of out) {
      const lender = (r.code as string).split(':')[1];
      const entry = byLender.get(lender) ?? { principal: 0n, interest: 0n };
      if ((r.reference as string).endsWith(':principal'))
        entry.principal += fen(r.amount as string);
      if ((r.reference as string).endsWith(':interest')) entry.interest += fen(r.amount as string);
      byLender.set(lender, entry);
    }
    let interestNet = 0n;
    lenders.forEach((l, i) => {
      const got = byLender.get(l.id);
      expect(got?.principal ?? 0n).toBe(shares[0][i].principal.fen);
      // net interest is the share less its part of the fee, never more than the share
      expect((got?.interest ?? 0n) <= shares[0][i].interest.fen).toBe(true);
      interestNet += got?.interest ?? 0n;
    });
    expect(interestNet + fen(feeRow[0].amount as string)).toBe(first.interest.fen);
    const [claimSums] = await sql(
      `SELECT sum(principal_received)::text AS p, sum(interest_received)::text AS i FROM loan_claims WHERE loan_id = $1`,
      [loanId],
    );
    expect([fen(claimSums.p), fen(claimSums.i)]).toEqual([first.principal.fen, interestNet]);
    await sealEverything(t);
    expect(await ledgerProblems(t)).toEqual([]);
  }, 120_000);

  it('the same REPAYMENT notice fired 8 times at once applies once; another body under it is 409', async () => {
    const { loanId, lenders } = await settledLoan(t, ['600.00', '400.00'], {
      termMonths: 3,
      method: 'INTEREST_ONLY',
      annualRate: '0.1200',
    });
    const [inst] = await sql(
      `SELECT due_date::text AS due, interest::text FROM loan_instalments WHERE loan_id = $1 AND number = 1`,
      [loanId],
    );
    expect(inst.interest).toBe('10.00'); // 1,000.00 x 12 % / 12
    t.clock.set(noonOf(inst.due));
    const ref = `dup-${randomUUID()}`;
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => repay(t, loanId, '10.00', ref)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(answers.filter((a) => a.body.replayed === false)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.transferId)).size).toBe(1);
    expect(
      await sql(`SELECT count(*)::int AS n FROM loan_repayments WHERE loan_id = $1`, [loanId]),
    ).toEqual([{ n: 1 }]);
    // 10.00 interest, 1.00 fee: 5.40 and 3.60 to the lenders, once.
    const wallets = await sql(
      `SELECT code, (credits_posted - debits_posted)::text AS balance FROM ledger_accounts WHERE code = ANY($1) ORDER BY balance DESC`,
      [lenders.map((l) => l.wallet)],
    );
    expect(wallets.map((w) => w.balance)).toEqual(['5.40', '3.60']);
    const [loanRow] = await sql(`SELECT borrower_credit::text FROM loans WHERE id = $1`, [loanId]);
    expect(loanRow.borrower_credit).toBe('0.00');
    const reused = await repay(t, loanId, '11.00', ref);
    expect([reused.status, reused.body.error.code]).toEqual([409, 'IDEMPOTENCY.KEY_REUSED']);
    const unknown = await repay(t, randomUUID(), '1.00');
    expect([unknown.status, unknown.body.error.code]).toEqual([422, 'CUSTODY.UNKNOWN_LOAN']);
  });

  it('partial payment goes penalty -> interest -> principal; overpayment is held, then applied when due', async () => {
    const { loanId } = await settledLoan(t, ['1200.00'], {
      termMonths: 3,
      method: 'EQUAL_PRINCIPAL',
      annualRate: '0.1200',
    });
    const instalments = async () =>
      sql(
        `SELECT number, status, principal_paid::text AS p, interest_paid::text AS i, penalty_paid::text AS pen
           FROM loan_instalments WHERE loan_id = $1 ORDER BY number`,
        [loanId],
      );
    const [{ due }] = await sql(
      `SELECT due_date::text AS due FROM loan_instalments WHERE loan_id = $1 AND number = 1`,
      [loanId],
    );
    t.clock.set(noonOf(due));
    // instalment 1: 400.00 principal + 12.00 interest; 5.00 pays interest only
    expect((await repay(t, loanId, '5.00')).status).toBe(200);
    expect((await instalments())[0]).toMatchObject({ status: 'SCHEDULED', p: '0.00', i: '5.00' });
    // 500.00 more: 7.00 interest + 400.00 principal close instalment 1; 93.00 is not enough to pay
    // off (800.00 + 8.00 + 8.00), so it is held as credit, not applied ahead of time.
    expect((await repay(t, loanId, '500.00')).status).toBe(200);
    expect((await instalments()).map((r) => r.status)).toEqual(['PAID', 'SCHEDULED', 'SCHEDULED']);
    expect((await instalments())[0]).toMatchObject({ p: '400.00', i: '12.00' });
    const credit = async () =>
      (await sql(`SELECT borrower_credit::text AS c FROM loans WHERE id = $1`, [loanId]))[0].c;
    expect(await credit()).toBe('93.00');
    // At the next due date the sweep applies the credit: 8.00 interest, 85.00 principal.
    const [{ due2 }] = await sql(
      `SELECT due_date::text AS due2 FROM loan_instalments WHERE loan_id = $1 AND number = 2`,
      [loanId],
    );
    t.clock.set(noonOf(due2));
    const { LoanOverdueSweep } = await import('../src/modules/lending/index.js');
    await t.app.get(LoanOverdueSweep).runOnce();
    expect((await instalments())[1]).toMatchObject({ status: 'SCHEDULED', p: '85.00', i: '8.00' });
    expect(await credit()).toBe('0.00');
    await sealEverything(t);
    expect(await ledgerProblems(t)).toEqual([]);
  });

  it('custody:simulate repayment plays the bank for a borrower: signed, applied, a retry replayed', async () => {
    const { loanId } = await settledLoan(t, ['600.00'], { termMonths: 3, annualRate: '0.1200' });
    await t.app.listen(0, '127.0.0.1');
    const url = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    const send = () =>
      simulateCustody(
        { notice: 'repayment', loanId, amount: '50.00', bankReference: `SIM-${loanId}`, url },
        t.config,
        t.clock.now(),
      );
    const first = await send();
    expect(first.sent).toMatchObject({ type: 'REPAYMENT', loanId, amount: '50.00' });
    expect(first.sent).not.toHaveProperty('userId');
    expect(first.status).toBe(200);
    expect(first.response).toMatchObject({ replayed: false });
    const again = await send();
    expect([again.status, again.response]).toMatchObject([200, { replayed: true }]);
    const applied = await sql(
      `SELECT amount::text AS amount FROM loan_repayments WHERE loan_id = $1`,
      [loanId],
    );
    expect(applied).toEqual([{ amount: '50.00' }]);
    await sealEverything(t);
    expect(await ledgerProblems(t)).toEqual([]);
  });
});
