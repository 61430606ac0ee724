import { randomUUID } from 'node:crypto';
import { Money } from '../../src/common/money/money.js';
import { LedgerService } from '../../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../../src/modules/escrow-ledger/ledger.types.js';
import { walletAccount, type WalletLine } from '../../src/modules/escrow-ledger/wallet-lines.js';
import { QUESTIONNAIRE_CN_V1 } from '../../src/modules/investor-classification/questionnaire-cn-v1.js';
import { TEST_START, type TestApp } from './test-app.js';
import { type TestUser, verifiedUser } from './users.js';

export const inDays = (days: number): string =>
  new Date(Date.parse(TEST_START) + days * 86_400_000).toISOString();

export const debtTerms = (over: Record<string, unknown> = {}) => ({
  kind: 'DEBT',
  offering: 'PUBLIC',
  fundingModel: 'ALL_OR_NOTHING',
  title: 'Workshop loan',
  summary: 'Machines and stock.',
  targetAmount: '5000.00',
  maxAmount: '10000.00',
  minPledge: '100.00',
  deadline: inDays(30),
  riskRating: 'R3',
  ...over,
});

/** Loan terms a debt campaign needs before submit (issue 14). */
export const loanTerms = (over: Record<string, unknown> = {}) => ({
  annualRate: '0.0800',
  termMonths: 12,
  method: 'EQUAL_INSTALLMENT',
  graceDays: 3,
  penaltyAnnualRate: '0.1800',
  purposeCategory: 'EQUIPMENT',
  purpose: 'Two lathes for the workshop',
  otherPlatformDebt: '0.00',
  ...over,
});

export const rewardTerms = (over: Record<string, unknown> = {}) => ({
  kind: 'REWARD',
  fundingModel: 'ALL_OR_NOTHING',
  title: 'Teapot',
  summary: 's',
  targetAmount: '1000.00',
  maxAmount: '5000.00',
  minPledge: '10.00',
  deadline: inDays(10),
  ...over,
});

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * A LIVE campaign with a published disclosure (founder creates, admin approves). ADMIN sets the
 * rating the founder proposed (CN-SUIT-08/20), so a test's terms say what rating it runs under.
 */
export async function liveCampaign(
  t: TestApp,
  founder: TestUser,
  adminToken: string,
  terms: object,
): Promise<string> {
  // `loanTerms` (issue 14) is not part of the campaign: it is set through its own route.
  const { loanTerms: customLoanTerms, ...campaignTerms } = terms as {
    loanTerms?: Record<string, unknown>;
  };
  const created = await t.http
    .post('/api/v1/campaigns')
    .set(auth(founder.token))
    .send(campaignTerms);
  if (created.status !== 201) throw new Error(`campaign: ${created.status} ${created.text}`);
  const id = created.body.id as string;
  // Issue 14: a debt campaign goes to review with its loan terms (CN-P2P-02).
  if ((terms as { kind?: string }).kind === 'DEBT') {
    const set = await t.http
      .put(`/api/v1/campaigns/${id}/loan-terms`)
      .set(auth(founder.token))
      .send(loanTerms(customLoanTerms));
    if (set.status !== 200) throw new Error(`loan terms: ${set.status} ${set.text}`);
  }
  await deliveryPlan(t, founder, id, created.body as CreatedCampaign);
  await t.http
    .post(`/api/v1/campaigns/${id}/disclosures`)
    .set(auth(founder.token))
    .send({ title: 'Plan', body: 'Use of funds.', material: false });
  const submitted = await t.http.post(`/api/v1/campaigns/${id}/submit`).set(auth(founder.token));
  if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${submitted.text}`);
  const proposed = (terms as { riskRating?: string }).riskRating;
  const approved = await t.http
    .post(`/api/v1/admin/campaigns/${id}/approve`)
    .set(auth(adminToken))
    .send(proposed ? { riskRating: proposed, ratingReason: 'test: as proposed' } : {});
  if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${approved.text}`);
  return id;
}

export interface CreatedCampaign {
  kind: string;
  targetAmount: string;
  rewardTiers?: { id: string }[];
}

/**
 * RW-03: a reward campaign's tiers each state a delivery month (physical, three months after the
 * test start unless `months` says otherwise) before submit.
 */
