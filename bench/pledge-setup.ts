import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type pg from 'pg';
import { Pool } from 'undici';
import { Money } from '../src/common/money/money.js';
import { LedgerService } from '../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../src/modules/escrow-ledger/ledger.types.js';
import { ricCheckCharacter, usccCheckCharacter } from '../src/modules/identity/id-numbers.js';
import { IdentityService } from '../src/modules/identity/identity.service.js';
import { QUESTIONNAIRE_CN_V1 } from '../src/modules/investor-classification/questionnaire-cn-v1.js';
import { staffSignIn } from './harness.js';
import type { ReferenceInvestor } from './pledge-reference.js';

const PASSWORD = 'bench-password-123';

export type Call = (
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Record<string, unknown>>;

/** A JSON client of the service's API (`base` ends in /api/v1); throws on any status >= 300. */
export function apiClient(base: string): Call {
  return async (method, path, token, body, headers = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status >= 300)
      throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
}

/**
 * The same client as `apiClient` on `node:http` with keep-alive sockets (one per worker), for the
 * measured runs: the load generator shares the machine's 2 cores with the service and Postgres,
 * and `fetch` costs it about twice the CPU a request (see docs/benchmarks.md); clients in a
 * deployment are on other machines.
 */
export function keepAliveClient(base: string, sockets: number): Call {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const url = new URL(base);
  return (method, path, token, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const request = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method,
          path: `${url.pathname.replace(/\/$/, '')}${path}`,
          headers: {
            ...(payload === undefined
              ? {}
              : {
                  'content-type': 'application/json',
                  'content-length': Buffer.byteLength(payload),
                }),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: Record<string, unknown> = {};
            try {
              json = JSON.parse(text) as Record<string, unknown>;
            } catch {
              // not JSON: reported by the status check below if it matters
            }
            const status = res.statusCode ?? 0;
            if (status >= 300) reject(new Error(`${method} ${path}: ${status} ${text}`));
            else resolve(json);
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
}

/**
 * The same through undici's connection pool (`sockets` keep-alive connections): the load
 * generator's own CPU per request is what `node:http` costs less of than `fetch`, and undici less
 * again. Throws on any status >= 300, as the others do.
 */
export function undiciClient(base: string, sockets: number): Call {
  const url = new URL(base);
  const pool = new Pool(url.origin, { connections: sockets, pipelining: 1 });
  const prefix = url.pathname.replace(/\/$/, '');
  return async (method, path, token, body, headers = {}) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const res = await pool.request({
      method,
      path: `${prefix}${path}`,
      body: payload,
      headers: {
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      return {}; // not JSON: a 2xx without a body
    }
  };
}

/** A debt campaign's loan terms (issue 14: a DEBT campaign goes to review with them). */
export const LOAN_TERMS = {
  annualRate: '0.0800',
  termMonths: 12,
  method: 'EQUAL_INSTALLMENT',
  graceDays: 3,
  penaltyAnnualRate: '0.1800',
  purposeCategory: 'EQUIPMENT',
  purpose: 'Two lathes for the workshop',
  otherPlatformDebt: '0.00',
};

export interface PledgeWorld {
  founder: string;
  founderId: string;
  /** The terms of the hot campaign (DEBT, within the organisation borrower cap of CN-P2P-02). */
  terms: Record<string, unknown>;
  hot: { campaign: string; escrow: string };
  /** 1,000 LIVE copies of the hot campaign, with their escrow accounts. */
  spread: { campaign: string; escrow: string }[];
  /** Each investor's access token (HTTP) and user and wallet ids (reference), same order. */
  tokens: string[];
  investors: ReferenceInvestor[];
}

/**
 * A founder, a LIVE debt campaign approved through the API, `count` investors registered, verified,
 * assessed, acknowledged and funded (10,000,000.00 each), and 1,000 copies of the campaign seeded in
 * SQL (each with its disclosure and every investor's acknowledgement).
 */
export async function setUpPledgeWorld(
  app: NestFastifyApplication,
  pool: pg.Pool,
  base: string,
  count: number,
): Promise<PledgeWorld> {
  const call = apiClient(base);
  const identity = app.get(IdentityService);
  // Issue 13: e-mail addresses are taken as verified (the bench measures pledges, not mail) and
  // staff sign in through their second factor.
  const verified = (email: string) =>
    pool.query(`UPDATE users SET email_verified_at = now() WHERE email = lower($1)`, [email]);
  const staff = async (role: 'ADMIN' | 'FOUNDER', kind: 'PERSON' | 'ORGANIZATION') => {
    const email = `${role}-${randomUUID()}@bench.example`;
    if (role === 'ADMIN') {
      await identity.createUser({ email, password: PASSWORD, role, kind }, 'cli');
      return staffSignIn(base, email, PASSWORD);
    }
    await call('POST', '/auth/register', undefined, { email, password: PASSWORD, role, kind });
    await verified(email);
    return (await call('POST', '/auth/login', undefined, { email, password: PASSWORD }))
      .accessToken as string;
  };
  let n = 0;
  const ric = () => {
    n++;
    const first17 = `110105${1950 + (n % 50)}0${1 + (n % 9)}1${n % 10}${String(n % 1000).padStart(3, '0')}`;
    return first17 + ricCheckCharacter(first17);
  };
  const admin = await staff('ADMIN', 'PERSON');
  const founder = await staff('FOUNDER', 'ORGANIZATION');
  const founderId = (await call('GET', '/me', founder)).id as string;
  const uscc17 = `91${String(Date.now()).slice(-15).padStart(15, '0')}`;
  await call('POST', '/me/real-name', founder, {
    name: 'Bench Co',
    uscc: uscc17 + usccCheckCharacter(uscc17),
    legalRepresentative: 'Rep',
    legalRepresentativeIdNumber: ric(),
  });
  const terms = {
    kind: 'DEBT',
    offering: 'PUBLIC',
    fundingModel: 'ALL_OR_NOTHING',
    title: 'Hot',
    summary: 's',
    targetAmount: '1000.00',
    // CN-P2P-02: an organisation borrows at most 1,000,000.00 here (100,000s of 1.00 pledges).
    maxAmount: '1000000.00',
    minPledge: '1.00',
    deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    riskRating: 'R1',
  };
  const campaign = (await call('POST', '/campaigns', founder, terms)).id as string;
  await call('PUT', `/campaigns/${campaign}/loan-terms`, founder, LOAN_TERMS);
  await call('POST', `/campaigns/${campaign}/disclosures`, founder, {
    title: 'Plan',
    body: 'Use of funds.',
    material: false,
  });
  await call('POST', `/campaigns/${campaign}/submit`, founder, {});
  await call('POST', `/admin/campaigns/${campaign}/approve`, admin, { riskRating: 'R1' });
  const platform = (await call('GET', '/platform-disclosure', admin)).version as number;
  const answers = QUESTIONNAIRE_CN_V1.questions.map((q) => ({
    questionId: q.id,
    optionId: [...q.options].sort((a, b) => b.score - a.score)[0].id,
  }));
  const ledger = app.get(LedgerService);
  const tokens: string[] = [];
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const email = `inv-${i}-${randomUUID()}@bench.example`;
    const reg = await call('POST', '/auth/register', undefined, {
      email,
      password: PASSWORD,
      role: 'INVESTOR',
      kind: 'PERSON',
    });
    await verified(email);
    const token = (await call('POST', '/auth/login', undefined, { email, password: PASSWORD }))
      .accessToken as string;
    await call('POST', '/me/real-name', token, { name: '投资人', idNumber: ric() });
    await call('POST', '/investors/me/assessment', token, {
      questionnaireVersion: QUESTIONNAIRE_CN_V1.version,
      answers,
    });
    await call('PUT', '/investors/me/financials', token, {
      annualIncome: '100000000.00',
      financialAssets: '0.00',
      netWorth: '0.00',
      investmentExperienceYears: 5,
    });
    await call('POST', '/platform-disclosure/acknowledge', token, { version: platform });
    await call('POST', `/campaigns/${campaign}/disclosures/1/acknowledge`, token, {});
    const wallet = AccountCodes.investorAvailable(reg.id as string);
    await ledger.openAccount(wallet, 'LIABILITY');
    await ledger.transfer({
      idempotencyKey: `bench-fund-${i}`,
      kind: 'DEPOSIT',
      debitAccount: AccountCodes.custodyCash,
      creditAccount: wallet,
      amount: Money.parse('10000000.00', 'CNY'),
    });
    tokens.push(token);
    ids.push(reg.id as string);
  }
  // The same pledges spread over 1,000 LIVE campaigns: copies of the hot one, each with its
  // disclosure and every investor's acknowledgement, seeded in SQL.
  const spreadIds = (
    await pool.query(
      `WITH copies AS (
         INSERT INTO campaigns (id, founder_id, kind, offering, funding_model, title, summary, currency, target_amount,
           max_amount, min_pledge, max_pledge, unit_price, deadline, risk_rating, investor_cap, fee_rate, status,
           committed, investor_count, rejection_reason, created_at, updated_at, published_at)
         SELECT gen_random_uuid(), founder_id, kind, offering, funding_model, 'Spread ' || g, summary, currency, target_amount,
           max_amount, min_pledge, max_pledge, unit_price, deadline, risk_rating, investor_cap, fee_rate, 'LIVE',
           0, 0, NULL, now(), now(), now()
         FROM campaigns c, generate_series(1, 1000) g WHERE c.id = $1
         RETURNING id),
       docs AS (
         INSERT INTO disclosure_documents (id, scope, campaign_id, created_at)
         SELECT gen_random_uuid(), 'CAMPAIGN', id, now() FROM copies RETURNING id, campaign_id),
       source AS (
         SELECT v.* FROM disclosure_versions v JOIN disclosure_documents d ON d.id = v.document_id WHERE d.campaign_id = $1),
       versions AS (
         INSERT INTO disclosure_versions (document_id, version, title, body, sha256, material, published_by, published_at)
         SELECT docs.id, 1, s.title, s.body, s.sha256, false, s.published_by, now() FROM docs, source s RETURNING document_id)
       SELECT campaign_id AS id FROM docs`,
      [campaign],
    )
  ).rows.map((r: { id: string }) => r.id);
  await pool.query(
    `INSERT INTO disclosure_acknowledgements (id, user_id, document_id, version, sha256, acknowledged_at)
     SELECT gen_random_uuid(), u.id, d.id, 1, v.sha256, now()
     FROM users u, disclosure_documents d JOIN disclosure_versions v ON v.document_id = d.id
     WHERE u.role = 'INVESTOR' AND d.campaign_id = ANY($1)`,
    [spreadIds],
  );
  const all = [campaign, ...spreadIds];
  for (const c of all) await ledger.ensureAccount(AccountCodes.campaignEscrow(c), 'LIABILITY');
  const escrowIds = new Map(
    (
      await pool.query(`SELECT code, id FROM ledger_accounts WHERE code = ANY($1)`, [
        all.map((c) => AccountCodes.campaignEscrow(c)),
      ])
    ).rows.map((r: { code: string; id: string }) => [r.code, r.id]),
  );
  const target = (c: string) => ({
    campaign: c,
    escrow: escrowIds.get(AccountCodes.campaignEscrow(c)) as string,
  });
  // The reference's investors, in the order of `tokens`.
  const wallets = new Map(
    (
      await pool.query(
        `SELECT u.id AS "userId", a.id AS wallet FROM users u
         JOIN ledger_accounts a ON a.code = 'investor:' || u.id || ':available' WHERE u.role = 'INVESTOR'`,
      )
    ).rows.map((r: ReferenceInvestor) => [r.userId, r]),
  );
  const investors = ids.map((id) => wallets.get(id) as ReferenceInvestor);
  return {
    founder,
    founderId,
    terms,
    hot: target(campaign),
    spread: spreadIds.map(target),
    tokens,
    investors,
  };
}
