import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AccountCodes } from '../src/modules/escrow-ledger/ledger.types.js';
import { walletAccount } from '../src/modules/escrow-ledger/wallet-lines.js';
import { SettlementHandovers } from '../src/modules/settlement/settlement-handovers.js';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
import { qualifiedInvestor, startHoldingsApp } from './support/holdings.js';
import { cny, counters, ledgerProblems, sealEverything } from './support/ledger.js';
import { depositLine, type DraftPair, liveLinkedPair } from './support/linked-raise.js';
import { acknowledgeCampaign, type Investor, pledge, readyInvestor } from './support/pledging.js';
import type { TestApp } from './support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

/**
 * Issue 15, linked raises (投贷联动): an EQUITY and a DEBT campaign of one founder succeed or fail
 * together at their common deadline (RW-01 applied to the pair). Either side short: both FAILED,
 * both REFUNDED to the fen, both escrows at zero (INV-12). Both met: both SETTLED in one
 * transaction with the loan (CN-P2P) and the register (CN-ECF-04) written in it; a failing
 * hand-over leaves neither settled, and the next sweep settles both.
 */
describe('linked raise: the pair succeeds or fails together (issue 15, RW-01, INV-12)', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startHoldingsApp(); // all lines (PLAT-07), settles at the deadline (no windows)
    admin = (await staffToken(t, 'ADMIN')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  const sql = async <R>(text: string, params: unknown[] = []): Promise<R[]> =>
    (await (await t.db.client()).query(text, params)).rows as R[];
  const statusOf = async (id: string) =>
    (await sql<{ status: string }>(`SELECT status FROM campaigns WHERE id = $1`, [id]))[0].status;
  const sweeps = () => t.app.get(SettlementService);
  const pastDeadline = () =>
    t.clock.set(new Date(t.clock.now().getTime() + 2.01 * 86_400_000).toISOString());

  /** An organisation founder's LIVE pair, equity target 500.00, debt target 1000.00. */
  const livePair = async (): Promise<{ founder: TestUser; pair: DraftPair }> => {
    const founder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    return { founder, pair: await liveLinkedPair(t, founder, admin) };
  };

  const pledged = async (investor: Investor, campaignId: string, amount: string) => {
    await acknowledgeCampaign(t, investor, campaignId);
    const res = await pledge(t, investor, campaignId, { amount });
    expect([res.status, res.body.error?.code]).toEqual([201, undefined]);
  };

  /** The lead: a qualified investor (CN-ECF-03) with an equity and a debt wallet, pledged to both. */
  const lead = async (pair: DraftPair, equity: string, debt: string) => {
    const investor = await qualifiedInvestor(t); // 100000.00 in the EQUITY wallet
    await depositLine(t, investor, 'DEBT', '5000.00');
    await pledged(investor, pair.equity, equity);
    await pledged(investor, pair.debt, debt);
    return investor;
  };

  /** GET /finance/verify and the trial balance, after sealing (the clock moved past the interval). */
  const verifyClean = async () => {
    await sealEverything(t);
    expect(await ledgerProblems(t)).toEqual([]);
  };

  const escrowIsZero = async (id: string) => {
    const c = await counters(t, AccountCodes.campaignEscrow(id));
    expect(c.credits_pending).toBe('0.00');
    expect(c.debits_posted).toBe(c.credits_posted); // INV-12
  };

  it('the debt side misses its target: both FAILED then REFUNDED, every wallet whole, verify clean (RW-01, INV-12)', async () => {
    const { pair } = await livePair();
    const leader = await lead(pair, '300.00', '300.00'); // the lead is both investor and lender
    const equityInvestor = await qualifiedInvestor(t);
    await pledged(equityInvestor, pair.equity, '200.00'); // equity: 500.00 of 500.00, met
    const lender = await readyInvestor(t, { deposit: '400.00' });
    await pledged(lender, pair.debt, '400.00'); // debt: 700.00 of 1000.00, missed

    pastDeadline();
    const report = await sweeps().runOnce();
    expect(report).toMatchObject({ closed: 2, settled: 0, refunded: 2 });
    expect([await statusOf(pair.equity), await statusOf(pair.debt)]).toEqual([
      'REFUNDED',
      'REFUNDED',
    ]);
    // The side that met its target failed because of its partner, and says so.
    const failed = await sql<{ campaign_id: string; reason: string }>(
      `SELECT campaign_id, reason FROM campaign_transitions
        WHERE campaign_id = ANY($1) AND to_status = 'FAILED' ORDER BY campaign_id`,
      [[pair.equity, pair.debt]],
    );
    expect(failed).toHaveLength(2);
    const byId = new Map(failed.map((f) => [f.campaign_id, f.reason]));
    expect(byId.get(pair.equity)).toBe(
      `linked raise: the DEBT campaign ${pair.debt} missed its target`,
    );
    expect(byId.get(pair.debt)).toBe('deadline reached with 700.00 committed');

    // Every investor's wallet is back to the fen: nothing held, nothing taken.
    const wallets = [
      walletAccount(leader.id, 'EQUITY'),
      walletAccount(leader.id, 'DEBT'),
      walletAccount(equityInvestor.id, 'EQUITY'),
      lender.wallet,
    ];
    for (const code of wallets) {
      const c = await counters(t, code);
      expect([c.debits_pending, c.debits_posted]).toEqual(['0.00', '0.00']);
    }
    expect((await counters(t, walletAccount(leader.id, 'DEBT'))).credits_posted).toBe('5000.00');
    for (const id of [pair.equity, pair.debt]) {
      await escrowIsZero(id);
      expect((await counters(t, AccountCodes.campaignEscrow(id))).credits_posted).toBe('0.00');
    }
    expect(await sql(`SELECT 1 FROM loans WHERE campaign_id = $1`, [pair.debt])).toEqual([]);
    expect(await sql(`SELECT 1 FROM holdings WHERE campaign_id = $1`, [pair.equity])).toEqual([]);
    const pledges = await sql<{ status: string }>(
      `SELECT DISTINCT status FROM pledges WHERE campaign_id = ANY($1)`,
      [[pair.equity, pair.debt]],
    );
    expect(pledges).toEqual([{ status: 'REFUNDED' }]);
    await verifyClean();
  });

  it('both meet their targets: one sweep settles both in one transaction, the loan and the register written (CN-P2P, CN-ECF-04, INV-12)', async () => {
    const { founder, pair } = await livePair();
    const leader = await lead(pair, '300.00', '600.00'); // lead investor and lender at once
    const equityInvestor = await qualifiedInvestor(t);
    await pledged(equityInvestor, pair.equity, '200.00');
    const lender = await readyInvestor(t, { deposit: '400.00' });
    await pledged(lender, pair.debt, '400.00');

    pastDeadline();
    // Two sweepers race (SKIP LOCKED on both rows): the pair is closed and settled once.
    const reports = await Promise.all([sweeps().runOnce(), sweeps().runOnce()]);
    const sum = (k: 'closed' | 'settled' | 'failed') => reports.reduce((n, r) => n + r[k], 0);
    expect([sum('closed'), sum('failed')]).toEqual([2, 0]);
    const more = await sweeps().runOnce(); // whatever a skipped sweeper left
    expect(sum('settled') + more.settled).toBe(2);
    expect([await statusOf(pair.equity), await statusOf(pair.debt)]).toEqual([
      'SETTLED',
      'SETTLED',
    ]);
    // Both rows were last written by the same transaction (the pair settles atomically).
    const xmins = await sql<{ xmin: string }>(
      `SELECT xmin::text AS xmin FROM campaigns WHERE id = ANY($1)`,
      [[pair.equity, pair.debt]],
    );
    expect(new Set(xmins.map((r) => r.xmin)).size).toBe(1);

    const loan = await sql<{ principal: string; borrower_id: string }>(
      `SELECT principal::text, borrower_id FROM loans WHERE campaign_id = $1`,
      [pair.debt],
    );
    expect(loan).toEqual([{ principal: '1000.00', borrower_id: founder.id }]);
    const claims = await sql<{ lender_id: string; principal: string }>(
      `SELECT c.lender_id, c.principal::text FROM loan_claims c JOIN loans l ON l.id = c.loan_id
        WHERE l.campaign_id = $1 ORDER BY c.principal`,
      [pair.debt],
    );
    expect(claims).toEqual([
      { lender_id: lender.id, principal: '400.00' },
      { lender_id: leader.id, principal: '600.00' },
    ]);
    const holdings = await sql<{ investor_id: string; units: string }>(
      `SELECT investor_id, units::text FROM holdings WHERE campaign_id = $1 ORDER BY units`,
      [pair.equity],
    );
    expect(holdings).toEqual([
      { investor_id: equityInvestor.id, units: '4' },
      { investor_id: leader.id, units: '6' },
    ]);
    for (const id of [pair.equity, pair.debt]) await escrowIsZero(id);
    // The founder's payable holds both nets: each gross less its fee (half-up to the fen).
    const rates = await sql<{ id: string; fee_rate: string }>(
      `SELECT id, fee_rate::text FROM campaigns WHERE id = ANY($1)`,
      [[pair.equity, pair.debt]],
    );
    const gross = new Map([
      [pair.equity, cny('500.00')],
      [pair.debt, cny('1000.00')],
    ]);
    const nets = rates.map(({ id, fee_rate }) => {
      const g = gross.get(id) ?? cny('0.00');
      return g.minus(g.times(fee_rate, 'HALF_UP'));
    });
    const payable = await counters(t, AccountCodes.founderPayable(founder.id));
    expect(payable.credits_posted).toBe(nets[0].plus(nets[1]).toString());
    await verifyClean();
    expect(await sweeps().runOnce()).toMatchObject({ closed: 0, settled: 0, failed: 0 });
  });

  it('a hand-over that throws leaves neither side settled; the next sweep settles both once (atomic pair)', async () => {
    const { founder, pair } = await livePair();
    await lead(pair, '500.00', '1000.00');
    // Throw in the hand-over of the side settled second, so the first side's settlement (its
    // posts, pay-out and hand-over) ran in the same transaction and must be rolled back with it.
    const second = [pair.equity, pair.debt].sort()[1];
    let failNext = true;
    const handedOver: string[] = [];
    for (const kind of ['EQUITY', 'DEBT'] as const) {
      t.app.get(SettlementHandovers).register(kind, (campaign) => {
        if (campaign.id !== pair.equity && campaign.id !== pair.debt) return Promise.resolve();
        if (campaign.id === second && failNext) {
          failNext = false;
          return Promise.reject(new Error('the hand-over failed'));
        }
        handedOver.push(campaign.id);
        return Promise.resolve();
      });
    }

    pastDeadline();
    await expect(sweeps().runOnce()).rejects.toThrow('the hand-over failed');
    expect([await statusOf(pair.equity), await statusOf(pair.debt)]).toEqual([
      'CLOSING',
      'CLOSING',
    ]);
    expect(await sql(`SELECT 1 FROM loans WHERE campaign_id = $1`, [pair.debt])).toEqual([]);
    expect(await sql(`SELECT 1 FROM holdings WHERE campaign_id = $1`, [pair.equity])).toEqual([]);
    expect(
      await sql(`SELECT 1 FROM pledges WHERE campaign_id = ANY($1) AND status = 'SETTLED'`, [
        [pair.equity, pair.debt],
      ]),
    ).toEqual([]);
    expect(await counters(t, AccountCodes.founderPayable(founder.id))).toBeUndefined();

    expect(await sweeps().runOnce()).toMatchObject({ settled: 2 });
    expect([await statusOf(pair.equity), await statusOf(pair.debt)]).toEqual([
      'SETTLED',
      'SETTLED',
    ]);
    // The side settled first was handed over in the rolled-back attempt too (a JS side effect);
    // the database kept only the second attempt's loan and register.
    expect(handedOver.filter((id) => id === second)).toEqual([second]);
    expect(await sql(`SELECT 1 FROM holdings WHERE campaign_id = $1`, [pair.equity])).toHaveLength(
      1,
    );
    expect(await sql(`SELECT 1 FROM loans WHERE campaign_id = $1`, [pair.debt])).toHaveLength(1);
    for (const id of [pair.equity, pair.debt]) await escrowIsZero(id);
    await verifyClean();
  });

  it('a cancelled partner fails the other side at the deadline, which refunds (RW-01)', async () => {
    const { pair } = await livePair();
    const investor = await lead(pair, '500.00', '100.00');
    const cancelled = await t.http
      .post(`/api/v1/admin/campaigns/${pair.debt}/cancel`)
      .set('authorization', `Bearer ${admin}`)
      .send({ reason: 'the loan is withdrawn' });
    expect(cancelled.status).toBe(200);

    pastDeadline();
    await sweeps().runOnce();
    expect([await statusOf(pair.equity), await statusOf(pair.debt)]).toEqual([
      'REFUNDED',
      'CANCELLED',
    ]);
    const reason = await sql<{ reason: string }>(
      `SELECT reason FROM campaign_transitions WHERE campaign_id = $1 AND to_status = 'FAILED'`,
      [pair.equity],
    );
    expect(reason).toEqual([
      { reason: `linked raise: the DEBT campaign ${pair.debt} is CANCELLED` },
    ]);
    for (const line of ['EQUITY', 'DEBT'] as const) {
      const c = await counters(t, walletAccount(investor.id, line));
      expect([c.debits_pending, c.debits_posted]).toEqual(['0.00', '0.00']);
    }
    for (const id of [pair.equity, pair.debt]) await escrowIsZero(id);
    await verifyClean();
  });
});
