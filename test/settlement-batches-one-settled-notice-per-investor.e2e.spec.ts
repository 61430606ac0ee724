import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Money } from '../src/common/money/money.js';
import { TransactionRunner } from '../src/database/transaction.js';
import { CampaignTransitions } from '../src/modules/campaign/campaign-transitions.service.js';
import { TransferNotFoundError } from '../src/modules/escrow-ledger/ledger.errors.js';
import { LedgerVerifierService } from '../src/modules/escrow-ledger/ledger-verifier.service.js';
import { LedgerService, transferIdFor } from '../src/modules/escrow-ledger/ledger.service.js';
import { SettlementCompletion } from '../src/modules/settlement/settlement-completion.js';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
import { sealEverything } from './support/ledger.js';
import {
  acknowledgeCampaign,
  inDays,
  liveCampaign,
  pledge,
  readyInvestor,
  rewardTerms,
} from './support/pledging.js';
import { TEST_START, startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, verifiedUser } from './support/users.js';

/**
 * Issue 18: settlement posts each batch's holds in one statement (LedgerService.postHolds) and tells
 * each investor once per campaign, with how many of their pledges settled and the sum, when the
 * last batch is done. Batches of 2 here, so a campaign of 5 pledges settles over 3 batches.
 */
describe('settlement in batches: every hold posted once, one pledge.settled notice per investor (RW-01, INV-12)', () => {
  let t: TestApp;
  const sql = async (text: string, params: unknown[] = []) =>
    (await (await t.db.client()).query(text, params)).rows;

  /** The campaign's POST rows (every hold posted once: n = d) and its escrow's counters (INV-12). */
  const postsAndEscrow = async (id: string) => ({
    posts: await sql(
      `SELECT count(*)::int AS n, count(DISTINCT t.pending_id)::int AS d, sum(t.amount)::text AS total
         FROM ledger_transfers t JOIN pledges p ON p.hold_transfer_id = t.pending_id
        WHERE p.campaign_id = $1 AND t.status = 'POST'`,
      [id],
    ),
    escrow: (
      await sql(
        `SELECT debits_posted::text AS dp, credits_posted::text AS cp, credits_pending::text AS cq
           FROM ledger_accounts WHERE code = $1`,
        [`campaign:${id}:escrow`],
      )
    )[0],
  });

  beforeAll(async () => {
    t = await startTestApp({ SETTLEMENT_BATCH_SIZE: '2' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('5 pledges of 2 investors over 3 batches: SETTLED, escrow 0, one notice each with count and sum', async () => {
    const admin = await staffToken(t, 'ADMIN');
    const founder = await verifiedUser(t, 'FOUNDER');
    const id = await liveCampaign(t, founder, admin.token, rewardTerms({ maxAmount: '5000.00' }));
    const a = await readyInvestor(t, { deposit: '1000.00' });
    const b = await readyInvestor(t, { deposit: '1000.00' });
    for (const inv of [a, b]) await acknowledgeCampaign(t, inv, id);
    for (const amount of ['100.00', '200.10', '300.00'])
      expect((await pledge(t, a, id, { amount })).body.status).toBe('ACTIVE');
    for (const amount of ['250.00', '150.05'])
      expect((await pledge(t, b, id, { amount })).body.status).toBe('ACTIVE');
    t.clock.set(inDays(10.01));
    try {
      expect(await t.app.get(SettlementService).runOnce()).toMatchObject({ closed: 1, settled: 1 });
    } finally {
      t.clock.set(TEST_START);
    }
    expect((await sql(`SELECT status FROM campaigns WHERE id = $1`, [id]))[0].status).toBe(
      'SETTLED',
    );
    // Every hold posted exactly once, as `postMany` would have (the same ids: post:<hold>, made
    // in SQL by ledger_post_holds: transferIdFor's bytes, anchored on the pledges' version 7 holds).
    const postIds = await sql(
      `SELECT t.id, t.pending_id FROM ledger_transfers t JOIN pledges p ON p.hold_transfer_id = t.pending_id
        WHERE p.campaign_id = $1 AND t.status = 'POST'`,
      [id],
    );
    expect(postIds).toHaveLength(5);
    for (const r of postIds as { id: string; pending_id: string }[]) {
      expect(r.pending_id[14]).toBe('7');
      expect(r.id).toBe(transferIdFor(`post:${r.pending_id}`));
    }
    expect(await postsAndEscrow(id)).toEqual({
      posts: [{ n: 5, d: 5, total: '1000.15' }],
      escrow: { dp: '1000.15', cp: '1000.15', cq: '0.00' },
    });
    const notices = await sql(
      `SELECT recipient_id, params FROM notifications
        WHERE type = 'pledge.settled' AND campaign_id = $1 ORDER BY recipient_id`,
      [id],
    );
    expect(notices).toEqual(
      [
        { recipient_id: a.id, params: { pledges: 3, amount: '600.10', currency: 'CNY' } },
        { recipient_id: b.id, params: { pledges: 2, amount: '400.05', currency: 'CNY' } },
      ].sort((x, y) => x.recipient_id.localeCompare(y.recipient_id)),
    );
    // The campaign's own notice reaches the founder and each backer once (the settled investors,
    // passed on by the settlement instead of read from the pledges again: issue 18).
    const told = await sql(
      `SELECT recipient_id, count(*)::int AS n FROM notifications
        WHERE type = 'campaign.settled' AND campaign_id = $1 GROUP BY recipient_id`,
      [id],
    );
    expect(new Set(told.map((r) => r.recipient_id))).toEqual(new Set([founder.id, a.id, b.id]));
    expect(told.map((r) => r.n)).toEqual([1, 1, 1]);
    const inbox = await t.http
      .get('/api/v1/me/notifications?limit=100')
      .set('authorization', `Bearer ${a.token}`);
    const settled = (inbox.body.items as { type: string; body: string }[]).filter(
      (n) => n.type === 'pledge.settled',
    );
    expect(settled).toHaveLength(1);
    expect(settled[0].body).toMatch(/3/);
    expect(settled[0].body).toMatch(/600\.10/);

    // Idempotent: a second sweep settles nothing and tells nobody again.
    expect(await t.app.get(SettlementService).runOnce()).toMatchObject({ settled: 0 });
    expect(
      await sql(
        `SELECT count(*)::int AS n FROM notifications WHERE type = 'pledge.settled' AND campaign_id = $1`,
        [id],
      ),
    ).toEqual([{ n: 2 }]);
    await sealEverything(t);
    expect((await t.app.get(LedgerVerifierService).verify()).problems).toEqual([]);
  });

  it('three sweeps racing over one campaign (batches of 2): settled once, every hold posted once, fee and net once, escrow 0, one notice each (RW-01, INV-12)', async () => {
    const admin = await staffToken(t, 'ADMIN');
    const founder = await verifiedUser(t, 'FOUNDER');
    const id = await liveCampaign(t, founder, admin.token, rewardTerms({ maxAmount: '5000.00' }));
    const investors = [
      await readyInvestor(t, { deposit: '1000.00' }),
      await readyInvestor(t, { deposit: '1000.00' }),
      await readyInvestor(t, { deposit: '1000.00' }),
    ];
    for (const inv of investors) await acknowledgeCampaign(t, inv, id);
    const amounts = ['100.00', '150.00', '200.00', '250.00', '120.00', '80.00', '60.00', '40.00'];
    for (const [i, amount] of amounts.entries())
      expect((await pledge(t, investors[i % 3], id, { amount })).body.status).toBe('ACTIVE');
    t.clock.set(inDays(10.01));
    try {
      const sweeps = await Promise.all([1, 2, 3].map(() => t.app.get(SettlementService).runOnce()));
      expect(sweeps.reduce((n, r) => n + r.settled, 0)).toBe(1);
    } finally {
      t.clock.set(TEST_START);
    }
    expect((await sql(`SELECT status FROM campaigns WHERE id = $1`, [id]))[0].status).toBe(
      'SETTLED',
    );
    const posts = await sql(
      `SELECT count(*)::int AS n, count(DISTINCT t.pending_id)::int AS d FROM ledger_transfers t
         JOIN pledges p ON p.hold_transfer_id = t.pending_id WHERE p.campaign_id = $1`,
      [id],
    );
    expect(posts).toEqual([{ n: 8, d: 8 }]);
    // gross 1,000.00; fee 5% = 50.00 (half-up), net 950.00, each written once
    expect(
      await sql(
        `SELECT kind, amount::text FROM ledger_transfers WHERE reference = $1 ORDER BY kind`,
        [`campaign:${id}`],
      ),
    ).toEqual([
      { kind: 'FEE', amount: '50.00' },
      { kind: 'SETTLEMENT', amount: '950.00' },
    ]);
    const [escrow] = await sql(
      `SELECT debits_posted::text AS dp, credits_posted::text AS cp, credits_pending::text AS cq
         FROM ledger_accounts WHERE code = $1`,
      [`campaign:${id}:escrow`],
    );
    expect(escrow).toEqual({ dp: '1000.00', cp: '1000.00', cq: '0.00' }); // INV-12
    const notices = await sql(
      `SELECT params->>'pledges' AS n, params->>'amount' AS amount FROM notifications
        WHERE type = 'pledge.settled' AND campaign_id = $1 ORDER BY amount`,
      [id],
    );
    expect(notices).toEqual([
      { n: '2', amount: '280.00' },
      { n: '3', amount: '310.00' },
      { n: '3', amount: '410.00' },
    ]);
    await sealEverything(t);
    expect((await t.app.get(LedgerVerifierService).verify()).problems).toEqual([]);
  });

  it('a pledge entering a window after the first batch stops the parallel batches: the campaign waits, then settles every hold once (CN-SUIT-14, RW-01)', async () => {
    const admin = await staffToken(t, 'ADMIN');
    const founder = await verifiedUser(t, 'FOUNDER');
    const id = await liveCampaign(t, founder, admin.token, rewardTerms({ maxAmount: '5000.00' }));
    const investor = await readyInvestor(t, { deposit: '2000.00' });
    await acknowledgeCampaign(t, investor, id);
    const amounts = [
      '100.00',
      '110.00',
      '120.00',
      '130.00',
      '140.00',
      '150.00',
      '160.00',
      '170.00',
    ];
    for (const amount of amounts)
      expect((await pledge(t, investor, id, { amount })).body.status).toBe('ACTIVE');
    const statuses = async () =>
      await sql(
        `SELECT status, count(*)::int AS n FROM pledges WHERE campaign_id = $1 GROUP BY status ORDER BY status`,
        [id],
      );
    // The first batch (one pledge, under the exclusive lock) decides SETTLE; then the newest pledge
    // is put in a reconfirmation window, as a material change would, before the batches run on.
    const completion = t.app.get(SettlementCompletion);
    const original = completion.settleBatch.bind(completion);
    let windowOpened = false;
    const spy = jest
      .spyOn(completion, 'settleBatch')
      .mockImplementation(async (campaign, tx, limit) => {
        const batch = await original(campaign, tx, limit);
        if (!windowOpened && campaign.id === id) {
          windowOpened = true;
          await sql(
            `UPDATE pledges SET status = 'AWAITING_RECONFIRMATION', resume_status = 'ACTIVE',
             reconfirm_by = now() + interval '1 day'
           WHERE id = (SELECT id FROM pledges WHERE campaign_id = $1 AND status = 'ACTIVE'
                       ORDER BY created_at DESC LIMIT 1)`,
            [id],
          );
        }
        return batch;
      });
    t.clock.set(inDays(10.01));
    try {
      expect(await t.app.get(SettlementService).runOnce()).toMatchObject({ closed: 1, settled: 0 });
      spy.mockRestore();
      // Only the first batch settled: the parallel batches saw the window and stopped.
      expect((await sql(`SELECT status FROM campaigns WHERE id = $1`, [id]))[0].status).toBe(
        'CLOSING',
      );
      expect(await statuses()).toEqual([
        { status: 'ACTIVE', n: 6 },
        { status: 'AWAITING_RECONFIRMATION', n: 1 },
        { status: 'SETTLED', n: 1 },
      ]);
      // The investor reconfirms (the window resolved): the next sweep settles the rest.
      await sql(
        `UPDATE pledges SET status = 'ACTIVE', resume_status = NULL, reconfirm_by = NULL
          WHERE campaign_id = $1 AND status = 'AWAITING_RECONFIRMATION'`,
        [id],
      );
      expect(await t.app.get(SettlementService).runOnce()).toMatchObject({ settled: 1 });
    } finally {
      spy.mockRestore();
      t.clock.set(TEST_START);
    }
    expect(await statuses()).toEqual([{ status: 'SETTLED', n: 8 }]);
    expect(await postsAndEscrow(id)).toEqual({
      posts: [{ n: 8, d: 8, total: '1080.00' }],
      escrow: { dp: '1080.00', cp: '1080.00', cq: '0.00' },
    });
  });

  it('parallel batches share the campaign row: another batch gets it, the exclusive sweep lock skips it, a change of the row cannot take it (FOR SHARE SKIP LOCKED)', async () => {
    const admin = await staffToken(t, 'ADMIN');
    const founder = await verifiedUser(t, 'FOUNDER');
    const id = await liveCampaign(t, founder, admin.token, rewardTerms());
    await sql(`UPDATE campaigns SET status = 'CLOSING' WHERE id = $1`, [id]);
    const transitions = t.app.get(CampaignTransitions);
    const transactions = t.app.get(TransactionRunner);
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let shared = () => {};
    const held = new Promise<void>((resolve) => (shared = resolve));
    const batch = transactions.run(async (tx) => {
      expect(await transitions.shareForSweep(id, 'CLOSING', tx)).not.toBeNull();
      shared();
      await gate;
    });
    await held;
    try {
      expect(
        await transactions.run((tx) => transitions.shareForSweep(id, 'CLOSING', tx)),
      ).not.toBeNull();
      expect(
        await transactions.run((tx) => transitions.lockForSweep(id, 'CLOSING', tx)),
      ).toBeNull();
      await expect(
        sql(`SELECT id FROM campaigns WHERE id = $1 FOR NO KEY UPDATE NOWAIT`, [id]),
      ).rejects.toMatchObject({ code: '55P03' });
    } finally {
      release();
      await batch;
    }
    expect(
      await transactions.run((tx) => transitions.lockForSweep(id, 'CLOSING', tx)),
    ).not.toBeNull();
  });

  it('postHolds: a replay writes nothing and moves no money; a hold that does not exist is refused, nothing written', async () => {
    const ledger = t.app.get(LedgerService);
    const transactions = t.app.get(TransactionRunner);
    const investor = await readyInvestor(t, { deposit: '50.00' });
    const escrow = `campaign:${randomUUID()}:escrow`;
    await ledger.openAccount(escrow, 'LIABILITY');
    const hold = await ledger.hold({
      idempotencyKey: `test-hold:${randomUUID()}`,
      kind: 'PLEDGE',
      debitAccount: investor.wallet,
      creditAccount: escrow,
      amount: Money.parse('20.00', 'CNY'),
    });
    const counters = async () =>
      (
        await sql(
          `SELECT debits_posted::text AS dp, debits_pending::text AS dq FROM ledger_accounts WHERE code = $1`,
          [investor.wallet],
        )
      )[0];
    await transactions.run((tx) => ledger.postHolds([hold.id], tx));
    expect(await counters()).toEqual({ dp: '20.00', dq: '0.00' });
    // A hold of a key that does not end with a version 7 UUID: a version 8 id, and so its post's.
    expect(hold.id[14]).toBe('8');
    expect(await sql(`SELECT id FROM ledger_transfers WHERE pending_id = $1`, [hold.id])).toEqual([
      { id: transferIdFor(`post:${hold.id}`) },
    ]);
    await transactions.run((tx) => ledger.postHolds([hold.id], tx)); // a replay
    expect(await counters()).toEqual({ dp: '20.00', dq: '0.00' });
    const before = await sql(`SELECT count(*)::int AS n FROM ledger_transfers`);
    await expect(
      transactions.run((tx) => ledger.postHolds([hold.id, randomUUID()], tx)),
    ).rejects.toBeInstanceOf(TransferNotFoundError);
    expect(await sql(`SELECT count(*)::int AS n FROM ledger_transfers`)).toEqual(before);
    expect(await counters()).toEqual({ dp: '20.00', dq: '0.00' });
  });
});
