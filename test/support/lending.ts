import { createHmac, randomUUID } from 'node:crypto';
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
  const admin = await staffToken(t, 'ADMIN');
  const borrower = await verifiedUser(t, 'FOUNDER');
  const total = amounts.reduce((s, a) => s + Math.round(Number(a) * 100), 0);
  const target = (total / 100).toFixed(2);
  // Relative to the test's clock, which earlier loans in the same file may have moved on.
  const start = t.clock.now().getTime();
  const days = (n: number) => new Date(start + n * 86_400_000).toISOString();
  const campaignId = await liveCampaign(
    t,
    borrower,
    admin.token,
    debtTerms({
      targetAmount: target,
      maxAmount: target,
      minPledge: '1.00',
      deadline: days(2),
      loanTerms,
    }),
  );
  const lenders: Investor[] = [];
  for (const amount of amounts) {
    const lender = await readyInvestor(t, { deposit: amount });
    await acknowledgeCampaign(t, lender, campaignId);
    const placed = await pledge(t, lender, campaignId, { amount });
    if (placed.status !== 201) throw new Error(`pledge: ${placed.status} ${placed.text}`);
    lenders.push(lender);
  }
  t.clock.set(days(2.01));
  const sweeps = t.app.get(SettlementService);
  await sweeps.runOnce();
  await sweeps.runOnce();
  const loans = await t.http
    .get('/api/v1/me/loans')
    .set('authorization', `Bearer ${borrower.token}`);
  const loan = (loans.body as { id: string; campaignId: string }[]).find(
    (l) => l.campaignId === campaignId,
  );
  if (!loan) throw new Error(`no loan for ${campaignId}: ${loans.status} ${loans.text}`);
  return { loanId: loan.id, campaignId, borrower, lenders };
}

/** A signed custody REPAYMENT notice, as the bank sends it. */
export function repay(
  t: TestApp,
  loanId: string,
  amount: string,
  bankReference = `rep-${randomUUID()}`,
) {
  const raw = JSON.stringify({
    type: 'REPAYMENT',
    bankReference,
    loanId,
    amount,
    currency: 'CNY',
    occurredAt: t.clock.now().toISOString(),
  });
  const sig = createHmac('sha256', t.config.ledger.custodyWebhookSecret).update(raw).digest('hex');
  return t.http
    .post('/api/v1/custody/notifications')
    .set('content-type', 'application/json')
    .set('x-custody-signature', `sha256=${sig}`)
    .send(raw);
}

/** Noon UTC of a calendar date, for setting the clock to a due date. */
export const noonOf = (date: string, plusDays = 0): string =>
  new Date(Date.parse(`${date}T12:00:00Z`) + plusDays * 86_400_000).toISOString();
