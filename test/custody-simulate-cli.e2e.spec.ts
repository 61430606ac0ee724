import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { simulateCustody } from '../src/custody-simulator.js';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
import {
  acknowledgeCampaign,
  inDays,
  liveCampaign,
  pledge,
  readyInvestor,
  rewardTerms,
} from './support/pledging.js';
import { TEST_START, startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

/**
 * `npm run cli -- custody:simulate ...` (issue 12, PLAT-05): the custodian bank's notices, signed
 * with the configured CUSTODY_WEBHOOK_SECRET, against the real service listening on a port and a
 * real Postgres. The service's own signature check (CustodySignatureGuard) is what accepts them.
 */
const CLI = path.resolve('dist/src/cli.js');

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const { DATABASE_URL: _db, CUSTODY_WEBHOOK_SECRET: _secret, ...inherited } = process.env;
  const child = spawn(process.execPath, [CLI, 'custody:simulate', ...args], {
    // NODE_ENV=test: the same development-only custody secret as the test app's configuration.
    env: { ...inherited, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe('custody:simulate plays the custodian bank in development (DESIGN §7, PLAT-05)', () => {
  let t: TestApp;
  let origin: string;
  const wallet = async (user: TestUser) =>
    (await t.http.get('/api/v1/wallet').set(auth(user.token))).body as {
      available: string;
      held: string;
    };
  const notices = async (): Promise<number> => {
    const sql = await t.db.client();
    const r = await sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM custody_notifications',
    );
    return r.rows[0].n;
  };

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    origin = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await t.close();
  });

  it('deposit: the CLI signs and posts a DEPOSIT, the wallet is credited; the same notice again is replayed', async () => {
    const investor = await verifiedUser(t, 'INVESTOR');
    const reference = `SIM-TEST-${randomUUID()}`;
    const notice = (amount: string) => [
      'deposit',
      '--user-id',
      investor.id,
      '--amount',
      amount,
      '--bank-reference',
      reference,
      '--occurred-at',
      '2026-11-28T01:00:00.000Z',
      '--url',
      origin,
    ];
    const args = notice('250.00');
    const first = await cli(args);
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    const printed = JSON.parse(first.stdout);
    expect(printed).toMatchObject({
      url: `${origin}/api/v1/custody/notifications`,
      sent: {
        type: 'DEPOSIT',
        bankReference: reference,
        userId: investor.id,
        amount: '250.00',
        currency: 'CNY', // the rule pack's currency (CN)
        occurredAt: '2026-11-28T01:00:00.000Z',
      },
      status: 200,
      response: { bankReference: reference, transferStatus: 'POSTED', replayed: false },
    });
    expect(printed.sent).not.toHaveProperty('transferId');
    expect(await wallet(investor)).toMatchObject({ available: '250.00', held: '0.00' });

    const again = await cli(args);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).response).toMatchObject({
      transferId: printed.response.transferId,
      replayed: true,
    });
    expect(await wallet(investor)).toMatchObject({ available: '250.00' });

    // The same reference with another body is not a retry (DESIGN §4).
    const other = await cli(notice('260.00'));
    expect(other.code).toBe(1);
    expect(JSON.parse(other.stdout)).toMatchObject({
      status: 409,
      response: { error: { code: 'IDEMPOTENCY.KEY_REUSED' } },
    });
    expect(await wallet(investor)).toMatchObject({ available: '250.00' });
  });

  it('a random bankReference by default: two runs are two deposits', async () => {
    const investor = await verifiedUser(t, 'INVESTOR');
    const args = ['deposit', '--user-id', investor.id, '--amount', '10.00', '--url', origin];
    const [a, b] = await Promise.all([cli(args), cli(args)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const sent = [a, b].map((run) => JSON.parse(run.stdout).sent);
    expect(sent[0].bankReference).toMatch(/^SIM-[0-9a-f-]{36}$/);
    expect(sent[0].bankReference).not.toBe(sent[1].bankReference);
    expect(await wallet(investor)).toMatchObject({ available: '20.00' });
  });

  it('withdrawal-settled and withdrawal-failed resolve the held withdrawal (in-process, same code)', async () => {
    const investor = await verifiedUser(t, 'INVESTOR');
    await simulateCustody(
      { notice: 'deposit', userId: investor.id, amount: '500.00', url: origin },
      t.config,
    );
    const withdraw = (amount: string) =>
      t.http
        .post('/api/v1/wallet/withdrawals')
        .set(auth(investor.token))
        .set('idempotency-key', randomUUID())
        .send({ amount });
    const settled = await withdraw('100.00');
    const failed = await withdraw('50.00');
    expect(await wallet(investor)).toMatchObject({ available: '350.00', held: '150.00' });

    const post = await simulateCustody(
      { notice: 'withdrawal-settled', transferId: settled.body.id, amount: '100.00', url: origin },
      t.config,
    );
    expect(post).toMatchObject({
      sent: { type: 'WITHDRAWAL_SETTLED', transferId: settled.body.id },
      status: 200,
      response: { transferStatus: 'POST' },
    });
    const voided = await simulateCustody(
      { notice: 'withdrawal-failed', transferId: failed.body.id, amount: '50.00', url: origin },
      t.config,
    );
    expect(voided).toMatchObject({
      sent: { type: 'WITHDRAWAL_FAILED' },
      status: 200,
      response: { transferStatus: 'VOID' },
    });
    expect(await wallet(investor)).toMatchObject({ available: '400.00', held: '0.00' });

    // The service still checks the notice: a wrong amount is its 422, printed, exit 1.
    const again = await withdraw('20.00');
    const wrong = await cli([
      'withdrawal-settled',
      '--transfer-id',
      again.body.id,
      '--amount',
      '21.00',
      '--url',
      origin,
    ]);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout)).toMatchObject({
      status: 422,
      response: { error: { code: 'CUSTODY.MISMATCH' } },
    });
  });

  it('payout-settled pays an approved payout of a settled campaign', async () => {
    const admin = await staffToken(t, 'ADMIN');
    const finance = await staffToken(t, 'FINANCE');
    const founder = await verifiedUser(t, 'FOUNDER');
    const id = await liveCampaign(t, founder, admin.token, rewardTerms({ targetAmount: '100.00' }));
    const investor = await readyInvestor(t, { deposit: '200.00' });
    await acknowledgeCampaign(t, investor, id);
    expect((await pledge(t, investor, id, { amount: '200.00' })).status).toBe(201);
    t.clock.set(inDays(10.01));
    try {
      await t.app.get(SettlementService).runOnce();
      const requested = await t.http
        .post('/api/v1/payouts')
        .set(auth(founder.token))
        .set('idempotency-key', randomUUID())
        .send({ campaignId: id });
      const approved = await t.http
        .post(`/api/v1/finance/payouts/${requested.body.id}/approve`)
        .set(auth(finance.token));
      // net 190.00 less the 20% reward holdback kept until delivery (RW-03)
      expect(approved.body).toMatchObject({ status: 'APPROVED', amount: '152.00' });
      const paid = await cli([
        'payout-settled',
        '--transfer-id',
        approved.body.holdTransferId,
        '--amount',
        '152.00',
        '--url',
        origin,
      ]);
      expect(paid.code).toBe(0);
      expect(JSON.parse(paid.stdout)).toMatchObject({
        sent: { type: 'PAYOUT_SETTLED', transferId: approved.body.holdTransferId },
        status: 200,
        response: { transferStatus: 'POST' },
      });
      const payout = await t.http
        .get(`/api/v1/payouts/${requested.body.id}`)
        .set(auth(founder.token));
      expect(payout.body.status).toBe('PAID');
    } finally {
      t.clock.set(TEST_START);
    }
  });

  it('is refused with exit 2 when NODE_ENV=production, before anything is sent', async () => {
    const investor = await verifiedUser(t, 'INVESTOR');
    const before = await notices();
    const args = ['deposit', '--user-id', investor.id, '--amount', '10.00', '--url', origin];
    const bare = await cli(args, { NODE_ENV: 'production' });
    // Also with every production secret set (the configuration itself is fine).
    const configured = await cli(args, {
      NODE_ENV: 'production',
      JWT_SECRET: 'j'.repeat(40),
      PII_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      PII_LOOKUP_KEY: 'l'.repeat(40),
      CUSTODY_WEBHOOK_SECRET: 'development-only-custody-webhook-secret-do-not-use',
      DOCUMENT_SIGNING_KEY: 'd'.repeat(40),
    });
    for (const run of [bare, configured]) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('refused when NODE_ENV=production');
    }
    expect(await notices()).toBe(before);
    expect(await wallet(investor)).toMatchObject({ available: '0.00' });
  });

  it('signs with the configured secret: another secret than the service’s is 401 CUSTODY.BAD_SIGNATURE, nothing moves', async () => {
    const investor = await verifiedUser(t, 'INVESTOR');
    const before = await notices();
    const run = await cli(
      ['deposit', '--user-id', investor.id, '--amount', '10.00', '--url', origin],
      { CUSTODY_WEBHOOK_SECRET: 'not-the-services-secret-but-long-enough' },
    );
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 401,
      response: { error: { code: 'CUSTODY.BAD_SIGNATURE' } },
    });
    expect(await notices()).toBe(before);
    expect(await wallet(investor)).toMatchObject({ available: '0.00' });
  });

  it.each([
    [['deposit', '--amount', '10.00'], '--user-id'],
    [['deposit', '--user-id', 'not-a-uuid', '--amount', '10.00'], '--user-id'],
    [['withdrawal-settled', '--amount', '10.00'], '--transfer-id'],
    [['payout-failed', '--transfer-id', randomUUID()], '--amount'],
    [['deposit', '--user-id', randomUUID(), '--amount', '12345678901234567.00'], '16 integer'],
    [['deposit', '--user-id', randomUUID(), '--amount', '1', '--bank-reference', 'a b'], 'bank'],
    [['refund', '--amount', '1'], 'deposit, withdrawal-settled'],
  ])('usage mistakes exit 2 with a message naming the problem: %j', async (args, says) => {
    const before = await notices();
    const run = await cli([...args, '--url', origin]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(says);
    expect(await notices()).toBe(before);
  });

  it('says so when no service answers at --url (exit 1)', async () => {
    const run = await cli([
      'deposit',
      '--user-id',
      randomUUID(),
      '--amount',
      '1.00',
      '--url',
      'http://127.0.0.1:9',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('is the service running');
  });
});
