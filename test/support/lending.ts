import { createHmac, randomUUID } from 'node:crypto';
import { Money } from '../../src/common/money/money.js';
import { TransactionRunner } from '../../src/database/transaction.js';
import { LedgerService } from '../../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../../src/modules/escrow-ledger/ledger.types.js';
import { addMonths } from '../../src/modules/lending/loan-dates.js';
import {
  computeSchedule,
  type RepaymentMethod,
  splitSchedule,
} from '../../src/modules/lending/loan-schedule.js';
import { LoansRepository } from '../../src/modules/lending/loans.repository.js';
import { SettlementService } from '../../src/modules/settlement/settlement.service.js';
import {
  acknowledgeCampaign,
  debtTerms,
  type Investor,
  liveCampaign,
  pledge,
  readyInvestor,
} from './pledging.js';
import { startTestApp, type TestApp } from './test-app.js';
import { staffToken, type TestUser, verifiedUser } from './users.js';

/**
 * A test app for loans (issue 14): no cooling-off wait and no confirmation call, so a debt
 * campaign settles at its deadline; everything else is the CN pack.
 */
export const startLendingApp = (overrides: Record<string, unknown> = {}): Promise<TestApp> =>
  startTestApp({
    RULE_PACK_OVERRIDES: JSON.stringify({
      coolingOffHours: 0,
      confirmationCallRequired: false,
      ...overrides,
    }),
  });

export interface SettledLoan {
  loanId: string;
  campaignId: string;
  borrower: TestUser;
  lenders: Investor[];
}

/** A DEBT campaign pledged by `amounts` (one lender each), settled after its 2-day deadline. */
export async function settledLoan(
  t: TestApp,
  amounts: readonly string[],
  loanTerms: Record<string, unknown> = {},
): Promise<SettledLoan> {
  return (await settledLoans(t, [{ amounts, loanTerms }]))[0];
}

/** Several DEBT campaigns with the same 2-day deadline, settled by one sweep (same start date). */
export async function settledLoans(
  t: TestApp,
  specs: readonly { amounts: readonly string[]; loanTerms?: Record<string, unknown> }[],
): Promise<SettledLoan[]> {
  const admin = await staffToken(t, 'ADMIN');
  // Relative to the test's clock, which earlier loans in the same file may have moved on.
  const start = t.clock.now().getTime();
  const days = (n: number) => new Date(start + n * 86_400_000).toISOString();
  const pledged: Omit<SettledLoan, 'loanId'>[] = [];
  for (const spec of specs) {
    const borrower = await verifiedUser(t, 'FOUNDER');
    const total = spec.amounts.reduce((s, a) => s + Math.round(Number(a) * 100), 0);
    const target = (total / 100).toFixed(2);
    const campaignId = await liveCampaign(
      t,
      borrower,
      admin.token,
      debtTerms({
        targetAmount: target,
        maxAmount: target,
        minPledge: '1.00',
        deadline: days(2),
        loanTerms: spec.loanTerms ?? {},
      }),
    );
    const lenders: Investor[] = [];
    for (const amount of spec.amounts) {
      const lender = await readyInvestor(t, { deposit: amount });
      await acknowledgeCampaign(t, lender, campaignId);
      const placed = await pledge(t, lender, campaignId, { amount });
      if (placed.status !== 201) throw new Error(`pledge: ${placed.status} ${placed.text}`);
      lenders.push(lender);
    }
    pledged.push({ campaignId, borrower, lenders });
  }
  t.clock.set(days(2.01));
  const sweeps = t.app.get(SettlementService);
  await sweeps.runOnce();
  await sweeps.runOnce();
  const out: SettledLoan[] = [];
  for (const p of pledged) {
    const loans = await t.http
      .get('/api/v1/me/loans')
      .set('authorization', `Bearer ${p.borrower.token}`);
    const loan = (loans.body.items as { id: string; campaignId: string }[]).find(
      (l) => l.campaignId === p.campaignId,
    );
    if (!loan) throw new Error(`no loan for ${p.campaignId}: ${loans.status} ${loans.text}`);
    out.push({ loanId: loan.id, ...p });
  }
  return out;
}

