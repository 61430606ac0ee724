import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { SettlementService } from '../../src/modules/settlement/settlement.service.js';
import { QUESTIONNAIRE_CN_V1 } from '../../src/modules/investor-classification/questionnaire-cn-v1.js';
import {
  acknowledgeCampaign,
  answers,
  liveCampaign,
  loanTerms,
  pledge,
} from '../support/pledging.js';
import { settledLoan } from '../support/lending.js';
import type { TestApp } from '../support/test-app.js';
import { PASSWORD, staffToken, type TestUser, totpCode, verifiedUser } from '../support/users.js';

/** The secrets the seeding app and the served app share (the TOTP secrets are sealed with the PII key). */
export const SHARED_ENV = {
  JWT_SECRET: 'console-browser-test-jwt-secret-0123456789abcdef',
  PII_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
  PII_LOOKUP_KEY: 'console-browser-test-lookup-key-0123456789',
  CUSTODY_WEBHOOK_SECRET: 'console-browser-test-custody-secret-0123456789',
};

/**
 * The seeding app's rule pack: a debt campaign settles into a loan at its deadline, without the
 * cooling-off wait and the confirmation call (as test/support/lending.ts's startLendingApp). The
 * served app runs the CN pack unchanged.
 */
export const SEEDING_RULE_PACK = {
  RULE_PACK_OVERRIDES: JSON.stringify({ coolingOffHours: 0, confirmationCallRequired: false }),
};

/** Debian's Chromium (apt-get install chromium), or CHROMIUM_PATH. */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

/** A staff member with TOTP enrolled and confirmed (one code used), who has not signed in since. */
export interface BrowserStaff {
  id: string;
  email: string;
  password: string;
  totpSecret: string;
  /** The 30-second step of the code the confirmation used (a later sign-in needs a later step). */
  usedStep: number;
}

const step = () => Math.floor(Date.now() / 30_000);

/** A code the server will accept now: the current step's, or the next one's if the current was used. */
export async function nextCode(staff: BrowserStaff): Promise<string> {
  const ahead = step() <= staff.usedStep ? staff.usedStep + 1 - step() : 0;
  staff.usedStep = step() + ahead;
  return totpCode(staff.totpSecret, ahead);
}

async function enrolledStaff(t: TestApp, role: 'ADMIN' | 'FINANCE'): Promise<BrowserStaff> {
  const { IdentityService } = await import('../../src/modules/identity/identity.service.js');
  const email = `console-${role.toLowerCase()}-${randomUUID().slice(0, 8)}@example.com`;
  const created = await t.app
    .get(IdentityService)
    .createUser({ email, password: PASSWORD, role, kind: 'PERSON' }, 'cli');
  const login = await t.http.post('/api/v1/auth/login').send({ email, password: PASSWORD });
  const bearer = `Bearer ${login.body.accessToken as string}`;
  const enrol = await t.http.post('/api/v1/me/totp/enrol').set('authorization', bearer).send({});
  const totpSecret = enrol.body.secret as string;
  const usedStep = step();
  const confirmed = await t.http
    .post('/api/v1/me/totp/confirm')
    .set('authorization', bearer)
    .send({ code: await totpCode(totpSecret) });
  if (confirmed.status !== 200) throw new Error(`totp confirm: ${confirmed.status}`);
  return { id: created.id, email, password: PASSWORD, totpSecret, usedStep };
}

/** Assessed, platform disclosure acknowledged, and funded by a signed custody DEPOSIT notice. */
async function fundedInvestor(
  t: TestApp,
  bankReference: string,
  amount: string,
): Promise<TestUser> {
  const u = await verifiedUser(t, 'INVESTOR');
  const h = { authorization: `Bearer ${u.token}` };
  await t.http
    .post('/api/v1/investors/me/assessment')
    .set(h)
    .send({ questionnaireVersion: QUESTIONNAIRE_CN_V1.version, answers: answers() });
  const platform = await t.http.get('/api/v1/platform-disclosure').set(h);
  await t.http
    .post('/api/v1/platform-disclosure/acknowledge')
    .set(h)
    .send({ version: platform.body.version });
  const raw = JSON.stringify({
    type: 'DEPOSIT',
    bankReference,
    userId: u.id,
    amount,
    currency: 'CNY',
    occurredAt: t.clock.now().toISOString(),
  });
  const signature = createHmac('sha256', SHARED_ENV.CUSTODY_WEBHOOK_SECRET)
    .update(raw)
    .digest('hex');
  const res = await t.http
    .post('/api/v1/custody/notifications')
    .set('content-type', 'application/json')
    .set('x-custody-signature', `sha256=${signature}`)
    .send(raw);
  if (res.status !== 200) throw new Error(`deposit: ${res.status} ${res.text}`);
  return u;
}

export interface Scenario {
  finance: BrowserStaff;
  admin: BrowserStaff;
  founderId: string;
  deposits: { bankReference: string; amount: string }[];
  /** UTC date of the deposits (the reconciliation period is that one day). */
  depositDay: string;
  payoutIds: string[];
  pendingCampaign: { id: string; title: string };
  /** A loan settled about 48 days ago: its first instalment is 2-3 weeks overdue (bucket M1). */
  loan: { id: string; principal: string };
  /** custody:cash before the deposits of the reconciled day (the loan's lender deposited earlier). */
  custodyBefore: string;
}

const DAY = 86_400_000;

/**
 * The scripted set (issue 17): three deposits, three pledges on two reward campaigns that settle,
 * two payouts the founder requested (so the FINANCE user approving them is another person), and a
 * debt campaign waiting for review. The seeding clock runs 12 days behind the wall clock, so the
 * settlement lies in the past when the served app (on the wall clock) shows it.
 */