export async function deliveryPlan(
  t: TestApp,
  founder: TestUser,
  campaignId: string,
  created: CreatedCampaign,
  month = '2027-02',
): Promise<void> {
  const tiers = created.rewardTiers ?? [];
  if (created.kind !== 'REWARD' || tiers.length === 0) return;
  const res = await t.http
    .put(`/api/v1/campaigns/${campaignId}/delivery-plan`)
    .set(auth(founder.token))
    .send({
      tiers: tiers.map((tier) => ({ tierId: tier.id, deliveryMonth: month, physical: true })),
    });
  if (res.status !== 200) throw new Error(`delivery plan: ${res.status} ${res.text}`);
}

/** Answers that score `target`-ish: the highest option everywhere, or a lowest-category answer. */
export const answers = (pick: Record<string, string> = {}) =>
  QUESTIONNAIRE_CN_V1.questions.map((q) => ({
    questionId: q.id,
    optionId: pick[q.id] ?? [...q.options].sort((a, b) => b.score - a.score)[0].id,
  }));

/** Lowest-scoring non-lowest-category option everywhere except q10b: a C1 investor who is not C1-lowest. */
export const cautiousAnswers = () =>
  QUESTIONNAIRE_CN_V1.questions.map((q) => ({
    questionId: q.id,
    optionId: [...q.options].filter((o) => !o.lowestCategory).sort((a, b) => a.score - b.score)[0]
      .id,
  }));

export interface Investor extends TestUser {
  wallet: string;
}

/**
 * A verified investor who has been assessed, has acknowledged the platform disclosure and has
 * `deposit` in their wallet (credited from custody, as a DEPOSIT notice would). PLAT-07: under
 * line separation the deposit names its line, `line` (default DEBT, the line the helpers' campaigns
 * are, debtTerms); `wallet` is the account credited. Without separation it is the general wallet.
 */
export async function readyInvestor(
  t: TestApp,
  options: {
    deposit?: string;
    answers?: { questionId: string; optionId: string }[];
    financials?: object;
    kind?: 'PERSON' | 'ORGANIZATION';
    line?: WalletLine;
  } = {},
): Promise<Investor> {
  const u = await verifiedUser(t, 'INVESTOR', options.kind ?? 'PERSON');
  const h = auth(u.token);
  const assessed = await t.http
    .post('/api/v1/investors/me/assessment')
    .set(h)
    .send({
      questionnaireVersion: QUESTIONNAIRE_CN_V1.version,
      answers: options.answers ?? answers(),
    });
  if (assessed.status !== 201) throw new Error(`assessment: ${assessed.status} ${assessed.text}`);
  const platform = await t.http.get('/api/v1/platform-disclosure').set(h);
  await t.http
    .post('/api/v1/platform-disclosure/acknowledge')
    .set(h)
    .send({ version: platform.body.version });
  if (options.financials)
    await t.http.put('/api/v1/investors/me/financials').set(h).send(options.financials);
  const ledger = t.app.get(LedgerService);
  const wallet = t.config.lines.separated
    ? walletAccount(u.id, options.line ?? 'DEBT')
    : walletAccount(u.id);
  await ledger.openAccount(wallet, 'LIABILITY');
  await ledger.transfer({
    idempotencyKey: `test-deposit:${u.id}`,
    kind: 'DEPOSIT',
    debitAccount: AccountCodes.custodyCash,
    creditAccount: wallet,
    amount: Money.parse(options.deposit ?? '100000.00', ledger.currency),
  });
  return { ...u, wallet };
}

export async function acknowledgeCampaign(
  t: TestApp,
  investor: TestUser,
  campaignId: string,
): Promise<void> {
  const current = await t.http
    .get(`/api/v1/campaigns/${campaignId}/disclosures/current`)
    .set(auth(investor.token));
  const ack = await t.http
    .post(`/api/v1/campaigns/${campaignId}/disclosures/${current.body.version}/acknowledge`)
    .set(auth(investor.token));
  if (ack.status !== 201) throw new Error(`ack: ${ack.status} ${ack.text}`);
}

export const pledge = (
  t: TestApp,
  investor: TestUser,
  campaignId: string,
  body: object,
  key: string = randomUUID(),
) =>
  t.http
    .post(`/api/v1/campaigns/${campaignId}/pledges`)
    .set(auth(investor.token))
    .set('idempotency-key', key)
    .send(body);
