import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { createApp } from '../src/app-factory.js';
import { Money } from '../src/common/money/money.js';
import { parseConfig } from '../src/config/app-config.js';
import { LedgerService } from '../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../src/modules/escrow-ledger/ledger.types.js';
import { ricCheckCharacter, usccCheckCharacter } from '../src/modules/identity/id-numbers.js';
import { IdentityService } from '../src/modules/identity/identity.service.js';
import { QUESTIONNAIRE_CN_V1 } from '../src/modules/investor-classification/questionnaire-cn-v1.js';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
import { appRoleUrl, DEV_APP_PASSWORD } from '../src/database/roles.js';
import {
  budgetTable,
  drive,
  judge,
  machine,
  pidRssSampler,
  startServiceProcess,
  type RunResult,
  table,
  writeResults,
  benchDatabase,
  staffSignIn,
} from './harness.js';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const INVESTORS = Number(process.env.BENCH_INVESTORS ?? 200);
const SETTLE_PLEDGES = 10_000;
const PASSWORD = 'bench-password-123';

/**
 * `npm run bench -- pledge`: pledges per second through HTTP (the real app on a socket, every check,
 * JWT, validation, idempotency) on one hot campaign, beside a plain-SQL reference pledge (the same
 * statements in one transaction, no application) at the same concurrency; then the time to settle
 * 10,000 pledges.
 */
