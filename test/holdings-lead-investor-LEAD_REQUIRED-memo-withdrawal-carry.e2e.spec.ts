import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
import { counters, ledgerProblems, sealEverything } from './support/ledger.js';
import { equityTerms, fundDistribution, qualifiedInvestor } from './support/holdings.js';
import { ALL_LINES } from './support/lines.js';
import { acknowledgeCampaign, type Investor, pledge, readyInvestor } from './support/pledging.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

/**
 * Issue 15, lead investors (领投 + 跟投): a campaign's founder names a lead (qualified or
 * professional, or an organisation ADMIN flagged institutional); followers' pledges are
 * `422 CAMPAIGN.LEAD_REQUIRED` until the lead has committed `leadMinShare` (10 %) of the target and
 * published its memo, which followers acknowledge like a disclosure; a lead who withdraws is a
 * material change for every follower (CN-SUIT-14); the lead's carry is taken from followers'
 * profits at distributions.
 */
describe('lead investors (issue 15: 领投 + 跟投, CN-SUIT-14, CN-PF-02)', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    // 24 h of cooling-off (CN-PF-06): a lead may cancel, which is how a withdrawal often happens.
    t = await startTestApp({
      PLATFORM_LINES: ALL_LINES,
      RULE_PACK_OVERRIDES: JSON.stringify({ coolingOffHours: 24, confirmationCallRequired: false }),
    });
    admin = (await staffToken(t, 'ADMIN')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const sql = async (text: string, params: unknown[] = []) =>
    (await (await t.db.client()).query(text, params)).rows;
  const nameLead = (founder: TestUser, id: string, body: object) =>
    t.http.put(`/api/v1/campaigns/${id}/lead`).set(auth(founder.token)).send(body);
  const publishMemo = (lead: TestUser, id: string) =>
    t.http
      .post(`/api/v1/campaigns/${id}/lead/memo`)
      .set(auth(lead.token))
      .send({ title: 'Due diligence', body: 'Team, market and terms checked on site.' });
  const acknowledgeMemo = async (inv: TestUser, id: string) => {
    const memo = await t.http.get(`/api/v1/campaigns/${id}/lead/memo`).set(auth(inv.token));
    return t.http
      .post(`/api/v1/campaigns/${id}/lead/memo/${memo.body.version}/acknowledge`)
      .set(auth(inv.token));
  };
  const sweep = () => t.app.get(SettlementService).runOnce();

  /** A LIVE private EQUITY campaign (50.00 a unit, target 500.00) whose draft named `lead`. */
  async function campaignLedBy(
    founder: TestUser,
    lead: TestUser,
    carryRate = '0.2000',
    targetAmount = '500.00',
  ): Promise<string> {
    const created = await t.http
      .post('/api/v1/campaigns')
      .set(auth(founder.token))
      .send(equityTerms(t, { targetAmount }));
    const id = created.body.id as string;
    const named = await nameLead(founder, id, { investorId: lead.id, carryRate });
    if (named.status !== 200) throw new Error(`lead: ${named.status} ${named.text}`);
    await t.http
      .post(`/api/v1/campaigns/${id}/disclosures`)
      .set(auth(founder.token))
      .send({ title: 'Plan', body: 'Use of funds.', material: false });
    expect(
      (await t.http.post(`/api/v1/campaigns/${id}/submit`).set(auth(founder.token))).status,
    ).toBe(200);
    const approved = await t.http
      .post(`/api/v1/admin/campaigns/${id}/approve`)
      .set(auth(admin))
      .send({ riskRating: 'R3', ratingReason: 'test' });
    if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${approved.text}`);
    return id;
  }

  it('who may lead: qualified or professional, or an organisation ADMIN flagged institutional (CN-PF-02); refusals write nothing', async () => {
    const founder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    const draft = await t.http
      .post('/api/v1/campaigns')
      .set(auth(founder.token))
      .send(equityTerms(t));
    const id = draft.body.id as string;
    const ordinary = await readyInvestor(t, { line: 'EQUITY' });
    const fund = await readyInvestor(t, { kind: 'ORGANIZATION', line: 'EQUITY' });

    const refused = await nameLead(founder, id, { investorId: ordinary.id, carryRate: '0.2' });
    expect([refused.status, refused.body.error.code]).toEqual([422, 'CAMPAIGN.LEAD_NOT_ELIGIBLE']);
    const unflagged = await nameLead(founder, id, { investorId: fund.id, carryRate: '0.2' });
    expect(unflagged.body.error.code).toBe('CAMPAIGN.LEAD_NOT_ELIGIBLE');
    for (const bad of [
      { investorId: fund.id, carryRate: '0.6' },
      { investorId: fund.id, carryRate: 0.2 },
    ])
      expect((await nameLead(founder, id, bad)).status).toBe(400);
    expect(await sql(`SELECT 1 FROM campaign_leads WHERE campaign_id = $1`, [id])).toEqual([]);

    // Only ADMIN flags, and only an organisation; every decision is kept and audited.
    const flag = (token: string, who: string, body: object) =>
      t.http.put(`/api/v1/admin/investors/${who}/institutional`).set(auth(token)).send(body);
    expect(
      (await flag(founder.token, fund.id, { institutional: true, reason: 'VC fund' })).status,
    ).toBe(403);
    const person = await flag(admin, ordinary.id, { institutional: true, reason: 'VC fund' });
    expect([person.status, person.body.error.code]).toEqual([
      422,
      'CLASSIFICATION.NOT_AN_ORGANIZATION',
    ]);
    const flagged = await flag(admin, fund.id, { institutional: true, reason: '备案私募股权基金' });
    expect(flagged.status).toBe(200);
    expect(flagged.body).toMatchObject({ investorId: fund.id, institutional: true });
    expect(
      (await t.http.get(`/api/v1/admin/investors/${fund.id}/institutional`).set(auth(admin))).body
        .institutional,
    ).toBe(true);
    expect(
      await sql(
        `SELECT details->>'institutional' AS v FROM audit_events
          WHERE action = 'classification.institutional_decided' AND subject_id = $1`,
        [fund.id],
      ),
    ).toEqual([{ v: 'true' }]);

    const named = await nameLead(founder, id, { investorId: fund.id, carryRate: '0.15' });
    expect(named.status).toBe(200);
    expect(named.body).toMatchObject({
      leadInvestorId: fund.id,
      leadKind: 'ORGANIZATION',
      status: 'ACTIVE',
      minShare: '0.1000',
      required: '10.00', // 10 % of the default target 100.00
      committed: '0.00',
      inPlace: false,
      carryRate: '0.1500',
      memo: null,
    });
    // A qualified person may lead too; and the lead is named on an EQUITY draft only.
    const qualified = await qualifiedInvestor(t);
    expect((await nameLead(founder, id, { investorId: qualified.id, carryRate: '0' })).status).toBe(
      200,
    );
    const live = await campaignLedBy(founder, qualified);
    const locked = await nameLead(founder, live, { investorId: fund.id, carryRate: '0' });
    expect([locked.status, locked.body.error.code]).toEqual([422, 'CAMPAIGN.LEAD_LOCKED']);
    const stranger = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    expect((await nameLead(stranger, id, { investorId: fund.id, carryRate: '0' })).status).toBe(
      404,
    );
  });

  it('a follower pledge is refused (CAMPAIGN.LEAD_REQUIRED) before the lead commits and publishes its memo, and accepted after', async () => {
    const founder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    const lead = await qualifiedInvestor(t);
    const id = await campaignLedBy(founder, lead);
    const follower = await qualifiedInvestor(t);
    await acknowledgeCampaign(t, follower, id);
    const walletBefore = (await counters(t, follower.wallet)).credits_posted;

    const early = await pledge(t, follower, id, { amount: '100.00' });
    expect([early.status, early.body.error.code]).toEqual([422, 'CAMPAIGN.LEAD_REQUIRED']);
    expect(early.body.error.details).toMatchObject({
      leadStatus: 'ACTIVE',
      required: '50.00',
      committed: '0.00',
      memoPublished: false,
    });
    // The lead builds its stake: 50.00 is 10 % of 500.00, but the memo is still missing.
    await acknowledgeCampaign(t, lead, id);
    expect((await pledge(t, lead, id, { amount: '50.00' })).status).toBe(201);
    const noMemo = await pledge(t, follower, id, { amount: '100.00' });
    expect(noMemo.body.error).toMatchObject({
      code: 'CAMPAIGN.LEAD_REQUIRED',
      details: { committed: '50.00', memoPublished: false },
    });
    expect((await publishMemo(follower, id)).status).toBe(403); // only the lead writes it
    const memo = await publishMemo(lead, id);
    expect(memo.status).toBe(201);
    expect(memo.body).toMatchObject({ version: 1, leadInvestorId: lead.id });
    expect(memo.body.signature).toMatch(/^[0-9a-f]{64}$/);

    // Like any disclosure, the memo is acknowledged (CN-SUIT-15) before the follower pledges.
    const unacknowledged = await pledge(t, follower, id, { amount: '100.00' });
    expect(unacknowledged.body.error.code).toBe('DISCLOSURE.ACKNOWLEDGEMENT_REQUIRED');
    expect(unacknowledged.body.error.details.missing).toEqual([
      expect.objectContaining({ scope: 'LEAD_MEMO', currentVersion: 1 }),
    ]);
    expect(
      await sql(`SELECT count(*)::int AS n FROM pledges WHERE investor_id = $1`, [follower.id]),
    ).toEqual([{ n: 0 }]);
    expect((await counters(t, follower.wallet)).credits_posted).toBe(walletBefore);
    expect(
      await sql(
        `SELECT details->>'code' AS code FROM audit_events
          WHERE action = 'pledge.refused' AND actor_id = $1 ORDER BY occurred_at, id`,
        [follower.id],
      ),
    ).toEqual([
      { code: 'CAMPAIGN.LEAD_REQUIRED' },
      { code: 'CAMPAIGN.LEAD_REQUIRED' },
      { code: 'DISCLOSURE.ACKNOWLEDGEMENT_REQUIRED' },
    ]);

    expect((await acknowledgeMemo(follower, id)).status).toBe(201);
    const accepted = await pledge(t, follower, id, { amount: '100.00' });
    expect(accepted.status).toBe(201);
    const evidence = await t.http
      .get(`/api/v1/admin/pledges/${accepted.body.id}/evidence`)
      .set(auth(admin));
    expect(evidence.body.acknowledgements.map((a: { kind: string }) => a.kind)).toEqual([
      'PLATFORM',
      'CAMPAIGN',
      'LEAD_MEMO',
    ]);
    const view = await t.http.get(`/api/v1/campaigns/${id}/lead`).set(auth(follower.token));
    expect(view.body).toMatchObject({ inPlace: true, committed: '50.00', memo: { version: 1 } });
  });

  it('a lead who cancels below its share withdraws: every follower reconfirms (CN-SUIT-14), new followers are refused', async () => {
    const founder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    const lead = await qualifiedInvestor(t);
    const id = await campaignLedBy(founder, lead);
    await acknowledgeCampaign(t, lead, id);
    const leadPledge = await pledge(t, lead, id, { amount: '100.00' });
    expect((await publishMemo(lead, id)).status).toBe(201);
    const followers: Investor[] = [];
    for (let i = 0; i < 3; i++) {
      const f = await qualifiedInvestor(t);
      await acknowledgeCampaign(t, f, id);
      await acknowledgeMemo(f, id);
      expect((await pledge(t, f, id, { amount: '50.00' })).status).toBe(201);
      followers.push(f);
    }
    const cancelled = await t.http
      .post(`/api/v1/pledges/${leadPledge.body.id}/cancel`)
      .set(auth(lead.token))
      .set('idempotency-key', `cancel-${leadPledge.body.id}`);
    expect(cancelled.status).toBe(200);
    const leadRow = await t.http.get(`/api/v1/campaigns/${id}/lead`).set(auth(lead.token));
    expect(leadRow.body).toMatchObject({ status: 'WITHDRAWN', inPlace: false, committed: '0.00' });
    const versions = await sql(
      `SELECT v.version, v.material, v.published_by FROM disclosure_versions v
         JOIN disclosure_documents d ON d.id = v.document_id
        WHERE d.campaign_id = $1 AND d.scope = 'CAMPAIGN' ORDER BY v.version`,
      [id],
    );
    expect(versions.map((v) => [v.version, v.material, v.published_by])).toEqual([
      [1, false, founder.id],
      [2, true, null], // published by the platform in the cancellation's transaction
    ]);
    await sweep(); // applies the material change (the in-process event was not emitted here)
    expect(
      await sql(`SELECT status FROM pledges WHERE campaign_id = $1 AND investor_id <> $2`, [
        id,
        lead.id,
      ]),
    ).toEqual(followers.map(() => ({ status: 'AWAITING_RECONFIRMATION' })));
    const notices = await sql(
      `SELECT count(*)::int AS n FROM notifications
        WHERE campaign_id = $1 AND type = 'pledge.reconfirmation_required'`,
      [id],
    );
    expect(notices).toEqual([{ n: 3 }]);
    const late = await qualifiedInvestor(t);
    await acknowledgeCampaign(t, late, id);
    await acknowledgeMemo(late, id);
    const refused = await pledge(t, late, id, { amount: '50.00' });
    expect(refused.body.error).toMatchObject({
      code: 'CAMPAIGN.LEAD_REQUIRED',
      details: { leadStatus: 'WITHDRAWN' },
    });
    // The explicit route: only the lead, and only once.
    const again = await t.http
      .post(`/api/v1/campaigns/${id}/lead/withdrawal`)
      .set(auth(lead.token))
      .send({ reason: 'twice' });
    expect([again.status, again.body.error.code]).toEqual([422, 'CAMPAIGN.LEAD_WITHDRAWN']);
  });

  it('the lead withdraws by the route while followers pledge at once: each follower pledge is refused or reconfirms, none escapes', async () => {
    const founder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    const lead = await qualifiedInvestor(t);
    const id = await campaignLedBy(founder, lead);
    await acknowledgeCampaign(t, lead, id);
    expect((await pledge(t, lead, id, { amount: '50.00' })).status).toBe(201);
    expect((await publishMemo(lead, id)).status).toBe(201);
    const followers: Investor[] = [];
    for (let i = 0; i < 8; i++) {
      const f = await qualifiedInvestor(t);
      await acknowledgeCampaign(t, f, id);
      await acknowledgeMemo(f, id);
      followers.push(f);
    }
    const other = followers[0];
    const notLead = await t.http
      .post(`/api/v1/campaigns/${id}/lead/withdrawal`)
      .set(auth(other.token))
      .send({ reason: 'not mine' });
    expect([notLead.status, notLead.body.error.code]).toEqual([403, 'CAMPAIGN.NOT_THE_LEAD']);

    const [withdrawn, ...placed] = await Promise.all([
      t.http
        .post(`/api/v1/campaigns/${id}/lead/withdrawal`)
        .set(auth(lead.token))
        .send({ reason: 'our committee said no' }),
      ...followers.map((f) => pledge(t, f, id, { amount: '50.00' })),
    ]);
    expect(withdrawn.status).toBe(200);
    for (const r of placed)
      expect(r.status === 201 || r.body.error?.code === 'CAMPAIGN.LEAD_REQUIRED').toBe(true);
    await sweep();
    await sweep();
    const rows = await sql(
      `SELECT status FROM pledges WHERE campaign_id = $1 AND investor_id <> $2`,
      [id, lead.id],
    );
    expect(rows).toHaveLength(placed.filter((r) => r.status === 201).length);
    for (const r of rows) expect(r.status).toBe('AWAITING_RECONFIRMATION');
    // The money of every placed pledge is held in escrow, nothing of a refused one (INV-8, verify).
    const held = await sql(
      `SELECT (SELECT coalesce(sum(amount), 0)::text FROM pledges
                WHERE campaign_id = $1 AND status NOT IN ('CANCELLED', 'REFUNDED', 'SETTLED')) AS live,
              (SELECT (credits_pending - debits_pending)::text FROM ledger_accounts
                WHERE code = 'campaign:' || $1 || ':escrow') AS escrow`,
      [id],
    );
    expect(held[0].escrow).toBe(held[0].live);
    await sealEverything(t);
    expect(await ledgerProblems(t)).toEqual([]);
  });

  it('a lead still building its stake that cancels below its share has not withdrawn (only a lead in place withdraws)', async () => {
    const founder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    const lead = await qualifiedInvestor(t);
    const id = await campaignLedBy(founder, lead, '0.2000', '1000.00');
    await acknowledgeCampaign(t, lead, id);
    const small = await pledge(t, lead, id, { amount: '50.00' }); // below the 100.00 it owes
    expect(small.status).toBe(201);
    const cancelled = await t.http
      .post(`/api/v1/pledges/${small.body.id}/cancel`)
      .set(auth(lead.token))
      .set('idempotency-key', `cancel-${small.body.id}`);
    expect(cancelled.status).toBe(200);
    const view = await t.http.get(`/api/v1/campaigns/${id}/lead`).set(auth(lead.token));
    expect(view.body).toMatchObject({ status: 'ACTIVE', committed: '0.00' });
    expect((await pledge(t, lead, id, { amount: '100.00' })).status).toBe(201);
  });

  it("the lead's carry: 20 % of each follower's profit beyond cost, paid to the lead; every fen accounted for and /finance/verify clean", async () => {
    const founder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    const lead = await qualifiedInvestor(t);
    const id = await campaignLedBy(founder, lead, '0.2000');
    await acknowledgeCampaign(t, lead, id);
    expect((await pledge(t, lead, id, { amount: '100.00' })).status).toBe(201);
    expect((await publishMemo(lead, id)).status).toBe(201);
    const followers: Investor[] = [];
    for (const amount of ['150.00', '250.00']) {
      const f = await qualifiedInvestor(t);
      await acknowledgeCampaign(t, f, id);
      await acknowledgeMemo(f, id);
      expect((await pledge(t, f, id, { amount })).status).toBe(201);
      followers.push(f);
    }
    t.clock.set(new Date(t.clock.now().getTime() + 2.01 * 86_400_000).toISOString());
    await sweep();
    await sweep();
    expect((await sql(`SELECT status FROM campaigns WHERE id = $1`, [id]))[0].status).toBe(
      'SETTLED',
    );

    const distribute = async (amount: string) => {
      const made = await t.http
        .post(`/api/v1/campaigns/${id}/distributions`)
        .set(auth(founder.token))
        .send({ kind: 'EXIT_PROCEEDS', amount });
      expect(made.status).toBe(201);
      // The bank sends the notice three times at once: paid once, the carry with it (one batch).
      const reference = `carry-${made.body.id as string}`;
      const funded = await Promise.all(
        [1, 2, 3].map(() => fundDistribution(t, made.body.id as string, amount, reference)),
      );
      for (const f of funded) expect(f.status).toBe(200);
      return (await t.http.get(`/api/v1/distributions/${made.body.id}`).set(auth(admin))).body;
    };
    // Units 2 : 3 : 5 (lead 100, followers 150 and 250). 500.00 -> gross 100/150/250, 20 % tax:
    // after tax 80/120/200, all below cost (capital first): no carry yet.
    const first = await distribute('500.00');
    expect(first.carryPaid).toBe('0.00');
    // 1,000.00 -> gross 200/300/500, after tax 160/240/400. Follower A (cost 150) had 120 before:
    // profit 0 -> 210, carry 42.00; follower B (cost 250) had 200: profit 0 -> 350, carry 70.00.
    const second = await distribute('1000.00');
    const byInvestor = new Map(
      second.payments.map((p: { investorId: string }) => [p.investorId, p]),
    );
    expect(byInvestor.get(followers[0].id)).toMatchObject({
      gross: '300.00',
      tax: '60.00',
      carry: '42.00',
      net: '198.00',
    });
    expect(byInvestor.get(followers[1].id)).toMatchObject({
      gross: '500.00',
      tax: '100.00',
      carry: '70.00',
      net: '330.00',
    });
    expect(byInvestor.get(lead.id)).toMatchObject({
      gross: '200.00',
      carry: '0.00',
      net: '160.00',
    });
    expect(second.carryPaid).toBe('112.00');
    const leadCarry = await sql(
      `SELECT t.amount::text AS amount, a.code AS credit_account FROM ledger_transfers t
         JOIN ledger_accounts a ON a.id = t.credit_account_id WHERE t.reference = $1`,
      [`distribution:${second.id}:carry`],
    );
    expect(leadCarry).toEqual([{ amount: '112.00', credit_account: lead.wallet }]);
    const statement = await t.http.get('/api/v1/me/distributions').set(auth(followers[0].token));
    // both were paid at the same moment of the test clock: pick the second by its id
    expect(
      statement.body.items.find((i: { distributionId: string }) => i.distributionId === second.id),
    ).toMatchObject({ carry: '42.00', net: '198.00' });
    await sealEverything(t);
    expect(await ledgerProblems(t)).toEqual([]);
  });
});
