import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Money } from '../src/common/money/money.js';
import { LedgerService } from '../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../src/modules/escrow-ledger/ledger.types.js';
import { Holdbacks } from '../src/modules/fulfilment/holdbacks.service.js';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
import { sealEverything } from './support/ledger.js';
import {
  acknowledgeCampaign,
  inDays,
  type Investor,
  liveCampaign,
  pledge,
  readyInvestor,
  rewardTerms,
} from './support/pledging.js';
import { TEST_START, startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

/**
 * Issue 16 after the holdback (RW-03): a campaign is paid out in rounds (the released holdback is
 * a further POST /payouts, same maker-checker, idempotency and audit), and backers' claims (what
 * a late-delivery refund could not cover) are paid from the founder's payable as soon as money
 * reaches it, oldest first, partially, before any payout can take it. The ledger stays clean.
 */
describe('payout rounds and backers’ claims (RW-03)', () => {
  let t: TestApp;
  let admin: { id: string; token: string };
  let finance: { id: string; token: string };
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const sql = async <T extends object>(text: string, params: unknown[] = []) =>
    (await (await t.db.client()).query(text, params)).rows as T[];
  const free = async (code: string) => {
    const a = await t.app.get(LedgerService).findAccount(code);
    if (!a) return '0.00';
    const m = (v: string) => Money.fromDecimalString(v, 'CNY');
    return m(a.creditsPosted).minus(m(a.debitsPosted)).minus(m(a.debitsPending)).toString();
  };
  const RELEASE_DUE = '2027-03-30T16:00:00.000Z'; // Feb 2027 ends (Beijing) + 30 days

  /** A LIVE reward campaign with one physical tier of 200.00 delivered Feb 2027, and its backers. */
  async function rewardCampaign(founder: TestUser, backers: number) {
    const id = await liveCampaign(
      t,
      founder,
      admin.token,
      rewardTerms({
        targetAmount: '100.00',
        rewardTiers: [{ title: 'Teapot', amount: '200.00', stock: 20 }],
      }),
    );
    const campaign = await t.http.get(`/api/v1/campaigns/${id}`).set(auth(founder.token));
    const tierId = campaign.body.rewardTiers[0].id as string;
    const placed: { investor: Investor; pledgeId: string }[] = [];
    for (let i = 0; i < backers; i++) {
      const investor = await readyInvestor(t, { deposit: '1000.00' });
      await acknowledgeCampaign(t, investor, id);
      const res = await pledge(t, investor, id, { amount: '200.00', rewardTierId: tierId });
      expect(res.status).toBe(201);
      placed.push({ investor, pledgeId: res.body.id as string });
    }
    return { id, backers: placed };
  }

  const requestPayout = (founder: TestUser, campaignId: string, key: string = randomUUID()) =>
    t.http
      .post('/api/v1/payouts')
      .set(auth(founder.token))
      .set('idempotency-key', key)
      .send({ campaignId });
  const approve = async (payoutId: string) => {
    const res = await t.http
      .post(`/api/v1/finance/payouts/${payoutId}/approve`)
      .set(auth(finance.token));
    expect(res.status).toBe(200);
    return res.body as { holdTransferId: string; amount: string };
  };
  /** The custodian's notice on an approved payout's hold: PAYOUT_SETTLED posts it, FAILED voids it. */
  const bank = async (type: 'PAYOUT_SETTLED' | 'PAYOUT_FAILED', hold: string, amount: string) => {
    const raw = JSON.stringify({
      type,
      bankReference: `bank-${randomUUID()}`,
      transferId: hold,
      amount,
      currency: 'CNY',
      occurredAt: t.clock.now().toISOString(),
    });
    const sig = `sha256=${createHmac('sha256', t.config.ledger.custodyWebhookSecret).update(raw).digest('hex')}`;
    const res = await t.http
      .post('/api/v1/custody/notifications')
      .set('content-type', 'application/json')
      .set('x-custody-signature', sig)
      .send(raw);
    expect(res.status).toBe(200);
  };
  const written = async () =>
    (
      await sql<{ payouts: string; audit: string; transfers: string }>(
        `SELECT (SELECT count(*) FROM payouts)::text AS payouts,
                (SELECT count(*) FROM audit_events)::text AS audit,
                (SELECT count(*) FROM ledger_transfers)::text AS transfers`,
      )
    )[0];
  async function ledgerClean() {
    await sealEverything(t);
    const verify = await t.http.get('/api/v1/finance/verify').set(auth(finance.token));
    expect(verify.body).toMatchObject({ ok: true, problems: [] });
    const tb = await t.http.get('/api/v1/finance/trial-balance').set(auth(finance.token));
    expect(tb.body.balanced).toBe(true);
    expect(tb.body.totals.debitsPosted).toBe(tb.body.totals.creditsPosted);
  }

  beforeAll(async () => {
    t = await startTestApp();
    admin = await staffToken(t, 'ADMIN');
    finance = await staffToken(t, 'FINANCE');
  });
  afterEach(() => {
    t.clock.set(TEST_START);
  });
  afterAll(async () => {
    await t.close();
  });

  it('the holdback released after the payout is a second payout of exactly the released amount; two at once request it once', async () => {
    const founder = await verifiedUser(t, 'FOUNDER');
    const c = await rewardCampaign(founder, 1);
    t.clock.set(inDays(10.01));
    await t.app.get(SettlementService).runOnce();
    // gross 200.00, fee 10.00, net 190.00: holdback 38.00, payable 152.00.
    const first = await requestPayout(founder, c.id, 'round-1');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'REQUESTED', amount: '152.00' });
    const waiting = await requestPayout(founder, c.id);
    expect(waiting.body.error.code).toBe('PAYOUT.ALREADY_REQUESTED');
    const hold = await approve(first.body.id as string);
    await bank('PAYOUT_SETTLED', hold.holdTransferId, '152.00');

    // The holdback is still held: nothing to pay, and nothing written.
    const before = await written();
    const nothing = await requestPayout(founder, c.id);
    expect([nothing.status, nothing.body.error.code]).toEqual([422, 'PAYOUT.NOTHING_TO_PAY']);
    expect(await written()).toEqual(before);

    // Released (30 days after the delivery month): 38.00 back on the payable.
    t.clock.set(RELEASE_DUE);
    expect(await t.app.get(Holdbacks).releaseDue()).toBeGreaterThanOrEqual(1);
    expect(await free(AccountCodes.founderPayable(founder.id))).toBe('38.00');

    // Two requests at once (different keys): exactly one asks for the 38.00.
    const racing = await Promise.all([requestPayout(founder, c.id), requestPayout(founder, c.id)]);
    const won = racing.filter((r) => r.status === 201);
    expect(won).toHaveLength(1);
    expect(won[0].body).toMatchObject({ status: 'REQUESTED', amount: '38.00' });
    const lost = racing.find((r) => r.status !== 201)!;
    expect([lost.status, lost.body.error.code]).toEqual([409, 'PAYOUT.ALREADY_REQUESTED']);
    const rows = await sql<{ amount: string; status: string }>(
      `SELECT amount::text, status FROM payouts WHERE campaign_id = $1 ORDER BY requested_at, amount DESC`,
      [c.id],
    );
    expect(rows).toEqual([
      { amount: '152.00', status: 'APPROVED' },
      { amount: '38.00', status: 'REQUESTED' },
    ]);
    // Idempotent: the first request's key answers the first payout, not a new one.
    expect((await requestPayout(founder, c.id, 'round-1')).body.id).toBe(first.body.id);
    // The same maker-checker: the founder cannot approve; FINANCE does.
    const self = await t.http
      .post(`/api/v1/finance/payouts/${won[0].body.id}/approve`)
      .set(auth(founder.token));
    expect(self.status).toBe(403);
    const second = await approve(won[0].body.id as string);
    await bank('PAYOUT_SETTLED', second.holdTransferId, '38.00');
    expect(await free(AccountCodes.founderPayable(founder.id))).toBe('0.00');
    const after = await requestPayout(founder, c.id);
    expect(after.body.error.code).toBe('PAYOUT.NOTHING_TO_PAY');
    const audit = await sql<{ action: string }>(
      `SELECT action FROM audit_events WHERE subject_type = 'payout' AND action = 'payout.requested' AND details->>'campaignId' = $1`,
      [c.id],
    );
    expect(audit).toHaveLength(2);
    await ledgerClean();
  });

  it('claims are paid from money reaching the payable, oldest first and partially, before any payout takes it', async () => {
    const founder = await verifiedUser(t, 'FOUNDER');
    const c1 = await rewardCampaign(founder, 3);
    const c2 = await rewardCampaign(founder, 2);
    t.clock.set(inDays(10.01));
    await t.app.get(SettlementService).runOnce();
    // c1: net 570.00, holdback 114.00, payable 456.00; c2: net 380.00, holdback 76.00, 304.00.
    const payable = AccountCodes.founderPayable(founder.id);
    expect(await free(payable)).toBe('760.00');
    const p1 = await requestPayout(founder, c1.id);
    const p2 = await requestPayout(founder, c2.id);
    expect([p1.body.amount, p2.body.amount]).toEqual(['456.00', '304.00']);
    const h1 = await approve(p1.body.id as string);
    const h2 = await approve(p2.body.id as string);
    await bank('PAYOUT_SETTLED', h2.holdTransferId, '304.00');

    // c1 delivers late: the holdback covers 114.00, the payable is held for the payout: claims.
    t.clock.set('2027-03-02T00:00:00.000Z');
    const refunds = [];
    for (const b of c1.backers) {
      const res = await t.http
        .post(`/api/v1/pledges/${b.pledgeId}/late-delivery-refund`)
        .set(auth(b.investor.token));
      expect(res.status).toBe(200);
      refunds.push(res.body);
      t.clock.set(new Date(t.clock.now().getTime() + 1000).toISOString()); // oldest first is clear
    }
    expect(refunds.map((r) => [r.shortfall, r.claimStatus, r.claimRemaining])).toEqual([
      ['86.00', 'OPEN', '86.00'],
      ['200.00', 'OPEN', '200.00'],
      ['200.00', 'OPEN', '200.00'],
    ]);

    // c2's holdback is released: its 76.00 pays the oldest claim, partially, in that transaction.
    t.clock.set(RELEASE_DUE);
    await t.app.get(Holdbacks).releaseDue();
    expect(await free(payable)).toBe('0.00');
    const claims = async (status?: string) =>
      (
        await t.http
          .get('/api/v1/finance/claims')
          .query(status ? { status } : {})
          .set(auth(finance.token))
      ).body;
    expect(
      (await claims()).items.map((x: { paid: string; remaining: string; status: string }) => [
        x.paid,
        x.remaining,
        x.status,
      ]),
    ).toEqual([
      ['76.00', '10.00', 'OPEN'],
      ['0.00', '200.00', 'OPEN'],
      ['0.00', '200.00', 'OPEN'],
    ]);
    // Issue 16: the same list one claim a page, by the shared signed cursor; a forged one is 400.
    const all = (await claims()).items.map((x: { pledgeId: string }) => x.pledgeId);
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (
        await t.http
          .get('/api/v1/finance/claims')
          .query({ limit: '1', ...(cursor ? { cursor } : {}) })
          .set(auth(finance.token))
      ).body as { items: { pledgeId: string }[]; nextCursor: string | null };
      walked.push(...page.items.map((x) => x.pledgeId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked).toEqual(all);
    const forged = await t.http
      .get('/api/v1/finance/claims')
      .query({
        cursor: `${Buffer.from('[1,"finance-claims","x","y"]').toString('base64url')}.AAAA`,
      })
      .set(auth(finance.token));
    expect([forged.status, forged.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(await free(c1.backers[0].investor.wallet)).toBe('990.00'); // 800 + 114 + 76

    // The custodian fails c1's payout: 456.00 is back on the payable. The founder asks again:
    // the claims are paid first (10 + 200 + 200), and only the 46.00 left can be requested.
    await bank('PAYOUT_FAILED', h1.holdTransferId, '456.00');
    expect(await free(payable)).toBe('456.00');
    const none = await requestPayout(founder, c1.id); // c1's net went to its backers
    expect(none.body.error.code).toBe('PAYOUT.NOTHING_TO_PAY');
    expect((await claims('OPEN')).items).toEqual([]);
    const paid = (await claims('PAID')).items as { pledgeId: string; settledAt: string }[];
    expect(paid.map((x) => x.pledgeId)).toEqual(c1.backers.map((b) => b.pledgeId));
    expect(paid.every((x) => typeof x.settledAt === 'string')).toBe(true);
    const rest = await requestPayout(founder, c2.id);
    expect(rest.status).toBe(201);
    expect(rest.body.amount).toBe('46.00');
    // Every backer got the whole pledge back, exactly.
    for (const b of c1.backers) expect(await free(b.investor.wallet)).toBe('1000.00');
    const view = await t.http
      .get(`/api/v1/pledges/${c1.backers[0].pledgeId}/delivery`)
      .set(auth(c1.backers[0].investor.token));
    expect(view.body.refund).toMatchObject({
      shortfall: '86.00',
      claimStatus: 'PAID',
      claimPaid: '86.00',
      claimRemaining: '0.00',
    });
    // Each payment a REFUND transfer payable -> wallet; each backer told; each audited.
    const transfers = await sql<{ amount: string }>(
      `SELECT amount::text FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.debit_account_id
        WHERE t.kind = 'REFUND' AND a.code = $1 ORDER BY t.amount`,
      [payable],
    );
    expect(transfers.map((x) => x.amount)).toEqual(['10.00', '76.00', '200.00', '200.00']);
    const notices = await sql<{ n: string }>(
      `SELECT count(*)::text AS n FROM notifications WHERE type = 'delivery.claim_paid' AND campaign_id = $1`,
      [c1.id],
    );
    expect(notices[0].n).toBe('4');
    const audited = await sql<{ n: string }>(
      `SELECT count(*)::text AS n FROM audit_events WHERE action = 'fulfilment.claim_paid'`,
    );
    expect(audited[0].n).toBe('4');
    // Paging: one at a time, by cursor.
    const page1 = await t.http.get('/api/v1/finance/claims?limit=2').set(auth(finance.token));
    expect(page1.body.items).toHaveLength(2);
    const page2 = await t.http
      .get(`/api/v1/finance/claims?limit=2&cursor=${page1.body.nextCursor as string}`)
      .set(auth(finance.token));
    expect(page2.body.items.map((x: { pledgeId: string }) => x.pledgeId)).toEqual([
      c1.backers[2].pledgeId,
    ]);
    expect(
      (await t.http.get('/api/v1/finance/claims?cursor=nonsense').set(auth(finance.token))).body
        .error.code,
    ).toBe('VALIDATION_FAILED');
    await ledgerClean();
  });
  it('a later settlement of the founder pays an open claim in the settling transaction', async () => {
    const founder = await verifiedUser(t, 'FOUNDER');
    const c1 = await rewardCampaign(founder, 1);
    t.clock.set(inDays(10.01));
    await t.app.get(SettlementService).runOnce();
    const p1 = await requestPayout(founder, c1.id);
    await approve(p1.body.id as string); // 152.00 held for the payout: the payable has nothing free
    t.clock.set('2027-03-02T00:00:00.000Z');
    const [b] = c1.backers;
    const refund = await t.http
      .post(`/api/v1/pledges/${b.pledgeId}/late-delivery-refund`)
      .set(auth(b.investor.token));
    expect(refund.body).toMatchObject({ fromHoldback: '38.00', shortfall: '162.00' });

    // Another campaign of the founder (no tiers) settles: 190.00 net, 38.00 kept, 152.00 credited.
    const next = await liveCampaign(
      t,
      founder,
      admin.token,
      rewardTerms({
        targetAmount: '100.00',
        deadline: new Date(t.clock.now().getTime() + 10 * 86_400_000).toISOString(),
      }),
    );
    const investor = await readyInvestor(t, { deposit: '1000.00' });
    await acknowledgeCampaign(t, investor, next);
    expect((await pledge(t, investor, next, { amount: '200.00' })).status).toBe(201);
    t.clock.set(new Date(t.clock.now().getTime() + 10.01 * 86_400_000).toISOString());
    await t.app.get(SettlementService).runOnce();
    const view = await t.http
      .get(`/api/v1/pledges/${b.pledgeId}/delivery`)
      .set(auth(b.investor.token));
    expect(view.body.refund).toMatchObject({
      claimStatus: 'OPEN',
      claimPaid: '152.00',
      claimRemaining: '10.00',
    });
    expect(await free(AccountCodes.founderPayable(founder.id))).toBe('0.00');
    expect(await free(b.investor.wallet)).toBe('990.00');
    const none = await requestPayout(founder, next);
    expect(none.body.error.code).toBe('PAYOUT.NOTHING_TO_PAY');
    await ledgerClean();
  });
});
