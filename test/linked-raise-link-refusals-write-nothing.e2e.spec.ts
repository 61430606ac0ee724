import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { equityTerms, startHoldingsApp } from './support/holdings.js';
import { draftPair, linkPair, submitAndApprove } from './support/linked-raise.js';
import { readyInvestor, rewardTerms } from './support/pledging.js';
import type { TestApp } from './support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

/**
 * Issue 15, linking a raise: an EQUITY and a DEBT DRAFT of one founder, both ALL_OR_NOTHING, each
 * in one link at most; every refusal leaves no link and no audit event behind. A linked campaign
 * goes to review only with its partner's deadline (the pair is decided at one moment, RW-01).
 */
describe('linking a raise: who may link what, and refusals write nothing (issue 15)', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startHoldingsApp();
    admin = (await staffToken(t, 'ADMIN')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const sql = async <R>(text: string, params: unknown[] = []): Promise<R[]> =>
    (await (await t.db.client()).query(text, params)).rows as R[];
  const written = async () =>
    (
      await sql<{ links: string; audits: string }>(
        `SELECT (SELECT count(*) FROM campaign_links)::text AS links,
                (SELECT count(*) FROM audit_events
                  WHERE action IN ('campaign.linked', 'campaign.unlinked'))::text AS audits`,
      )
    )[0];
  const organisation = () => verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
  const createDraft = async (founder: TestUser, terms: object) => {
    const res = await t.http.post('/api/v1/campaigns').set(auth(founder.token)).send(terms);
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const refused = async (
    founder: TestUser,
    equity: string,
    debt: string,
    status: number,
    code: string,
    reason?: string,
  ) => {
    const before = await written();
    const res = await linkPair(t, founder, equity, debt);
    expect([res.status, res.body.error?.code]).toEqual([status, code]);
    if (reason) expect(res.body.error.details).toEqual({ reason });
    expect(await written()).toEqual(before);
  };

  it('links an own EQUITY and DEBT draft; anyone who may read the campaign sees the partner; unlinks while DRAFT', async () => {
    const founder = await organisation();
    const pair = await draftPair(t, founder);
    const linked = await linkPair(t, founder, pair.equity, pair.debt);
    expect(linked.status).toBe(201);
    expect(linked.body).toMatchObject({
      campaignId: pair.equity,
      partnerId: pair.debt,
      equityCampaignId: pair.equity,
      debtCampaignId: pair.debt,
      founderId: founder.id,
    });
    const fromDebt = await t.http
      .get(`/api/v1/campaigns/${pair.debt}/linked-raise`)
      .set(auth(founder.token));
    expect([fromDebt.status, fromDebt.body.partnerId]).toEqual([200, pair.equity]);
    const audits = await sql<{ subject_id: string }>(
      `SELECT subject_id FROM audit_events WHERE action = 'campaign.linked' AND subject_id = ANY($1)`,
      [[pair.equity, pair.debt]],
    );
    expect(audits).toHaveLength(2);
    // A DRAFT is its founder's and staff's only: an investor does not learn of the link.
    const investor = await readyInvestor(t);
    const hidden = await t.http
      .get(`/api/v1/campaigns/${pair.equity}/linked-raise`)
      .set(auth(investor.token));
    expect(hidden.status).toBe(404);
    const staff = await t.http
      .get(`/api/v1/campaigns/${pair.equity}/linked-raise`)
      .set(auth(admin));
    expect(staff.status).toBe(200);

    // Another founder cannot take it apart; the founder can, from either side, while DRAFT.
    const stranger = await organisation();
    const notTheirs = await t.http
      .delete(`/api/v1/campaigns/${pair.debt}/linked-raise`)
      .set(auth(stranger.token));
    expect(notTheirs.status).toBe(404);
    const unlinked = await t.http
      .delete(`/api/v1/campaigns/${pair.debt}/linked-raise`)
      .set(auth(founder.token));
    expect([unlinked.status, unlinked.body.partnerId]).toEqual([200, pair.equity]);
    expect(
      await sql(`SELECT 1 FROM campaign_links WHERE equity_campaign_id = $1`, [pair.equity]),
    ).toEqual([]);
    const none = await t.http
      .get(`/api/v1/campaigns/${pair.equity}/linked-raise`)
      .set(auth(founder.token));
    expect(none.status).toBe(404);

    // Linked again and submitted: no longer taken apart (409), the link stays.
    expect((await linkPair(t, founder, pair.equity, pair.debt)).status).toBe(201);
    await submitAndApprove(t, founder, admin, pair.equity);
    const before = await written();
    const late = await t.http
      .delete(`/api/v1/campaigns/${pair.equity}/linked-raise`)
      .set(auth(founder.token));
    expect([late.status, late.body.error.code]).toEqual([409, 'CAMPAIGN.INVALID_STATE']);
    expect(await written()).toEqual(before);
  });

  it('refuses another founder, two of a kind, a reward side, a linked or submitted campaign; nothing written', async () => {
    const founder = await organisation();
    const other = await organisation();
    const mine = await draftPair(t, founder);
    const theirs = await draftPair(t, other);
    // Another founder's campaign (either side) is not found: its existence is not theirs to learn.
    await refused(founder, mine.equity, theirs.debt, 404, 'NOT_FOUND');
    await refused(founder, theirs.equity, mine.debt, 404, 'NOT_FOUND');
    // Kinds: equity + equity, debt as the equity side, the same campaign twice, a reward side.
    const secondEquity = await createDraft(founder, equityTerms(t));
    await refused(
      founder,
      mine.equity,
      secondEquity,
      422,
      'CAMPAIGN.LINK_NOT_ALLOWED',
      'NOT_EQUITY_AND_DEBT',
    );
    await refused(
      founder,
      mine.debt,
      mine.equity,
      422,
      'CAMPAIGN.LINK_NOT_ALLOWED',
      'NOT_EQUITY_AND_DEBT',
    );
    await refused(
      founder,
      mine.equity,
      mine.equity,
      422,
      'CAMPAIGN.LINK_NOT_ALLOWED',
      'SAME_CAMPAIGN',
    );
    // A FLEXIBLE side: equity and debt are all-or-nothing by constraint (campaigns_funding_model_check),
    // so the flexible campaign a founder can offer is a reward one; the rule itself is unit-tested.
    const flexible = await createDraft(founder, rewardTerms({ fundingModel: 'FLEXIBLE' }));
    await refused(
      founder,
      mine.equity,
      flexible,
      422,
      'CAMPAIGN.LINK_NOT_ALLOWED',
      'NOT_EQUITY_AND_DEBT',
    );

    // Already linked: neither side joins a second link.
    expect((await linkPair(t, founder, mine.equity, mine.debt)).status).toBe(201);
    const second = await draftPair(t, founder);
    await refused(founder, mine.equity, second.debt, 409, 'CAMPAIGN.ALREADY_LINKED');
    await refused(founder, second.equity, mine.debt, 409, 'CAMPAIGN.ALREADY_LINKED');
    await refused(founder, mine.equity, mine.debt, 409, 'CAMPAIGN.ALREADY_LINKED');

    // Not a DRAFT: a campaign under review is not linked.
    const submitted = await t.http
      .post(`/api/v1/campaigns/${second.debt}/submit`)
      .set(auth(founder.token));
    expect(submitted.status).toBe(200);
    await refused(founder, second.equity, second.debt, 409, 'CAMPAIGN.INVALID_STATE');
  });

  it('concurrent links of one equity draft to two debt drafts: one link, the other 409 (campaign rows locked in id order)', async () => {
    const founder = await organisation();
    const a = await draftPair(t, founder);
    const b = await draftPair(t, founder);
    const results = await Promise.all([
      linkPair(t, founder, a.equity, a.debt),
      linkPair(t, founder, a.equity, b.debt),
      linkPair(t, founder, b.equity, a.debt),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    for (const r of results.filter((x) => x.status !== 201))
      expect([r.status, r.body.error.code]).toEqual([409, 'CAMPAIGN.ALREADY_LINKED']);
    const rows = await sql<{ equity_campaign_id: string; debt_campaign_id: string }>(
      `SELECT equity_campaign_id, debt_campaign_id FROM campaign_links
        WHERE equity_campaign_id = ANY($1) OR debt_campaign_id = ANY($2)`,
      [
        [a.equity, b.equity],
        [a.debt, b.debt],
      ],
    );
    expect(rows).toHaveLength(statuses.filter((s) => s === 201).length);
    // No campaign is in two links.
    const sides = rows.flatMap((r) => [r.equity_campaign_id, r.debt_campaign_id]);
    expect(new Set(sides).size).toBe(sides.length);
  });

  it('a cancelled draft sets its partner free: the pair can be taken apart and the partner linked anew', async () => {
    const founder = await organisation();
    const pair = await draftPair(t, founder);
    expect((await linkPair(t, founder, pair.equity, pair.debt)).status).toBe(201);
    const cancelled = await t.http
      .post(`/api/v1/campaigns/${pair.debt}/cancel`)
      .set(auth(founder.token))
      .send({});
    expect(cancelled.status).toBe(200);
    const unlinked = await t.http
      .delete(`/api/v1/campaigns/${pair.equity}/linked-raise`)
      .set(auth(founder.token));
    expect(unlinked.status).toBe(200);
    const next = await draftPair(t, founder);
    expect((await linkPair(t, founder, pair.equity, next.debt)).status).toBe(201);
  });

  it('a linked campaign goes to review only with its partner’s deadline (422, nothing written)', async () => {
    const founder = await organisation();
    const later = new Date(t.clock.now().getTime() + 3 * 86_400_000).toISOString();
    const pair = await draftPair(t, founder, { debt: { deadline: later } });
    expect((await linkPair(t, founder, pair.equity, pair.debt)).status).toBe(201);
    const transitions = async () =>
      (
        await sql<{ n: string }>(
          `SELECT count(*)::text AS n FROM campaign_transitions WHERE campaign_id = ANY($1)`,
          [[pair.equity, pair.debt]],
        )
      )[0].n;
    const before = await transitions();
    for (const id of [pair.equity, pair.debt]) {
      const res = await t.http.post(`/api/v1/campaigns/${id}/submit`).set(auth(founder.token));
      expect([res.status, res.body.error?.code]).toEqual([422, 'CAMPAIGN.LINKED_DEADLINES_DIFFER']);
      expect(res.body.error.details.partnerId).toBe(id === pair.equity ? pair.debt : pair.equity);
    }
    expect(await transitions()).toBe(before);
    const statuses = await sql<{ status: string }>(
      `SELECT DISTINCT status FROM campaigns WHERE id = ANY($1)`,
      [[pair.equity, pair.debt]],
    );
    expect(statuses).toEqual([{ status: 'DRAFT' }]);

    // One deadline (the debt draft edited to the equity's): both go to review.
    const equity = await t.http.get(`/api/v1/campaigns/${pair.equity}`).set(auth(founder.token));
    const edited = await t.http
      .patch(`/api/v1/campaigns/${pair.debt}`)
      .set(auth(founder.token))
      .send({ deadline: equity.body.deadline });
    expect(edited.status).toBe(200);
    for (const id of [pair.equity, pair.debt]) await submitAndApprove(t, founder, admin, id);
  });
});
