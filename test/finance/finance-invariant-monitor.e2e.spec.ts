import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LedgerService } from '../../src/modules/escrow-ledger/ledger.service.js';
import { SettlementService } from '../../src/modules/settlement/settlement.service.js';
import { cny, fundedAccount, sealEverything } from '../support/ledger.js';
import {
  acknowledgeCampaign,
  debtTerms,
  inDays,
  liveCampaign,
  pledge,
  readyInvestor,
  rewardTerms,
} from '../support/pledging.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { staffToken, verifiedUser } from '../support/users.js';

interface Problem {
  invariant: string;
  code: string;
  ids: string[];
  message: string;
  cause?: string;
}

/**
 * Each invariant of DESIGN §5 that /finance/verify checks after the fact is broken here on
 * purpose, directly in the database as a superuser (dropping the CHECK or disabling the triggers
 * that would refuse it), and the monitor must name it with the rows involved. Each test repairs
 * what it broke, so the last one proves the monitor is clean again.
 */
describe('GET /finance/verify: the invariant monitor names each broken invariant and its ids', () => {
  let t: TestApp;
  let finance: { id: string; token: string };
  let ledger: LedgerService;
  let live: string; // LIVE reward campaign with one ACTIVE pledge
  let refunded: string; // REFUNDED reward campaign
  let debt: string; // LIVE debt campaign, no pledges
  const escrowOf = (id: string) => `campaign:${id}:escrow`;
  const sql = async (text: string, params: unknown[] = []) =>
    (await (await t.db.client()).query(text, params)).rows;
  /** Runs statements with triggers disabled (session_replication_role = replica), in one transaction. */
  const behindTriggers = async (...statements: [string, unknown[]?][]) => {
    const c = await t.db.client();
    await c.query('BEGIN');
    try {
      await c.query('SET LOCAL session_replication_role = replica');
      for (const [text, params] of statements) await c.query(text, params ?? []);
      await c.query('COMMIT');
    } catch (error) {
      await c.query('ROLLBACK');
      throw error;
    }
  };
  const verify = async () => {
    const res = await t.http
      .get('/api/v1/finance/verify')
      .set('authorization', `Bearer ${finance.token}`);
    expect(res.status).toBe(200);
    return res.body as {
      ok: boolean;
      problems: Problem[];
      invariants: Record<string, { ok: boolean; violations: number }>;
      transfersChecked: number;
      blocksChecked: number;
      accountsChecked: number;
    };
  };
  const named = (problems: Problem[], invariant: string, id: string) =>
    problems.filter((p) => p.invariant === invariant && p.ids.includes(id));

  beforeAll(async () => {
    t = await startTestApp();
    finance = await staffToken(t, 'FINANCE');
    const admin = await staffToken(t, 'ADMIN');
    const founder = await verifiedUser(t, 'FOUNDER');
    ledger = t.app.get(LedgerService);
    live = await liveCampaign(t, founder, admin.token, rewardTerms({ deadline: inDays(20) }));
    refunded = await liveCampaign(t, founder, admin.token, rewardTerms());
    debt = await liveCampaign(t, founder, admin.token, debtTerms());
    const inv = await readyInvestor(t, { deposit: '1000.00' });
    for (const id of [live, refunded]) {
      await acknowledgeCampaign(t, inv, id);
      const placed = await pledge(t, inv, id, { amount: '200.00' });
      if (placed.status !== 201) throw new Error(`pledge: ${placed.status} ${placed.text}`);
    }
    t.clock.set(inDays(10.01)); // `refunded` missed its target: FAILED -> REFUNDED
    await t.app.get(SettlementService).runOnce();
    await t.app.get(SettlementService).runOnce();
    const status = await sql(`SELECT status FROM campaigns WHERE id = $1`, [refunded]);
    if (status[0].status !== 'REFUNDED')
      throw new Error(`expected REFUNDED, got ${status[0].status}`);
    await sealEverything(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('a clean database reports ok, every invariant ok, in the shape of DESIGN §7', async () => {
    const report = await verify();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.transfersChecked).toBeGreaterThan(0);
    expect(report.blocksChecked).toBeGreaterThan(0);
    expect(report.accountsChecked).toBeGreaterThan(3);
    expect(Object.keys(report.invariants).sort()).toEqual(
      ['INV-11', 'INV-12', 'INV-2', 'INV-3', 'INV-4', 'INV-5', 'INV-7', 'INV-8'].sort(),
    );
    expect(Object.values(report.invariants).every((i) => i.ok && i.violations === 0)).toBe(true);
  });

  it('INV-3 and INV-4: a counter changed behind the trigger names the account; totals no longer balance', async () => {
    const code = await fundedAccount(t, 'inv3', '50.00');
    await sealEverything(t);
    expect(named((await verify()).problems, 'INV-3', code)).toEqual([]);
    await behindTriggers([
      `UPDATE ledger_accounts SET credits_posted = credits_posted + 1 WHERE code = $1`,
      [code],
    ]);
    try {
      const report = await verify();
      expect(report.ok).toBe(false);
      expect(named(report.problems, 'INV-3', code)).toEqual([
        expect.objectContaining({
          code: 'ACCOUNT_COUNTER_MISMATCH',
          ids: [code],
          stored: '51.00',
          recomputed: '50.00',
        }),
      ]);
      expect(report.problems).toContainEqual(
        expect.objectContaining({ invariant: 'INV-4', code: 'LEDGER_UNBALANCED' }),
      );
      expect(report.invariants['INV-3']).toEqual({ ok: false, violations: 1 });
    } finally {
      await behindTriggers([
        `UPDATE ledger_accounts SET credits_posted = credits_posted - 1 WHERE code = $1`,
        [code],
      ]);
    }
    expect((await verify()).ok).toBe(true);
  });

  it('INV-5: a liability whose debits (posted + pending) exceed its posted credits', async () => {
    const code = await fundedAccount(t, 'inv5', '10.00');
    const [account] = await sql(`SELECT id FROM ledger_accounts WHERE code = $1`, [code]);
    const [custody] = await sql(`SELECT id FROM ledger_accounts WHERE code = 'custody:cash'`);
    await sealEverything(t);
    expect(named((await verify()).problems, 'INV-5', code)).toEqual([]);
    // The CHECK refuses the overdraft: drop it, and overdraw through the ordinary trigger, so the
    // counters still agree with the transfers (only INV-5 breaks).
    await sql(`ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_no_overdraft_check`);
    const insert = (debit: string, credit: string, amount: string, status: string) =>
      sql(
        `INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, created_at)
         VALUES ($1, 'ADJUSTMENT', $2, $3, $4, $5, 'CNY', $6)`,
        [randomUUID(), status, debit, credit, amount, t.clock.now()],
      );
    try {
      await insert(account.id, custody.id, '15.00', 'PENDING');
      const report = await verify();
      expect(named(report.problems, 'INV-5', code)).toEqual([
        expect.objectContaining({
          code: 'ACCOUNT_OVERDRAWN',
          ids: [code],
          debitsPending: '15.00',
          creditsPosted: '10.00',
        }),
      ]);
      expect(named(report.problems, 'INV-3', code)).toEqual([]);
    } finally {
      await insert(custody.id, account.id, '5.00', 'POSTED'); // the deposit that covers it
      await sql(
        `ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_no_overdraft_check CHECK (
           ("kind" = 'ASSET' AND "credits_posted" + "credits_pending" <= "debits_posted")
           OR ("kind" <> 'ASSET' AND "debits_posted" + "debits_pending" <= "credits_posted"))`,
      );
    }
    await sealEverything(t);
    expect((await verify()).ok).toBe(true);
  });

  it('INV-7: committed over the maximum, a reward tier oversold, a private offering over its investor cap', async () => {
    const tier = randomUUID();
    expect((await verify()).problems.filter((p) => p.invariant === 'INV-7')).toEqual([]);
    await sql(`ALTER TABLE campaigns DROP CONSTRAINT campaigns_committed_check`);
    await sql(`ALTER TABLE campaigns DROP CONSTRAINT campaigns_investor_count_check`);
    await sql(`ALTER TABLE reward_tiers DROP CONSTRAINT reward_tiers_stock_check`);
    try {
      await behindTriggers(
        [`UPDATE campaigns SET committed = max_amount + 0.01 WHERE id = $1`, [debt]],
        [
          `UPDATE campaigns SET offering = 'PRIVATE', investor_cap = 1, investor_count = 2 WHERE id = $1`,
          [debt],
        ],
        [
          `INSERT INTO reward_tiers (id, campaign_id, position, title, amount, stock, claimed)
           VALUES ($1, $2, 99, 'Oversold', 10.00, 1, 2)`,
          [tier, live],
        ],
      );
      const report = await verify();
      const inv7 = report.problems.filter((p) => p.invariant === 'INV-7');
      expect(inv7).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            code: 'CAMPAIGN_OVER_MAX_AMOUNT',
            ids: [debt],
            value: '10000.01',
            cap: '10000.00',
          }),
          expect.objectContaining({
            code: 'REWARD_TIER_OVERSOLD',
            ids: [live, tier],
            value: '2',
            cap: '1',
          }),
          expect.objectContaining({
            code: 'PRIVATE_OFFERING_OVER_INVESTOR_CAP',
            ids: [debt],
            value: '2',
            cap: '1',
          }),
        ]),
      );
      expect(inv7).toHaveLength(3);
      expect(report.invariants['INV-7']).toEqual({ ok: false, violations: 3 });
    } finally {
      await behindTriggers(
        [
          `UPDATE campaigns SET committed = 0, offering = 'PUBLIC', investor_cap = NULL, investor_count = 0 WHERE id = $1`,
          [debt],
        ],
        [`DELETE FROM reward_tiers WHERE id = $1`, [tier]],
      );
      await sql(
        `ALTER TABLE campaigns ADD CONSTRAINT campaigns_committed_check CHECK ("committed" >= 0 AND "committed" <= "max_amount")`,
      );
      await sql(
        `ALTER TABLE campaigns ADD CONSTRAINT campaigns_investor_count_check CHECK ("investor_count" >= 0 AND ("investor_cap" IS NULL OR "investor_count" <= "investor_cap"))`,
      );
      await sql(
        `ALTER TABLE reward_tiers ADD CONSTRAINT reward_tiers_stock_check CHECK ("stock" > 0 AND "claimed" >= 0 AND "claimed" <= "stock")`,
      );
    }
    expect((await verify()).ok).toBe(true);
  });

  it('INV-8: escrow no longer equals the sum of the live pledges', async () => {
    expect(named((await verify()).problems, 'INV-8', live)).toEqual([]);
    await behindTriggers([
      `UPDATE pledges SET amount = amount + 0.01 WHERE campaign_id = $1`,
      [live],
    ]);
    try {
      const report = await verify();
      expect(named(report.problems, 'INV-8', live)).toEqual([
        expect.objectContaining({
          code: 'ESCROW_NOT_EQUAL_LIVE_PLEDGES',
          ids: [live, escrowOf(live)],
          escrow: '200.00',
          livePledges: '200.01',
        }),
      ]);
    } finally {
      await behindTriggers([
        `UPDATE pledges SET amount = amount - 0.01 WHERE campaign_id = $1`,
        [live],
      ]);
    }
    expect((await verify()).ok).toBe(true);
  });

  it("INV-12: money left in a REFUNDED campaign's escrow", async () => {
    expect(named((await verify()).problems, 'INV-12', refunded)).toEqual([]);
    const move = (debit: string, credit: string, key: string) =>
      ledger.transfer({
        idempotencyKey: key,
        kind: 'ADJUSTMENT',
        debitAccount: debit,
        creditAccount: credit,
        amount: cny('5.00'),
      });
    await move('custody:cash', escrowOf(refunded), 'inv12-in');
    try {
      const report = await verify();
      expect(named(report.problems, 'INV-12', refunded)).toEqual([
        expect.objectContaining({
          code: 'CLOSED_CAMPAIGN_ESCROW_NOT_ZERO',
          ids: [refunded, escrowOf(refunded)],
          status: 'REFUNDED',
          creditsPosted: '5.00',
        }),
      ]);
      expect(named(report.problems, 'INV-8', refunded)).toHaveLength(1); // and escrow != live pledges (0)
    } finally {
      await move(escrowOf(refunded), 'custody:cash', 'inv12-out');
    }
    await sealEverything(t);
    expect((await verify()).ok).toBe(true);
  });

  it('INV-11: a sealed transfer altered behind the append-only trigger breaks its block, named by height', async () => {
    await sealEverything(t);
    const [victim] = await sql(
      `SELECT t.id, t.reference, b.height::text AS height FROM ledger_transfers t
       JOIN ledger_blocks b ON t.tx_id >= b.from_tx_id AND t.tx_id < b.to_tx_id
       ORDER BY t.seq LIMIT 1`,
    );
    await behindTriggers([
      `UPDATE ledger_transfers SET reference = 'tampered' WHERE id = $1`,
      [victim.id],
    ]);
    try {
      const report = await verify();
      expect(report.problems).toContainEqual(
        expect.objectContaining({
          invariant: 'INV-11',
          code: 'BLOCK_MERKLE_MISMATCH',
          cause: 'INV-2',
          ids: [victim.height],
        }),
      );
      expect(report.invariants['INV-11'].ok).toBe(false);
      expect(report.invariants['INV-2'].ok).toBe(false);
    } finally {
      await behindTriggers([
        `UPDATE ledger_transfers SET reference = $2 WHERE id = $1`,
        [victim.id, victim.reference],
      ]);
    }
    expect((await verify()).ok).toBe(true);
  });

  it('INV-11: a transfer older than the seal grace period and not sealed is named; sealing clears it', async () => {
    const code = await fundedAccount(t, 'inv11', '1.00');
    const [deposit] = await sql(
      `SELECT t.id FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.credit_account_id WHERE a.code = $1`,
      [code],
    );
    expect((await verify()).ok).toBe(true); // within the grace period
    t.clock.advanceMs((t.config.ledger.sealGraceSeconds + 1) * 1000);
    const report = await verify();
    const unsealed = report.problems.filter((p) => p.code === 'TRANSFERS_NOT_SEALED');
    expect(unsealed).toHaveLength(1);
    expect(unsealed[0]).toMatchObject({ invariant: 'INV-11' });
    expect(unsealed[0].ids).toContain(deposit.id);
    await sealEverything(t);
    const clean = await verify();
    expect(clean.problems).toEqual([]);
    expect(clean.ok).toBe(true);
  });
});
