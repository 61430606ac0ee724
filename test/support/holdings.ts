import { randomUUID } from 'node:crypto';
import { LedgerService } from '../../src/modules/escrow-ledger/ledger.service.js';
import { walletAccount } from '../../src/modules/escrow-ledger/wallet-lines.js';
import { custodyNotice } from './lending.js';
import { debtTerms, type Investor, readyInvestor } from './pledging.js';
import { ALL_LINES } from './lines.js';
import { startTestApp, type TestApp } from './test-app.js';
import type { TestUser } from './users.js';

/** A test app for equity after the close: all four lines (PLAT-07: equity and debt wallets apart),
 * settlement at the deadline (no cooling-off or call), as startLendingApp. */
export const startHoldingsApp = (overrides: Record<string, unknown> = {}): Promise<TestApp> =>
  startTestApp({
    PLATFORM_LINES: ALL_LINES,
    RULE_PACK_OVERRIDES: JSON.stringify({
      coolingOffHours: 0,
      confirmationCallRequired: false,
      ...overrides,
    }),
  });

/** A private EQUITY campaign at 50.00 a unit, deadline in 2 days of the test clock (issue 15). */
export const equityTerms = (t: TestApp, over: Record<string, unknown> = {}) =>
  debtTerms({
    kind: 'EQUITY',
    offering: 'PRIVATE',
    unitPrice: '50.00',
    targetAmount: '100.00',
    maxAmount: '100000.00',
    minPledge: '50.00',
    deadline: new Date(t.clock.now().getTime() + 2 * 86_400_000).toISOString(),
    ...over,
  });

/** A ready investor, qualified for a year (CN-ECF-03: private equity is for qualified investors). */
export async function qualifiedInvestor(t: TestApp): Promise<Investor> {
  const inv = await readyInvestor(t, { line: 'EQUITY' }); // PLAT-07: equity money, equity wallet
  await (
    await t.db.client()
  ).query(
    `INSERT INTO investor_profiles (user_id, category, qualified_until, updated_at)
     VALUES ($1, 'ORDINARY', $2, now())`,
    [inv.id, new Date(t.clock.now().getTime() + 365 * 86_400_000)],
  );
  return inv;
}

/** A LIVE equity campaign whose DRAFT took `equity` terms (e.g. a NOMINEE), then review. */
export async function equityCampaignWithTerms(
  t: TestApp,
  founder: TestUser,
  adminToken: string,
  over: Record<string, unknown>,
  equity: object,
): Promise<string> {
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const created = await t.http
    .post('/api/v1/campaigns')
    .set(auth(founder.token))
    .send(equityTerms(t, over));
  if (created.status !== 201) throw new Error(`campaign: ${created.status} ${created.text}`);
  const id = created.body.id as string;
  const steps = [
    t.http.put(`/api/v1/campaigns/${id}/equity-terms`).set(auth(founder.token)).send(equity),
    t.http
      .post(`/api/v1/campaigns/${id}/disclosures`)
      .set(auth(founder.token))
      .send({ title: 'Plan', body: 'Use of funds.', material: false }),
  ];
  for (const step of steps) if ((await step).status >= 300) throw new Error('equity draft');
  const submitted = await t.http.post(`/api/v1/campaigns/${id}/submit`).set(auth(founder.token));
  if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${submitted.text}`);
  const approved = await t.http
    .post(`/api/v1/admin/campaigns/${id}/approve`)
    .set(auth(adminToken))
    .send({ riskRating: 'R3', ratingReason: 'test' });
  if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${approved.text}`);
  return id;
}

/**
 * A one-holding register as the settlement hand-over writes it (issue 15), for tests that need a
 * holding without settling an equity campaign: counter at 1, certificate 1, `units` at 50.00.
 */
export async function seedHolding(
  t: TestApp,
  h: { campaignId: string; investorId: string; units?: number },
): Promise<string> {
  const id = randomUUID();
  const units = h.units ?? 3;
  // a holder pledged from their equity wallet (PLAT-07), so it exists: distributions pay into it
  await t.app
    .get(LedgerService)
    .openAccount(
      walletAccount(h.investorId, t.config.lines.separated ? 'EQUITY' : 'GENERAL'),
      'LIABILITY',
    );
  const sql = await t.db.client();
  await sql.query(
    `INSERT INTO holding_certificate_counters (campaign_id, last_number) VALUES ($1, 1)`,
    [h.campaignId],
  );
  await sql.query(
    `INSERT INTO holdings (id, campaign_id, certificate_no, investor_id, units, unit_price, cost,
       currency, share_class, vehicle, legal_holder, entry, issued_at)
     VALUES ($1, $2, 1, $3, $4::bigint, 50.00, $4::bigint * 50.00, 'CNY', 'ORDINARY', 'DIRECT', NULL, 'ISSUE', $5)`,
    [id, h.campaignId, h.investorId, units, t.clock.now()],
  );
  return id;
}

/** A signed custody DISTRIBUTION notice, as the bank sends it (issue 15). */
export const fundDistribution = (
  t: TestApp,
  distributionId: string,
  amount: string,
  bankReference = `dist-${randomUUID()}`,
) => custodyNotice(t, { type: 'DISTRIBUTION', bankReference, distributionId, amount });

/**
 * A register of many holders written as settlement writes it (tests of scale: thousands of
 * verified investors over HTTP would take minutes): users rows, their wallets, counter and holdings.
 */
export async function seedRegister(
  t: TestApp,
  campaignId: string,
  units: readonly bigint[],
): Promise<string[]> {
  const ids = units.map(() => randomUUID());
  const sql = await t.db.client();
  await sql.query(
    `INSERT INTO users (id, email, password_hash, role, kind, created_at)
     SELECT id, id::text || '@holders.test', 'not-a-hash', 'INVESTOR', 'PERSON', now()
       FROM unnest($1::uuid[]) AS u(id)`,
    [ids],
  );
  const ledger = t.app.get(LedgerService);
  const wallet = (id: string) => walletAccount(id, t.config.lines.separated ? 'EQUITY' : 'GENERAL');
  for (const id of ids) await ledger.openAccount(wallet(id), 'LIABILITY');
  await sql.query(
    `INSERT INTO holding_certificate_counters (campaign_id, last_number) VALUES ($1, $2)`,
    [campaignId, ids.length],
  );
  await sql.query(
    `INSERT INTO holdings (id, campaign_id, certificate_no, investor_id, units, unit_price, cost,
       currency, share_class, vehicle, entry, issued_at)
     SELECT gen_random_uuid(), $1, n, investor, u, 50.00, u * 50.00, 'CNY', 'ORDINARY', 'DIRECT',
            'ISSUE', now()
       FROM unnest($2::uuid[], $3::bigint[]) WITH ORDINALITY AS r(investor, u, n)`,
    [campaignId, ids, units.map(String)],
  );
  return ids;
}
