import { Money } from '../../src/common/money/money.js';
import { LedgerService } from '../../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../../src/modules/escrow-ledger/ledger.types.js';
import { walletAccount, type WalletLine } from '../../src/modules/escrow-ledger/wallet-lines.js';
import { equityTerms } from './holdings.js';
import { debtTerms, loanTerms, type Investor } from './pledging.js';
import type { TestApp } from './test-app.js';
import type { TestUser } from './users.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

export interface DraftPair {
  equity: string;
  debt: string;
}

/**
 * An EQUITY and a DEBT DRAFT of `founder` (an organisation, CN-ECF-06), each with its disclosure
 * and the debt side with its loan terms, deadline 2 days on the test clock unless the terms say
 * otherwise (issue 15). Not linked yet.
 */
export async function draftPair(
  t: TestApp,
  founder: TestUser,
  over: { equity?: Record<string, unknown>; debt?: Record<string, unknown> } = {},
): Promise<DraftPair> {
  const deadline = new Date(t.clock.now().getTime() + 2 * 86_400_000).toISOString();
  const create = async (terms: object) => {
    const res = await t.http.post('/api/v1/campaigns').set(auth(founder.token)).send(terms);
    if (res.status !== 201) throw new Error(`campaign: ${res.status} ${res.text}`);
    const id = res.body.id as string;
    const disclosed = await t.http
      .post(`/api/v1/campaigns/${id}/disclosures`)
      .set(auth(founder.token))
      .send({ title: 'Plan', body: 'Use of funds.', material: false });
    if (disclosed.status !== 201) throw new Error(`disclosure: ${disclosed.status}`);
    return id;
  };
  const equity = await create(
    equityTerms(t, { targetAmount: '500.00', deadline, ...(over.equity ?? {}) }),
  );
  const debt = await create(
    debtTerms({
      targetAmount: '1000.00',
      maxAmount: '2000.00',
      minPledge: '1.00',
      deadline,
      ...(over.debt ?? {}),
    }),
  );
  const terms = await t.http
    .put(`/api/v1/campaigns/${debt}/loan-terms`)
    .set(auth(founder.token))
    .send(loanTerms());
  if (terms.status !== 200) throw new Error(`loan terms: ${terms.status} ${terms.text}`);
  return { equity, debt };
}

export const linkPair = (t: TestApp, founder: TestUser, equity: string, debt: string) =>
  t.http
    .post(`/api/v1/campaigns/${equity}/linked-raise`)
    .set(auth(founder.token))
    .send({ debtCampaignId: debt });

/** Submits and approves (rating R3) one campaign; throws on any refusal. */
export async function submitAndApprove(
  t: TestApp,
  founder: TestUser,
  adminToken: string,
  id: string,
): Promise<void> {
  const submitted = await t.http.post(`/api/v1/campaigns/${id}/submit`).set(auth(founder.token));
  if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${submitted.text}`);
  const approved = await t.http
    .post(`/api/v1/admin/campaigns/${id}/approve`)
    .set(auth(adminToken))
    .send({ riskRating: 'R3', ratingReason: 'test' });
  if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${approved.text}`);
}

/** A LIVE linked raise: two drafts, linked, submitted and approved. */
export async function liveLinkedPair(
  t: TestApp,
  founder: TestUser,
  adminToken: string,
  over: { equity?: Record<string, unknown>; debt?: Record<string, unknown> } = {},
): Promise<DraftPair> {
  const pair = await draftPair(t, founder, over);
  const linked = await linkPair(t, founder, pair.equity, pair.debt);
  if (linked.status !== 201) throw new Error(`link: ${linked.status} ${linked.text}`);
  for (const id of [pair.equity, pair.debt]) await submitAndApprove(t, founder, adminToken, id);
  return pair;
}

/** Deposits `amount` into another wallet line of `investor` (PLAT-07: equity and debt apart). */
export async function depositLine(
  t: TestApp,
  investor: Investor,
  line: WalletLine,
  amount: string,
): Promise<string> {
  const ledger = t.app.get(LedgerService);
  const wallet = walletAccount(investor.id, line);
  await ledger.openAccount(wallet, 'LIABILITY');
  await ledger.transfer({
    idempotencyKey: `test-deposit:${investor.id}:${line}`,
    kind: 'DEPOSIT',
    debitAccount: AccountCodes.custodyCash,
    creditAccount: wallet,
    amount: Money.parse(amount, ledger.currency),
  });
  return wallet;
}
