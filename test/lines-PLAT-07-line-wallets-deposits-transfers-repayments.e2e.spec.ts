import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { walletAccount } from '../src/modules/escrow-ledger/wallet-lines.js';
import { counters, ledgerProblems, sealEverything } from './support/ledger.js';
import { repay, settledLoan } from './support/lending.js';
import {
  ALL_LINES,
  deposit,
  equityTerms,
  startLinesApp,
  transfer,
  walletsOf,
  writes,
} from './support/lines.js';
import {
  acknowledgeCampaign,
  debtTerms,
  liveCampaign,
  pledge,
  readyInvestor,
} from './support/pledging.js';
import type { TestApp } from './support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

/**
 * PLAT-07 (S-ECF-3; S-P2P-2 第十条(十二)): equity crowdfunding and P2P lending share no fund flow.
 * With both lines enabled each investor's money for each sits in its own wallet; a deposit names
 * its line, a pledge pays from its campaign's line, lenders are repaid into their DEBT wallet, and
 * money moves between one's wallets only by an explicit, audited transfer.
 */
describe('PLAT-07 line wallets (both financial lines enabled)', () => {
  let t: TestApp;
  let admin: { token: string };
  let org: TestUser;
  let equity: string;
  const available = async (code: string) => {
    const c = await counters(t, code);
    return (Number(c.credits_posted) - Number(c.debits_posted) - Number(c.debits_pending)).toFixed(
      2,
    );
  };

  beforeAll(async () => {
    t = await startLinesApp(ALL_LINES);
    admin = await staffToken(t, 'ADMIN');
    org = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    equity = await liveCampaign(
      t,
      org,
      admin.token,
      equityTerms({ targetAmount: '100000.00', maxAmount: '200000.00' }),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('PLAT-07: a deposit lands in the wallet of the line it names; unnamed, in the general wallet; a line not kept is refused and writes nothing', async () => {
    const inv = await readyInvestor(t, { deposit: '1.00', line: 'GENERAL' });
    expect((await deposit(t, inv.id, '300.00', 'EQUITY')).status).toBe(200);
    expect((await deposit(t, inv.id, '200.00', 'DEBT')).status).toBe(200);
    expect((await deposit(t, inv.id, '50.00')).status).toBe(200);
    expect(await walletsOf(t, inv)).toEqual({ GENERAL: '51.00', EQUITY: '300.00', DEBT: '200.00' });
    expect(await available(walletAccount(inv.id, 'EQUITY'))).toBe('300.00');

    const before = await writes(t);
    const bad = await deposit(t, inv.id, '10.00', 'CRYPTO');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(await writes(t)).toEqual(before);
  });

  it('PLAT-07: an equity pledge cannot spend DEBT money (422 even though the wallets together would cover it); after an explicit transfer it can', async () => {
    const inv = await readyInvestor(t, { deposit: '600.00', line: 'DEBT' });
    expect((await deposit(t, inv.id, '100.00', 'EQUITY')).status).toBe(200);
    await acknowledgeCampaign(t, inv, equity);
    const before = await writes(t);
    const refused = await pledge(t, inv, equity, { amount: '500.00' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('LEDGER.INSUFFICIENT_FUNDS');
    expect((await writes(t)).transfers).toBe(before.transfers);
    expect(await walletsOf(t, inv)).toEqual({ GENERAL: '0.00', EQUITY: '100.00', DEBT: '600.00' });

    const moved = await transfer(t, inv, { from: 'DEBT', to: 'EQUITY', amount: '400.00' });
    expect(moved.status).toBe(201);
    expect(moved.body).toMatchObject({
      from: 'DEBT',
      to: 'EQUITY',
      amount: '400.00',
      currency: 'CNY',
    });
    const placed = await pledge(t, inv, equity, { amount: '500.00' });
    expect(placed.status).toBe(201);
    expect(await walletsOf(t, inv)).toEqual({ GENERAL: '0.00', EQUITY: '0.00', DEBT: '200.00' });
    // The hold sits on the EQUITY wallet: the account a release would return it to.
    expect((await counters(t, walletAccount(inv.id, 'EQUITY'))).debits_pending).toBe('500.00');

    const sql = await t.db.client();
    const audit = await sql.query(
      `SELECT details FROM audit_events WHERE action = 'WALLET_LINE_TRANSFER' AND subject_id = $1`,
      [inv.id],
    );
    expect(audit.rows).toEqual([
      {
        details: expect.objectContaining({
          from: 'DEBT',
          to: 'EQUITY',
          amount: '400.00',
          transferId: moved.body.id,
        }),
      },
    ]);
  });

  it('PLAT-07: refused transfers (same wallet, too much, unknown line) answer 4xx and write nothing', async () => {
    const inv = await readyInvestor(t, { deposit: '100.00', line: 'GENERAL' });
    const before = await writes(t);
    const same = await transfer(t, inv, { from: 'DEBT', to: 'DEBT', amount: '1.00' });
    expect([same.status, same.body.error.code]).toEqual([422, 'WALLET.SAME_LINE']);
    const much = await transfer(t, inv, { from: 'GENERAL', to: 'DEBT', amount: '100.01' });
    expect([much.status, much.body.error.code]).toEqual([422, 'LEDGER.INSUFFICIENT_FUNDS']);
    const unknown = await transfer(t, inv, { from: 'GENERAL', to: 'REWARD', amount: '1.00' });
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const noKey = await t.http
      .post('/api/v1/wallet/transfers')
      .set('authorization', `Bearer ${inv.token}`)
      .send({ from: 'GENERAL', to: 'DEBT', amount: '1.00' });
    expect(noKey.status).toBe(400);
    expect(await writes(t)).toEqual(before);
    expect(await walletsOf(t, inv)).toEqual({ GENERAL: '100.00', EQUITY: '0.00', DEBT: '0.00' });
  });

  it('PLAT-07: concurrent transfers never overdraw the source wallet; a duplicated key applies once', async () => {
    const inv = await readyInvestor(t, { deposit: '1000.00', line: 'GENERAL' });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        transfer(t, inv, { from: 'GENERAL', to: 'DEBT', amount: '150.00' }),
      ),
    );
    const ok = results.filter((r) => r.status === 201).length;
    expect(ok).toBe(6);
    expect(
      results
        .filter((r) => r.status === 422)
        .every((r) => r.body.error.code === 'LEDGER.INSUFFICIENT_FUNDS'),
    ).toBe(true);
    expect(ok + results.filter((r) => r.status === 422).length).toBe(10);
    expect(await walletsOf(t, inv)).toEqual({ GENERAL: '100.00', EQUITY: '0.00', DEBT: '900.00' });

    const key = randomUUID();
    const twice = await Promise.all(
      Array.from({ length: 5 }, () =>
        transfer(t, inv, { from: 'DEBT', to: 'EQUITY', amount: '300.00' }, key),
      ),
    );
    expect(twice.every((r) => r.status === 201 && r.body.id === twice[0].body.id)).toBe(true);
    expect(await walletsOf(t, inv)).toEqual({
      GENERAL: '100.00',
      EQUITY: '300.00',
      DEBT: '600.00',
    });
  });

  it('PLAT-07: lenders pledge from and are repaid into their DEBT wallet; the borrower takes back held credit once, into a wallet it can be withdrawn from', async () => {
    const loan = await settledLoan(t, ['600.00', '400.00']);
    const [a] = loan.lenders;
    expect(await walletsOf(t, a)).toEqual({ GENERAL: '0.00', EQUITY: '0.00', DEBT: '0.00' });
    expect((await counters(t, walletAccount(a.id, 'DEBT'))).debits_posted).toBe('600.00');
    // 10.00 before anything is due: no instalment to pay and short of the payoff quote, so held
    // as the borrower's credit.
    const paid = await repay(t, loan.loanId, '10.00');
    expect(paid.status).toBe(200);
    const sql = await t.db.client();
    const credit = async () =>
      (await sql.query(`SELECT borrower_credit::text AS c FROM loans WHERE id = $1`, [loan.loanId]))
        .rows[0].c;
    expect(await credit()).toBe('10.00');

    const payable = `founder:${loan.borrower.id}:payable`;
    const before = await available(payable);
    const key = randomUUID();
    const asks = await Promise.all(
      [key, key, key, randomUUID(), randomUUID()].map((k) =>
        t.http
          .post(`/api/v1/loans/${loan.loanId}/credit/withdrawal`)
          .set('authorization', `Bearer ${loan.borrower.token}`)
          .set('idempotency-key', k),
      ),
    );
    const moved = asks.filter((r) => r.status === 201);
    expect(new Set(moved.map((r) => r.body.transferId)).size).toBe(1);
    expect(moved[0].body).toMatchObject({ loanId: loan.loanId, amount: '10.00' });
    expect(asks.filter((r) => r.status !== 201).map((r) => r.body.error.code)).toEqual(
      asks.filter((r) => r.status !== 201).map(() => 'LENDING.NO_CREDIT'),
    );
    expect(await credit()).toBe('0.00');
    expect((Number(await available(payable)) - Number(before)).toFixed(2)).toBe('10.00');
    const lender = await t.http
      .post(`/api/v1/loans/${loan.loanId}/credit/withdrawal`)
      .set('authorization', `Bearer ${a.token}`)
      .set('idempotency-key', randomUUID());
    expect(lender.status).toBe(403);
    const out = await t.http
      .post('/api/v1/wallet/withdrawals')
      .set('authorization', `Bearer ${loan.borrower.token}`)
      .set('idempotency-key', randomUUID())
      .send({ amount: '10.00' });
    expect(out.status).toBe(201);

    // Paying the loan off distributes principal and interest to the lenders' DEBT wallets only.
    const general = await walletsOf(t, a);
    const payoff = await repay(t, loan.loanId, '1100.00');
    expect(payoff.status).toBe(200);
    const after = await walletsOf(t, a);
    expect(after.GENERAL).toBe(general.GENERAL);
    expect(after.EQUITY).toBe(general.EQUITY);
    expect(Number(after.DEBT)).toBeGreaterThan(Number(general.DEBT) + 600);
  });

  it('PLAT-07: the finance office finds the ledger balanced and verify clean', async () => {
    await sealEverything(t);
    expect(await ledgerProblems(t)).toEqual([]);
  });
});

describe('PLAT-07 a deployment licensed for one financial line (DEBT)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startLinesApp('DEBT,REWARD,DONATION');
  });
  afterAll(async () => {
    await t.close();
  });

  it('PLAT-07: an EQUITY campaign is refused at creation and nothing is written; debt and reward are not', async () => {
    const org = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    const before = await writes(t);
    const refused = await t.http
      .post('/api/v1/campaigns')
      .set('authorization', `Bearer ${org.token}`)
      .send(equityTerms());
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({
      code: 'CAMPAIGN.LINE_NOT_ENABLED',
      details: { kind: 'EQUITY', enabled: ['DEBT', 'REWARD', 'DONATION'] },
    });
    expect(await writes(t)).toEqual(before);
    const debt = await t.http
      .post('/api/v1/campaigns')
      .set('authorization', `Bearer ${org.token}`)
      .send(debtTerms());
    expect(debt.status).toBe(201);
  });

  it('PLAT-07: without separation every deposit is general (naming the one line is its default); naming a line not enabled is refused, nothing written', async () => {
    const inv = await readyInvestor(t, { deposit: '1.00' });
    expect((await deposit(t, inv.id, '20.00', 'DEBT')).status).toBe(200);
    expect((await deposit(t, inv.id, '30.00')).status).toBe(200);
    const wallet = await t.http.get('/api/v1/wallet').set('authorization', `Bearer ${inv.token}`);
    expect(wallet.body).toEqual({ available: '51.00', held: '0.00', currency: 'CNY' });
    const before = await writes(t);
    const refused = await deposit(t, inv.id, '5.00', 'EQUITY');
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('WALLET.LINE_NOT_ENABLED');
    const transferred = await transfer(t, inv, { from: 'GENERAL', to: 'DEBT', amount: '1.00' });
    expect([transferred.status, transferred.body.error.code]).toEqual([
      422,
      'WALLET.LINE_NOT_ENABLED',
    ]);
    expect(await writes(t)).toEqual(before);
  });
});
