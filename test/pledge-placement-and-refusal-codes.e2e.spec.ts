import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CampaignRepository } from '../src/modules/campaign/campaign.repository.js';
import {
  acknowledgeCampaign,
  answers,
  cautiousAnswers,
  debtTerms,
  liveCampaign,
  pledge,
  readyInvestor,
} from './support/pledging.js';
import { TEST_START, startTestApp, type TestApp } from './support/test-app.js';
import { registerAndLogin, staffToken, type TestUser, verifiedUser } from './support/users.js';

describe('placing a pledge (DESIGN §6, INV-7, INV-8, INV-9)', () => {
  let t: TestApp;
  let admin: { id: string; token: string };
  let founder: TestUser;
  let orgFounder: TestUser;
  const get = (u: TestUser, p: string) =>
    t.http.get(`/api/v1${p}`).set('authorization', `Bearer ${u.token}`);
  const sql = async (text: string, params: unknown[] = []) =>
    (await (await t.db.client()).query(text, params)).rows;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await staffToken(t, 'ADMIN');
    founder = await verifiedUser(t, 'FOUNDER');
    orgFounder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
  });
  afterAll(async () => {
    await t.close();
  });

  it('CN-PF-06: a natural person pledges into cooling-off; the money is held in escrow; replays are idempotent', async () => {
    const campaign = await liveCampaign(t, founder, admin.token, debtTerms());
    const inv = await readyInvestor(t, { deposit: '5000.00' });
    await acknowledgeCampaign(t, inv, campaign);
    const res = await pledge(t, inv, campaign, { amount: '1000.00' }, 'p-1');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'COOLING_OFF',
      amount: '1000.00',
      currency: 'CNY',
      confirmationRequired: true,
      coolingOffEndsAt: new Date(Date.parse(TEST_START) + 24 * 3_600_000).toISOString(),
    });
    expect((await get(inv, '/wallet')).body).toEqual({
      available: '4000.00',
      held: '1000.00',
      currency: 'CNY',
    });
    expect((await get(inv, `/campaigns/${campaign}`)).body).toMatchObject({
      committed: '1000.00',
      investorCount: 1,
      remaining: '9000.00',
    });
    const escrow = await sql(`SELECT credits_pending::text FROM ledger_accounts WHERE code = $1`, [
      `campaign:${campaign}:escrow`,
    ]);
    expect(escrow[0].credits_pending).toBe('1000.00');

    // The admission's prepared read of the campaign is the entity read's row, in the columns
    // admission decides on (issue 18: PledgeCampaign).
    const campaigns = t.app.get(CampaignRepository);
    const forPledge = await campaigns.findForPledge(campaign);
    const entity = await campaigns.find(campaign);
    expect(forPledge).toEqual(
      Object.fromEntries(
        Object.keys(forPledge ?? {}).map((k) => [k, entity?.[k as keyof typeof entity]]),
      ),
    );
    expect(Object.keys(forPledge ?? {}).sort()).toEqual([
      'currency',
      'deadline',
      'id',
      'kind',
      'maxPledge',
      'minPledge',
      'offering',
      'riskRating',
      'status',
      'targetAmount',
      'title',
      'unitPrice',
    ]);

    const replay = await pledge(t, inv, campaign, { amount: '1000.00' }, 'p-1');
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(res.body.id);
    const reused = await pledge(t, inv, campaign, { amount: '1100.00' }, 'p-1');
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('IDEMPOTENCY.KEY_REUSED');
    expect((await get(inv, '/wallet')).body.held).toBe('1000.00');
    expect((await get(inv, '/pledges')).body.items).toHaveLength(1);
    expect((await get(inv, '/investors/me/profile')).body.limits.usedLast12Months).toBe('1000.00');
    // The pledge's own statement wrote its notice (notifications_enqueue), once, replays aside.
    expect(
      await sql(
        `SELECT params->>'pledgeId' AS pledge, params->>'status' AS status FROM notifications
          WHERE recipient_id = $1 AND type = 'pledge.placed'`,
        [inv.id],
      ),
    ).toEqual([{ pledge: res.body.id, status: 'COOLING_OFF' }]);

    // A replay whose checks no longer pass (the deadline has since gone by) still answers what the
    // first attempt answered: the key is looked up before any refusal is given (DESIGN §4).
    await sql(`UPDATE campaigns SET deadline = $2 WHERE id = $1`, [
      campaign,
      new Date(Date.parse(TEST_START) - 1000),
    ]);
    const late = await pledge(t, inv, campaign, { amount: '1000.00' }, 'p-1');
    expect(late.status).toBe(201);
    expect(late.body).toEqual(res.body);
    const lateReuse = await pledge(t, inv, campaign, { amount: '1100.00' }, 'p-1');
    expect(lateReuse.status).toBe(409);
    const fresh = await pledge(t, inv, campaign, { amount: '1000.00' }, 'p-2');
    expect(fresh.status).toBe(422);
    expect(fresh.body.error.code).toBe('CAMPAIGN.NOT_OPEN');
  });

  it('cancel in cooling-off returns every fen; a second cancel is refused', async () => {
    const campaign = await liveCampaign(t, founder, admin.token, debtTerms());
    const inv = await readyInvestor(t, { deposit: '700.00' });
    await acknowledgeCampaign(t, inv, campaign);
    const placed = await pledge(t, inv, campaign, { amount: '700.00' });
    const cancel = () =>
      t.http
        .post(`/api/v1/pledges/${placed.body.id}/cancel`)
        .set('authorization', `Bearer ${inv.token}`)
        .set('idempotency-key', randomUUID());
    const cancelled = await cancel();
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED', endedAt: TEST_START });
    expect((await get(inv, '/wallet')).body).toEqual({
      available: '700.00',
      held: '0.00',
      currency: 'CNY',
    });
    expect((await get(inv, `/campaigns/${campaign}`)).body).toMatchObject({
      committed: '0.00',
      investorCount: 0,
    });
    const again = await cancel();
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('PLEDGE.NOT_CANCELLABLE');
    const other = await readyInvestor(t);
    const foreign = await t.http
      .post(`/api/v1/pledges/${placed.body.id}/cancel`)
      .set('authorization', `Bearer ${other.token}`)
      .set('idempotency-key', 'x-1');
    expect(foreign.status).toBe(404);
  });

  it('each refusal has its code and changes nothing', async () => {
    const campaign = await liveCampaign(
      t,
      founder,
      admin.token,
      debtTerms({ maxPledge: '3000.00' }),
    );
    const ready = await readyInvestor(t, { deposit: '2000.00' });
    await acknowledgeCampaign(t, ready, campaign);
    const expectRefusal = async (
      inv: TestUser,
      body: object,
      status: number,
      code: string,
      target = campaign,
    ) => {
      const res = await pledge(t, inv, target, body);
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status, code });
    };
    await expectRefusal(ready, { amount: '99.99' }, 422, 'PLEDGE.BELOW_MINIMUM');
    await expectRefusal(ready, { amount: '3000.01' }, 422, 'PLEDGE.ABOVE_MAXIMUM');
    await expectRefusal(ready, { amount: '2500.00' }, 422, 'LEDGER.INSUFFICIENT_FUNDS');
    // Refused in the locked section, after the statement that writes the notice: none is left.
    expect(
      await sql(
        `SELECT count(*)::int AS n FROM notifications
          WHERE recipient_id = $1 AND type = 'pledge.placed'`,
        [ready.id],
      ),
    ).toEqual([{ n: 0 }]);
    await expectRefusal(ready, { amount: 100 }, 400, 'VALIDATION_FAILED');
    const unverified = await registerAndLogin(t);
    await expectRefusal(unverified, { amount: '100.00' }, 403, 'IDENTITY.REAL_NAME_REQUIRED');
    const noPlatform = await verifiedUser(t);
    await expectRefusal(
      noPlatform,
      { amount: '100.00' },
      422,
      'DISCLOSURE.ACKNOWLEDGEMENT_REQUIRED',
    );
    const noCampaignAck = await readyInvestor(t);
    await expectRefusal(
      noCampaignAck,
      { amount: '100.00' },
      422,
      'DISCLOSURE.ACKNOWLEDGEMENT_REQUIRED',
    );
    const missingKey = await t.http
      .post(`/api/v1/campaigns/${campaign}/pledges`)
      .set('authorization', `Bearer ${ready.token}`)
      .send({ amount: '100.00' });
    expect(missingKey.status).toBe(400);

    // No assessment: a financial product needs one (PLAT-09).
    const unassessed = await verifiedUser(t);
    const p = await t.http
      .get('/api/v1/platform-disclosure')
      .set('authorization', `Bearer ${unassessed.token}`);
    await t.http
      .post('/api/v1/platform-disclosure/acknowledge')
      .set('authorization', `Bearer ${unassessed.token}`)
      .send({ version: p.body.version });
    await acknowledgeCampaign(t, unassessed, campaign);
    await expectRefusal(
      unassessed,
      { amount: '100.00' },
      422,
      'CLASSIFICATION.ASSESSMENT_REQUIRED',
    );

    // PLAT-03: a blocking credit record.
    const record = await t.http
      .post('/api/v1/admin/credit-records')
      .set('authorization', `Bearer ${admin.token}`)
      .send({
        userId: ready.id,
        kind: 'DEFAULT',
        severity: 'BLOCKING',
        source: 'PLATFORM',
        note: 'unpaid loan',
      });
    await expectRefusal(ready, { amount: '100.00' }, 403, 'CREDIT.MARKET_ACCESS_DENIED');
    await t.http
      .post(`/api/v1/admin/credit-records/${record.body.id}/lift`)
      .set('authorization', `Bearer ${admin.token}`)
      .send({ reason: 'repaid' });

    // A campaign that is not LIVE.
    const draft = await t.http
      .post('/api/v1/campaigns')
      .set('authorization', `Bearer ${founder.token}`)
      .send(debtTerms());
    await expectRefusal(ready, { amount: '100.00' }, 422, 'CAMPAIGN.NOT_OPEN', draft.body.id);
    expect((await get(ready, '/wallet')).body).toEqual({
      available: '2000.00',
      held: '0.00',
      currency: 'CNY',
    });
    expect((await get(ready, `/campaigns/${campaign}`)).body.committed).toBe('0.00');
  });

  it('CN-SUIT-11/12: the special warning is shown first, then accepted by version and hash; the lowest category is blocked', async () => {
    const risky = await liveCampaign(t, founder, admin.token, debtTerms({ riskRating: 'R4' }));
    const cautious = await readyInvestor(t, { answers: cautiousAnswers() });
    await acknowledgeCampaign(t, cautious, risky);
    const first = await pledge(t, cautious, risky, { amount: '100.00' });
    expect(first.status).toBe(422);
    expect(first.body.error).toMatchObject({
      code: 'SUITABILITY.SPECIAL_WARNING_REQUIRED',
      details: { productRisk: 'R4', riskLevel: 'C1' },
    });
    const warning = first.body.error.details.warning as {
      version: string;
      sha256: string;
      text: string;
    };
    // CN-SUIT-11(1)/(3): the warning itself, naming the product's level and the investor's.
    expect(warning.version).toBe('SW-2026.1');
    expect(warning.text).toContain('R4');
    expect(warning.text).toContain('C1');
    expect(warning.sha256).toBe(createHash('sha256').update(warning.text, 'utf8').digest('hex'));

    // A warning not shown (wrong hash, or an old version) is 409 and writes nothing.
    for (const stale of [
      { version: warning.version, sha256: 'f'.repeat(64) },
      { version: 'SW-2025.9', sha256: warning.sha256 },
    ]) {
      const refused = await pledge(t, cautious, risky, { amount: '100.00', specialWarning: stale });
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({
        code: 'DISCLOSURE.STALE_VERSION',
        details: { warning: { version: warning.version, sha256: warning.sha256 } },
      });
    }
    expect(
      await sql(`SELECT count(*)::int AS n FROM special_warnings WHERE user_id = $1`, [
        cautious.id,
      ]),
    ).toEqual([{ n: 0 }]);

    const shown = { version: warning.version, sha256: warning.sha256 };
    const accepted = await pledge(
      t,
      cautious,
      risky,
      { amount: '100.00', specialWarning: shown },
      'sw-1',
    );
    expect(accepted.status).toBe(201);
    // The warning is recorded with the pledge, in its transaction: a replay records nothing more.
    const replayed = await pledge(
      t,
      cautious,
      risky,
      { amount: '100.00', specialWarning: shown },
      'sw-1',
    );
    expect(replayed.body.id).toBe(accepted.body.id);
    const warnings = await sql(
      `SELECT investor_level, product_level, text_version, text_sha256 FROM special_warnings WHERE user_id = $1`,
      [cautious.id],
    );
    expect(warnings).toEqual([
      {
        investor_level: 'C1',
        product_level: 'R4',
        text_version: warning.version,
        text_sha256: warning.sha256,
      },
    ]);
    // The evidence names what was accepted (CN-SUIT-16).
    const evidence = await t.http
      .get(`/api/v1/admin/pledges/${accepted.body.id}/evidence`)
      .set('authorization', `Bearer ${admin.token}`);
    expect(evidence.body.decision.specialWarning).toMatchObject(shown);

    const lowest = await readyInvestor(t, { answers: answers({ q10: 'q10a' }) });
    await acknowledgeCampaign(t, lowest, risky);
    const blocked = await pledge(t, lowest, risky, { amount: '100.00', specialWarning: shown });
    expect(blocked.status).toBe(422);
    expect(blocked.body.error.code).toBe('SUITABILITY.BLOCKED');
  });

  it('CN-ECF-04: a private offering stops at its investor cap (PLEDGE.INVESTOR_CAP_REACHED); a second pledge by an investor already in is fine', async () => {
    const id = await liveCampaign(
      t,
      orgFounder,
      admin.token,
      debtTerms({ offering: 'PRIVATE', investorCap: 2 }),
    );
    const investors = [await readyInvestor(t), await readyInvestor(t), await readyInvestor(t)];
    for (const inv of investors) {
      await sql(
        `INSERT INTO investor_profiles (user_id, category, qualified_until, updated_at) VALUES ($1, 'ORDINARY', $2, now())`,
        [inv.id, new Date(Date.parse(TEST_START) + 86_400_000)],
      );
      await acknowledgeCampaign(t, inv, id);
    }
    expect((await pledge(t, investors[0], id, { amount: '100.00' })).status).toBe(201);
    expect((await pledge(t, investors[1], id, { amount: '100.00' })).status).toBe(201);
    const third = await pledge(t, investors[2], id, { amount: '100.00' });
    expect(third.status).toBe(422);
    expect(third.body.error).toMatchObject({
      code: 'PLEDGE.INVESTOR_CAP_REACHED',
      details: { cap: 2 },
    });
    expect((await pledge(t, investors[0], id, { amount: '200.00' })).status).toBe(201);
    expect((await get(investors[0], `/campaigns/${id}`)).body).toMatchObject({
      investorCount: 2,
      committed: '400.00',
    });
  });

  it('equity is bought in whole units; private offerings need qualification (CN-ECF-03)', async () => {
    // PLAT-07: a deployment with the EQUITY line (and so line separation) of its own.
    const e = await startTestApp({ PLATFORM_LINES: 'EQUITY,DEBT,REWARD,DONATION' });
    try {
      const staff = await staffToken(e, 'ADMIN');
      const org = await verifiedUser(e, 'FOUNDER', 'ORGANIZATION');
      const equity = await liveCampaign(
        e,
        org,
        staff.token,
        // CAV-02: the CN pack has no public equity, so equity is a private offering.
        debtTerms({ kind: 'EQUITY', offering: 'PRIVATE', unitPrice: '50.00', riskRating: 'R3' }),
      );
      const inv = await readyInvestor(e);
      const qualified = await readyInvestor(e, { line: 'EQUITY' });
      await (
        await e.db.client()
      ).query(
        `INSERT INTO investor_profiles (user_id, category, qualified_until, updated_at) VALUES ($1, 'ORDINARY', $2, now())`,
        [qualified.id, new Date(Date.parse(TEST_START) + 86_400_000)],
      );
      await acknowledgeCampaign(e, qualified, equity);
      const odd = await pledge(e, qualified, equity, { amount: '125.00' });
      expect(odd.body.error.code).toBe('PLEDGE.NOT_A_UNIT_MULTIPLE');
      expect((await pledge(e, qualified, equity, { amount: '150.00' })).status).toBe(201);

      const privateDebt = await liveCampaign(
        e,
        org,
        staff.token,
        debtTerms({ offering: 'PRIVATE', riskRating: 'R3' }),
      );
      const res = await pledge(e, inv, privateDebt, { amount: '100.00' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('CLASSIFICATION.NOT_QUALIFIED');
    } finally {
      await e.close();
    }
  });
});
