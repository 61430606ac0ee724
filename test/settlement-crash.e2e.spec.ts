import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LedgerVerifierService } from '../src/modules/escrow-ledger/ledger-verifier.service.js';
import { LedgerService } from '../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../src/modules/escrow-ledger/ledger.types.js';
import { sealEverything } from './support/ledger.js';
import { freePort } from './support/free-port.js';
import { inDays, liveCampaign } from './support/pledging.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, verifiedUser } from './support/users.js';

const PLEDGES = 1000;
const ENTRY = path.resolve('dist/src/main.js');

/**
 * Kill -9 the real service in the middle of settling a campaign of 1,000 pledges, start it again,
 * and the campaign settles exactly once with a ledger that verifies (DESIGN §6 crash safety).
 */
describe('settlement survives kill -9 mid-way', () => {
  let t: TestApp;
  const children: ChildProcess[] = [];
  const sql = async (text: string, params: unknown[] = []) =>
    (await (await t.db.client()).query(text, params)).rows;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await t.close();
  });

  const startService = async (): Promise<ChildProcess> => {
    const port = await freePort();
    const { DATABASE_URL: _unused, ...env } = process.env;
    const child = spawn(process.execPath, [ENTRY], {
      env: {
        ...env,
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        DATABASE_URL: t.db.url,
        HOST: '127.0.0.1',
        PORT: String(port),
        SWEEP_INTERVAL_MS: '100',
        SETTLEMENT_BATCH_SIZE: '25',
        SEAL_INTERVAL_MS: '0',
      },
      stdio: 'ignore',
    });
    children.push(child);
    return child;
  };
  const waitFor = async (check: () => Promise<boolean>, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await check()) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  };

  it(`${PLEDGES} pledges: crash during settlement, restart, settled exactly once`, async () => {
    const admin = await staffToken(t, 'ADMIN');
    const founder = await verifiedUser(t, 'FOUNDER');
    const campaign = await liveCampaign(t, founder, admin.token, {
      kind: 'REWARD',
      fundingModel: 'ALL_OR_NOTHING',
      title: 'Crash test',
      summary: 's',
      targetAmount: '1000.00',
      maxAmount: '1000000.00',
      minPledge: '1.00',
      deadline: inDays(10),
    });
    const escrow = AccountCodes.campaignEscrow(campaign);
    await t.app.get(LedgerService).openAccount(escrow, 'LIABILITY');

    // Seed 1,000 investors with a deposit, a hold and an ACTIVE pledge each, set-based.
    await sql(
      `INSERT INTO users (id, email, password_hash, role, kind, created_at)
       SELECT gen_random_uuid(), 'crash-' || g || '@example.com', 'x', 'INVESTOR', 'PERSON', now() FROM generate_series(1, $1) g`,
      [PLEDGES],
    );
    await sql(
      `INSERT INTO ledger_accounts (id, code, kind, currency, created_at)
       SELECT gen_random_uuid(), 'investor:' || id || ':available', 'LIABILITY', 'CNY', now() FROM users WHERE email LIKE 'crash-%'`,
    );
    await sql(
      `INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, reference, created_at)
       SELECT gen_random_uuid(), 'DEPOSIT', 'POSTED', (SELECT id FROM ledger_accounts WHERE code = 'custody:cash'), a.id, 12.34, 'CNY', 'seed', now()
       FROM ledger_accounts a WHERE a.code LIKE 'investor:%:available' AND a.code IN (SELECT 'investor:' || id || ':available' FROM users WHERE email LIKE 'crash-%')`,
    );
    await sql(
      `WITH holds AS (
         INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, reference, created_at)
         SELECT gen_random_uuid(), 'PLEDGE', 'PENDING', a.id, (SELECT id FROM ledger_accounts WHERE code = $1), 12.34, 'CNY', u.id::text, now()
         FROM users u JOIN ledger_accounts a ON a.code = 'investor:' || u.id || ':available' WHERE u.email LIKE 'crash-%'
         RETURNING id, reference)
       INSERT INTO pledges (id, campaign_id, investor_id, amount, currency, status, hold_transfer_id, confirmation_required, created_at, updated_at, financial)
       SELECT gen_random_uuid(), $2, h.reference::uuid, 12.34, 'CNY', 'ACTIVE', h.id, false, now(), now(), false FROM holds h`,
      [escrow, campaign],
    );
    await sql(
      `UPDATE campaigns SET committed = 12.34 * $2, investor_count = $2, deadline = now() - interval '1 second' WHERE id = $1`,
      [campaign, PLEDGES],
    );
    const settledCount = async () =>
      Number(
        (
          await sql(
            `SELECT count(*)::int AS n FROM pledges WHERE campaign_id = $1 AND status = 'SETTLED'`,
            [campaign],
          )
        )[0].n,
      );

    const first = await startService();
    const midway = await waitFor(async () => (await settledCount()) >= 50, 60_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const atCrash = await settledCount();
    expect(midway).toBe(true);
    expect(atCrash).toBeLessThan(PLEDGES); // it really died mid-way

    await startService();
    const done = await waitFor(
      async () =>
        (await sql(`SELECT status FROM campaigns WHERE id = $1`, [campaign]))[0].status ===
        'SETTLED',
      90_000,
    );
    expect(done).toBe(true);

    expect(await settledCount()).toBe(PLEDGES);
    const posts = await sql(
      `SELECT count(*)::int AS n, count(DISTINCT pending_id)::int AS d FROM ledger_transfers t JOIN pledges p ON p.hold_transfer_id = t.pending_id WHERE p.campaign_id = $1`,
      [campaign],
    );
    expect(posts[0]).toEqual({ n: PLEDGES, d: PLEDGES }); // every hold posted exactly once
    const payouts = await sql(
      `SELECT kind, amount::text FROM ledger_transfers WHERE reference = $1 ORDER BY kind`,
      [`campaign:${campaign}`],
    );
    expect(payouts).toEqual([
      { kind: 'FEE', amount: '617.00' }, // 12,340.00 x 5%
      { kind: 'SETTLEMENT', amount: '11723.00' },
    ]);
    const [e] = await sql(
      `SELECT debits_posted::text AS dp, credits_posted::text AS cp, debits_pending::text AS dq, credits_pending::text AS cq FROM ledger_accounts WHERE code = $1`,
      [escrow],
    );
    expect(e).toEqual({ dp: '12340.00', cp: '12340.00', dq: '0.00', cq: '0.00' }); // INV-12
    await sealEverything(t);
    const report = await t.app.get(LedgerVerifierService).verify();
    expect(report.problems).toEqual([]);
    process.stdout.write(
      `crash test: killed with ${atCrash}/${PLEDGES} settled; after restart ${PLEDGES}/${PLEDGES}, fee and net once, ledger verifies\n`,
    );
  }, 180_000);
});
