import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { LineMigration } from '../src/modules/lines/index.js';
import { walletAccount } from '../src/modules/escrow-ledger/wallet-lines.js';
import { ledgerProblems, sealEverything } from './support/ledger.js';
import { repay, settledLoan } from './support/lending.js';
import { ALL_LINES, deposit, equityTerms, startLinesApp, walletsOf } from './support/lines.js';
import {
  acknowledgeCampaign,
  inDays,
  liveCampaign,
  pledge,
  readyInvestor,
} from './support/pledging.js';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
import type { TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

/**
 * PLAT-07: turning line separation on. A platform ran each financial line alone (one general
 * wallet per investor): equity raised, settled and refunded, a loan settled, repaid and paid off.
 * Then both lines are enabled and `lines:migrate` moves to each line's wallet what came from that
 * line (net_L, clamped to the balance, DEBT first): not a fen is lost or made, and a second run
 * moves nothing.
 */
describe('PLAT-07 lines:migrate when separation is turned on', () => {
  let db: TestDatabase;
  let t: TestApp;
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.app.close();
    await db.drop();
  });
  /** The same database under another PLATFORM_LINES, the clock where the last app left it. */
  const phase = async (lines: string) => {
    const now = t?.clock.now();
    if (t) await t.app.close();
    apps.pop();
    t = await startLinesApp(lines, { db });
    apps.push(t);
    if (now) t.clock.set(now);
    return t;
  };
  const sql = async (text: string, params: unknown[] = []) =>
    (await (await t.db.client()).query(text, params)).rows;
  /** Each investor's money over all their wallets: posted balance and held, by investor id. */
  const perInvestor = async () =>
    Object.fromEntries(
      (
        await sql(
          `SELECT split_part(code, ':', 2) AS investor,
                  sum(credits_posted - debits_posted)::text AS posted, sum(debits_pending)::text AS held
           FROM ledger_accounts WHERE code LIKE 'investor:%:available%' GROUP BY 1 ORDER BY 1`,
        )
      ).map((r) => [r.investor, `${r.posted}/${r.held}`]),
    );
  const trialBalance = async () => {
    const finance = await staffToken(t, 'FINANCE');
    const res = await t.http
      .get('/api/v1/finance/trial-balance')
      .set('authorization', `Bearer ${finance.token}`);
    expect(res.body.balanced).toBe(true);
    const byKind = res.body.byKind as Record<string, { balance: string }>;
    return Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, v.balance]));
  };

  it('PLAT-07: moves by provenance, keeps the trial balance and every investor’s total to the fen, verifies clean, and a second run moves nothing', async () => {
    db = await createTestDatabase();
    // -------- an equity-only deployment: one general wallet; A raises, B fails and refunds.
    await phase('EQUITY,REWARD,DONATION');
    const admin = await staffToken(t, 'ADMIN');
    const org = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    const raised = await liveCampaign(
      t,
      org,
      admin.token,
      equityTerms({ targetAmount: '500.00', maxAmount: '1000.00', deadline: inDays(2) }),
    );
    const failed = await liveCampaign(
      t,
      org,
      admin.token,
      equityTerms({ targetAmount: '90000.00', maxAmount: '90000.00', deadline: inDays(2) }),
    );
    const holder = await readyInvestor(t, { deposit: '2000.00' });
    for (const [campaign, amount] of [
      [raised, '500.00'],
      [failed, '300.00'],
    ]) {
      await acknowledgeCampaign(t, holder, campaign);
      expect((await pledge(t, holder, campaign, { amount })).status).toBe(201);
    }
    t.clock.set(inDays(2.01));
    await t.app.get(SettlementService).runOnce();
    await t.app.get(SettlementService).runOnce();
    expect((await walletsOf(t, holder)).GENERAL).toBe('1500.00');

    // -------- a debt-only deployment on the same books: a loan settled, then paid off early.
    await phase('DEBT,REWARD,DONATION');
    const loan = await settledLoan(t, ['700.00', '300.00']);
    const [big, small] = loan.lenders as TestUser[];
    expect((await deposit(t, big.id, '50.00')).status).toBe(200); // money of no line
    expect((await repay(t, loan.loanId, '1100.00')).status).toBe(200);
    const bigGeneral = (await walletsOf(t, big)).GENERAL;
    expect(Number(bigGeneral)).toBeGreaterThan(750); // 700 back, interest, the 50
    // `small` asks to withdraw all but 1.00: the held part is not available to move.
    const smallGeneral = Number((await walletsOf(t, small)).GENERAL);
    const out = await t.http
      .post('/api/v1/wallet/withdrawals')
      .set('authorization', `Bearer ${small.token}`)
      .set('idempotency-key', randomUUID())
      .send({ amount: (smallGeneral - 1).toFixed(2) });
    expect(out.status).toBe(201);

    // -------- both lines: separation on, then the migration.
    await phase(ALL_LINES);
    await sealEverything(t);
    const balances = await trialBalance();
    const totals = await perInvestor();
    const first = await t.app.get(LineMigration).run('test');
    expect(first).toMatchObject({ separated: true, investorsMoved: 2, transfers: 2 });
    expect(first.moved.EQUITY).toBe('0.00'); // equity only ever took money out of the wallets

    // `big`: net_DEBT = what the loan paid back - the 700 lent (the interest, net of the fee)
    // moves; the 700 deposited and lent came back and stays general, as does the 50 deposit.
    const received = await sql(
      `SELECT sum(t.amount)::text AS s FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.credit_account_id
       WHERE a.code = $1 AND t.kind = 'REPAYMENT'`,
      [walletAccount(big.id)],
    );
    const netDebt = (Number(received[0].s) - 700).toFixed(2);
    expect(await walletsOf(t, big)).toEqual({
      GENERAL: (Number(bigGeneral) - Number(netDebt)).toFixed(2),
      EQUITY: '0.00',
      DEBT: netDebt,
    });
    expect(Number(netDebt)).toBeGreaterThan(0);
    expect((Number(bigGeneral) - Number(netDebt)).toFixed(2)).toBe('750.00');
    // `small`: net_DEBT is clamped to the 1.00 not held for the withdrawal.
    expect(await walletsOf(t, small)).toEqual({ GENERAL: '0.00', EQUITY: '0.00', DEBT: '1.00' });
    // The equity holder's 1500 came from deposits, not from a line: it stays general.
    expect(await walletsOf(t, holder)).toEqual({
      GENERAL: '1500.00',
      EQUITY: '0.00',
      DEBT: '0.00',
    });

    expect(await trialBalance()).toEqual(balances);
    expect(await perInvestor()).toEqual(totals);
    await sealEverything(t);
    expect(await ledgerProblems(t)).toEqual([]);

    const moves = await sql(
      `SELECT count(*)::int AS n FROM ledger_transfers WHERE kind = 'LINE_TRANSFER'`,
    );
    const second = await t.app.get(LineMigration).run('test');
    expect(second).toMatchObject({
      investorsMoved: 0,
      transfers: 0,
      moved: { DEBT: '0.00', EQUITY: '0.00' },
    });
    expect(
      await sql(`SELECT count(*)::int AS n FROM ledger_transfers WHERE kind = 'LINE_TRANSFER'`),
    ).toEqual(moves);
    expect(await perInvestor()).toEqual(totals);
    const audited = await sql(
      `SELECT details FROM audit_events WHERE action = 'LINES_MIGRATED' ORDER BY id`,
    );
    expect(audited.map((r) => r.details.transfers)).toEqual([2, 0]);
  });
});