export async function runPledgeBench(): Promise<void> {
  const db = await benchDatabase('pledge');
  const { log, url } = db;
  const config = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    SEAL_INTERVAL_MS: '0',
    SWEEP_INTERVAL_MS: '0',
    PASSWORD_SCRYPT_COST: '1024',
    LOGIN_RATE_LIMIT: '10000',
    DATABASE_POOL_SIZE: String(CONCURRENCY + 4),
    // PLAT-07: one financial line, so the seeded general wallets pay the DEBT pledges (with both
    // lines on, each pledge would hold from the investor's DEBT wallet instead: same work).
    PLATFORM_LINES: 'DEBT,REWARD,DONATION',
  });
  const quiet = new Writable({ write: (_c, _e, done) => done() });
  const app: NestFastifyApplication = await createApp({
    config,
    databaseUrl: appRoleUrl(url, DEV_APP_PASSWORD), // as the service runs: the application role
    logStream: quiet,
    swaggerUi: false,
  });
  await app.init();
  // The app above is for setup and settlement in this process; HTTP goes to the real service in
  // its own process, so the bench client's work does not share the service's event loop or heap.
  const service = await startServiceProcess({
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: String(CONCURRENCY + 4),
    SEAL_INTERVAL_MS: '0',
    SWEEP_INTERVAL_MS: '0',
    PASSWORD_SCRYPT_COST: '1024',
    LOGIN_RATE_LIMIT: '10000',
    MAIL_DIR: mkdtempSync(path.join(os.tmpdir(), 'zc-bench-mail-')),
  });
  const base = `${service.origin}/api/v1`;
  const pool = new pg.Pool({ connectionString: url, max: CONCURRENCY + 4 });
  const call = async (
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
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
  try {
    log('setting up: a founder, a LIVE debt campaign, investors assessed, acknowledged and funded');
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
    const uscc17 = `91${String(Date.now()).slice(-15).padStart(15, '0')}`;
    await call('POST', '/me/real-name', founder, {
      name: 'Bench Co',
      uscc: uscc17 + usccCheckCharacter(uscc17),
      legalRepresentative: 'Rep',
      legalRepresentativeIdNumber: ric(),
    });
    const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const terms = {
      kind: 'DEBT',
      offering: 'PUBLIC',
      fundingModel: 'ALL_OR_NOTHING',
      title: 'Hot',
      summary: 's',
      targetAmount: '1000.00',
      maxAmount: '9999999999.00',
      minPledge: '1.00',
      deadline,
      riskRating: 'R1',
    };
    const campaign = (await call('POST', '/campaigns', founder, terms)).id as string;
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
    for (let i = 0; i < INVESTORS; i++) {
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
    }

    // The reference: the pledge's statements as plain SQL in one transaction, same concurrency.
    const refCampaign = (
      await call('POST', '/campaigns', founder, { ...terms, title: 'Reference' })
    ).id as string;
    await pool.query(`UPDATE campaigns SET status = 'LIVE', risk_rating = 'R1' WHERE id = $1`, [
      refCampaign,
    ]);
    const refEscrow = (
      await ledger.openAccount(AccountCodes.campaignEscrow(refCampaign), 'LIABILITY')
    ).id;
    const refInvestors: { userId: string; account: string }[] = await pool
      .query(
        `SELECT u.id AS "userId", a.id AS account FROM users u JOIN ledger_accounts a ON a.code = 'investor:' || u.id || ':available' WHERE u.role = 'INVESTOR'`,
      )
      .then((r) => r.rows as { userId: string; account: string }[]);
    const referencePledge = async (
      worker: number,
      i: number,
      target: { campaign: string; escrow: string } = { campaign: refCampaign, escrow: refEscrow },
    ) => {
      const inv = refInvestors[(worker * 31 + i) % refInvestors.length];
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO idempotency_records (scope, key, request_hash, created_at) VALUES ($1, $2, repeat('0', 64), now())`,
          [`ref:${inv.userId}`, randomUUID()],
        );
        await client.query(
          `SELECT pg_advisory_xact_lock(hashtextextended('pledge-investor:' || $1, 0))`,
          [inv.userId],
        );
        await client.query(
          `SELECT coalesce(sum(amount), 0) FROM pledges WHERE investor_id = $1 AND created_at >= now() - interval '365 days' AND status NOT IN ('CANCELLED', 'REFUNDED')`,
          [inv.userId],
        );
        const hold = randomUUID();
        await client.query(
          `INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, reference, created_at) VALUES ($1, 'PLEDGE', 'PENDING', $2, $3, 1, 'CNY', 'ref', now())`,
          [hold, inv.account, target.escrow],
        );
        await client.query(
          `UPDATE campaigns SET committed = committed + 1 WHERE id = $1 AND committed + 1 <= max_amount RETURNING committed`,
          [target.campaign],
        );
        await client.query(
          `INSERT INTO pledges (id, campaign_id, investor_id, amount, currency, status, hold_transfer_id, confirmation_required, evidence, created_at, updated_at, financial) VALUES ($1, $2, $3, 1, 'CNY', 'ACTIVE', $4, false, '{}', now(), now(), false)`,
          [randomUUID(), target.campaign, inv.userId, hold],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    };

    const runs: RunResult[] = [];
    const rss = pidRssSampler(service.pid);
    // The HTTP stack's own ceiling: a route that does nothing, through the same client.
    runs.push(
      await drive('GET /health/live (HTTP, trivial endpoint)', CONCURRENCY, SECONDS, () =>
        fetch(`${service.origin}/health/live`).then((res) => {
          if (res.status !== 200) throw new Error(`GET /health/live: ${res.status}`);
          return res.json();
        }),
      ),
    );
    runs.push(
      await drive(
        'reference pledge (plain SQL), hot campaign',
        CONCURRENCY,
        SECONDS,
        referencePledge,
      ),
    );
    runs.push(
      await drive(
        'POST /campaigns/:id/pledges (HTTP), hot campaign',
        CONCURRENCY,
        SECONDS,
        (worker, i) =>
          call(
            'POST',
            `/campaigns/${campaign}/pledges`,
            tokens[(worker * 31 + i) % tokens.length],
            { amount: '1.00' },
            { 'idempotency-key': randomUUID() },
          ),
      ),
    );
    // The same HTTP pledges spread over 1,000 LIVE campaigns (copies of the hot one, each with its
    // disclosure and every investor's acknowledgement, seeded in SQL), and the reference likewise.
    const spread = (
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
      [spread],
    );
    for (const c of spread) await ledger.ensureAccount(AccountCodes.campaignEscrow(c), 'LIABILITY');
    const escrowIds = new Map(
      (
        await pool.query(`SELECT code, id FROM ledger_accounts WHERE code = ANY($1)`, [
          spread.map((c) => AccountCodes.campaignEscrow(c)),
        ])
      ).rows.map((r: { code: string; id: string }) => [r.code, r.id]),
    );
    const spreadTarget = (k: number) => {
      const c = spread[k % spread.length];
      return { campaign: c, escrow: escrowIds.get(AccountCodes.campaignEscrow(c)) as string };
    };
    runs.push(
      await drive(
        'reference pledge (plain SQL), 1,000 campaigns',
        CONCURRENCY,
        SECONDS,
        (worker, i) => referencePledge(worker, i, spreadTarget(worker * 997 + i * 13)),
      ),
    );
    runs.push(
      await drive(
        'POST /campaigns/:id/pledges (HTTP), 1,000 campaigns',
        CONCURRENCY,
        SECONDS,
        (worker, i) =>
          call(
            'POST',
            `/campaigns/${spread[(worker * 997 + i * 13) % spread.length]}/pledges`,
            tokens[(worker * 31 + i) % tokens.length],
            { amount: '1.00' },
            { 'idempotency-key': randomUUID() },
          ),
      ),
    );
    const [trivial, ref, http, refSpread, httpSpread] = runs;

    // Settling 10,000 pledges: seeded as ACTIVE pledges on a fresh campaign past its deadline.
    const settleCampaign = (
      await call('POST', '/campaigns', founder, { ...terms, title: 'Settle' })
    ).id as string;
    const settleEscrow = AccountCodes.campaignEscrow(settleCampaign);
    await ledger.openAccount(settleEscrow, 'LIABILITY');
    await pool.query(
      `WITH investors AS (
         SELECT u.id AS user_id, a.id AS account, row_number() OVER () AS rn FROM users u
         JOIN ledger_accounts a ON a.code = 'investor:' || u.id || ':available' WHERE u.role = 'INVESTOR'),
       picks AS (SELECT g, (SELECT count(*) FROM investors) AS total FROM generate_series(1, $3) g),
       holds AS (
         INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, reference, created_at)
         SELECT gen_random_uuid(), 'PLEDGE', 'PENDING', i.account, (SELECT id FROM ledger_accounts WHERE code = $2), 1, 'CNY', i.user_id::text, now()
         FROM picks p JOIN investors i ON i.rn = 1 + (p.g % p.total)
         RETURNING id, reference)
       INSERT INTO pledges (id, campaign_id, investor_id, amount, currency, status, hold_transfer_id, confirmation_required, evidence, created_at, updated_at, financial)
       SELECT gen_random_uuid(), $1, h.reference::uuid, 1, 'CNY', 'ACTIVE', h.id, false, '{}'::jsonb, now(), now(), false FROM holds h`,
      [settleCampaign, settleEscrow, SETTLE_PLEDGES],
    );
    await pool.query(
      `UPDATE campaigns SET status = 'LIVE', risk_rating = 'R1', committed = $2, investor_count = $3, deadline = now() - interval '1 second' WHERE id = $1`,
      [settleCampaign, SETTLE_PLEDGES, INVESTORS],
    );
    await pool.query('VACUUM ANALYZE');
    const t0 = performance.now();
    const report = await app.get(SettlementService).runOnce();
    const settleMs = Math.round(performance.now() - t0);
    const peakRssMiB = rss.stop();
    const [status] = (
      await pool.query(`SELECT status FROM campaigns WHERE id = $1`, [settleCampaign])
    ).rows as { status: string }[];

    const ratio = Number((http.opsPerSecond / ref.opsPerSecond).toFixed(2));
    const budgets = judge([
      {
        name: 'hot-campaign HTTP pledges / plain-SQL reference',
        value: ratio,
        min: 0.5,
        unit: 'x',
      },
      {
        name: `hot-campaign HTTP pledge p99 at ${CONCURRENCY} clients`,
        value: http.p99ms,
        max: 150,
        unit: 'ms',
      },
      {
        name: 'peak RSS of the service process',
        value: peakRssMiB,
        max: 300,
        unit: 'MiB',
      },
      { name: 'settle 10,000 pledges', value: settleMs, max: 10_000, unit: 'ms' },
    ]);
    const results = {
      bench: 'pledge',
      at: new Date().toISOString(),
      machine: machine(),
      postgres: db.origin,
      concurrency: CONCURRENCY,
      secondsPerRun: SECONDS,
      investors: INVESTORS,
      runs,
      ratios: {
        hotCampaignHttpToReference: ratio,
        target: 0.5,
        spreadHttpToReference: Number(
          (httpSpread.opsPerSecond / refSpread.opsPerSecond).toFixed(2),
        ),
        hotCampaignHttpToTrivialEndpoint: Number(
          (http.opsPerSecond / trivial.opsPerSecond).toFixed(2),
        ),
      },
      peakRssMiB,
      budgets,
      settle: {
        pledges: SETTLE_PLEDGES,
        milliseconds: settleMs,
        targetMilliseconds: 10_000,
        campaignStatus: status.status,
        report,
      },
    };
    process.stdout.write(`\n${table(runs)}\n\n`);
    process.stdout.write(
      `HTTP / plain-SQL reference on one hot campaign: ${ratio}x (target >= 0.5x)\n`,
    );
    process.stdout.write(
      `HTTP / plain-SQL reference across 1,000 campaigns: ${results.ratios.spreadHttpToReference}x\n`,
    );
    process.stdout.write(
      `settled ${SETTLE_PLEDGES} pledges in ${settleMs} ms (target < 10,000 ms); campaign ${status.status}\n`,
    );
    process.stdout.write(
      `HTTP pledge / trivial endpoint (HTTP overhead reference): ${results.ratios.hotCampaignHttpToTrivialEndpoint}x\n`,
    );
    process.stdout.write(`\nbudgets:\n${budgetTable(budgets)}\n`);
    process.stdout.write(`written to ${writeResults('pledge', results)}\n`);
    if (budgets.some((b) => !b.ok)) process.exitCode = 1;
  } finally {
    await service.stop();
    await pool.end();
    await app.close();
    await db.dispose();
  }
}