export async function seedScenario(t: TestApp): Promise<Scenario> {
  // The loan first (the clock only moves forward): pledged 50 days ago, settled two days later.
  t.clock.set(new Date(Date.now() - 50 * DAY).toISOString());
  const loan = await settledLoan(t, ['600.00']);
  const custody = await (
    await t.db.client()
  ).query<{ balance: string }>(
    `SELECT (debits_posted - credits_posted)::text AS balance FROM ledger_accounts WHERE code = 'custody:cash'`,
  );
  const start = Date.now() - 12 * DAY;
  t.clock.set(new Date(start).toISOString());
  const finance = await enrolledStaff(t, 'FINANCE');
  const admin = await enrolledStaff(t, 'ADMIN');
  const seedingAdmin = await staffToken(t, 'ADMIN');
  const founder = await verifiedUser(t, 'FOUNDER');

  const tag = randomUUID().slice(0, 6).toUpperCase();
  const deposits = [
    { bankReference: `DEP-${tag}-1`, amount: '1000.00' },
    { bankReference: `DEP-${tag}-2`, amount: '2500.00' },
    { bankReference: `DEP-${tag}-3`, amount: '730.50' },
  ];
  const investors: TestUser[] = [];
  for (const d of deposits) investors.push(await fundedInvestor(t, d.bankReference, d.amount));

  const deadline = new Date(start + 10 * DAY).toISOString();
  const reward = (title: string) => ({
    kind: 'REWARD',
    fundingModel: 'ALL_OR_NOTHING',
    title,
    summary: 'A scripted campaign for the console tests.',
    targetAmount: '100.00',
    maxAmount: '5000.00',
    minPledge: '10.00',
    deadline,
  });
  const a = await liveCampaign(t, founder, seedingAdmin.token, reward('Teapot workshop'));
  const b = await liveCampaign(t, founder, seedingAdmin.token, reward('Bicycle repair cafe'));
  for (const [investor, campaign, amount] of [
    [investors[0], a, '200.00'],
    [investors[1], b, '300.00'],
    [investors[2], a, '150.50'],
  ] as const) {
    await acknowledgeCampaign(t, investor, campaign);
    const res = await pledge(t, investor, campaign, { amount });
    if (res.status !== 201) throw new Error(`pledge: ${res.status} ${res.text}`);
  }

  const auth = { authorization: `Bearer ${founder.token}` };
  const created = await t.http
    .post('/api/v1/campaigns')
    .set(auth)
    .send({
      kind: 'DEBT',
      offering: 'PUBLIC',
      fundingModel: 'ALL_OR_NOTHING',
      title: 'Noodle shop expansion',
      summary: 'Two new kitchens; repaid monthly over 24 months.',
      targetAmount: '5000.00',
      maxAmount: '10000.00',
      minPledge: '100.00',
      deadline: new Date(Date.now() + 20 * DAY).toISOString(),
      riskRating: 'R3',
    });
  if (created.status !== 201) throw new Error(`debt campaign: ${created.status} ${created.text}`);
  const pendingId = created.body.id as string;
  // Issue 14: a debt campaign goes to review with its loan terms (CN-P2P-02).
  const terms = await t.http
    .put(`/api/v1/campaigns/${pendingId}/loan-terms`)
    .set(auth)
    .send(loanTerms({ termMonths: 24 }));
  if (terms.status !== 200) throw new Error(`loan terms: ${terms.status} ${terms.text}`);
  await t.http
    .post(`/api/v1/campaigns/${pendingId}/disclosures`)
    .set(auth)
    .send({ title: 'Plan', body: 'Use of funds: two kitchens.', material: false });
  const submitted = await t.http.post(`/api/v1/campaigns/${pendingId}/submit`).set(auth);
  if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${submitted.text}`);

  t.clock.set(new Date(start + 10.01 * DAY).toISOString());
  await t.app.get(SettlementService).runOnce();
  const payoutIds: string[] = [];
  for (const campaignId of [a, b]) {
    const res = await t.http
      .post('/api/v1/payouts')
      .set(auth)
      .set('idempotency-key', `console-${campaignId}`)
      .send({ campaignId });
    if (res.status !== 201) throw new Error(`payout: ${res.status} ${res.text}`);
    payoutIds.push(res.body.id as string);
  }
  return {
    finance,
    admin,
    founderId: founder.id,
    deposits,
    depositDay: new Date(start).toISOString().slice(0, 10),
    payoutIds,
    pendingCampaign: { id: pendingId, title: 'Noodle shop expansion' },
    loan: { id: loan.loanId, principal: '600.00' },
    custodyBefore: custody.rows[0].balance,
  };
}

export interface Served {
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * A port the OS just handed out and released: far less likely to collide than a random pick with
 * the other services tests start (a collision sends their requests to a service with other users).
 */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** `node dist/src/main.js` on the seeded database: the service as `npm start` runs it. */
export async function serve(databaseUrl: string): Promise<Served> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [path.resolve('dist/src/main.js')], {
    env: {
      ...process.env,
      ...SHARED_ENV,
      DATABASE_URL: databaseUrl,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      PASSWORD_SCRYPT_COST: '1024',
      LOGIN_RATE_LIMIT: '1000',
      SEAL_INTERVAL_MS: '500', // the verify page expects the seeded transfers sealed
      MAIL_DIR: path.resolve('.data/console-test-mail'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited:\n${output}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the service did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