/** A custody notice signed as the bank signs it (CNY, occurred now on the test clock). */
export function custodyNotice(t: TestApp, body: Record<string, unknown>) {
  const raw = JSON.stringify({ ...body, currency: 'CNY', occurredAt: t.clock.now().toISOString() });
  const sig = createHmac('sha256', t.config.ledger.custodyWebhookSecret).update(raw).digest('hex');
  return t.http
    .post('/api/v1/custody/notifications')
    .set('content-type', 'application/json')
    .set('x-custody-signature', `sha256=${sig}`)
    .send(raw);
}

/** A signed custody REPAYMENT notice, as the bank sends it. */
export const repay = (
  t: TestApp,
  loanId: string,
  amount: string,
  bankReference = `rep-${randomUUID()}`,
) => custodyNotice(t, { type: 'REPAYMENT', bankReference, loanId, amount });

/** Noon UTC of a calendar date, for setting the clock to a due date. */
export const noonOf = (date: string, plusDays = 0): string =>
  new Date(Date.parse(`${date}T12:00:00Z`) + plusDays * 86_400_000).toISOString();

/**
 * A loan written straight into the lending tables, as origination would write it, for tests that
 * need many lenders or a loan without going through a campaign's whole life. The lenders' wallets
 * and the loan's repayment account are opened in the ledger; users and campaign must exist.
 */
export async function seedLoan(
  t: TestApp,
  loan: {
    campaignId: string;
    borrowerId: string;
    lenders: readonly { id: string; claim: Money }[];
    annualRate?: string;
    termMonths?: number;
    method?: RepaymentMethod;
    startDate?: string;
  },
): Promise<{
  loanId: string;
  schedule: ReturnType<typeof computeSchedule>;
  shares: ReturnType<typeof splitSchedule>;
}> {
  const ledger = t.app.get(LedgerService);
  const annualRate = loan.annualRate ?? '0.0800';
  const termMonths = loan.termMonths ?? 12;
  const method = loan.method ?? 'EQUAL_INSTALLMENT';
  const startDate = loan.startDate ?? t.clock.now().toISOString().slice(0, 10);
  const claims = loan.lenders.map((l) => l.claim);
  const principal = Money.sum(claims, 'CNY');
  const schedule = computeSchedule({ principal, annualRate, termMonths, method });
  const shares = splitSchedule(schedule, claims);
  const loanId = randomUUID();
  for (const l of loan.lenders)
    await ledger.openAccount(AccountCodes.investorAvailable(l.id), 'LIABILITY');
  await ledger.openAccount(AccountCodes.loanRepayment(loanId), 'LIABILITY');
  await t.app.get(TransactionRunner).run((tx) =>
    t.app.get(LoansRepository).insertLoan(
      {
        id: loanId,
        campaignId: loan.campaignId,
        borrowerId: loan.borrowerId,
        currency: 'CNY',
        principal: principal.toString(),
        annualRate,
        termMonths,
        method,
        graceDays: 0,
        penaltyAnnualRate: '0.1800',
        dayCountBasis: 365,
        serviceFeeRate: '0.1000',
        earlyRepaymentFeeRate: '0.0100',
        defaultAfterDays: 90,
        status: 'ACTIVE',
        startDate,
        borrowerCredit: '0.00',
        overdueRecordedAt: null,
        createdAt: t.clock.now(),
        closedAt: null,
      },
      loan.lenders.map((l) => ({
        lenderId: l.id,
        principal: l.claim.toString(),
        interest: '0.00',
      })),
      schedule.map((i) => ({
        loanId,
        number: i.number,
        dueDate: addMonths(startDate, i.number),
        principal: i.principal.toString(),
        interest: i.interest.toString(),
        interestWaived: '0.00',
        penalty: '0.00',
        principalPaid: '0.00',
        interestPaid: '0.00',
        penaltyPaid: '0.00',
        penaltyThrough: addMonths(startDate, i.number),
        status: 'SCHEDULED',
        overdueSince: null,
        paidAt: null,
      })),
      shares.flatMap((row, k) =>
        row.map((s, i) => ({
          number: k + 1,
          lenderId: loan.lenders[i].id,
          principal: s.principal.toString(),
          interest: s.interest.toString(),
        })),
      ),
      tx,
    ),
  );
  return { loanId, schedule, shares };
}
