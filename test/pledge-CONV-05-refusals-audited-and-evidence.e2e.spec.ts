import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import {
  acknowledgeCampaign,
  answers,
  debtTerms,
  liveCampaign,
  pledge,
  readyInvestor,
} from './support/pledging.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

interface AuditRow {
  action: string;
  actor_id: string | null;
  details: {
    code?: string;
    rules?: string[];
    campaignId?: string;
    inputs?: Record<string, unknown>;
    details?: Record<string, unknown>;
  };
}

/**
 * CONV-05: every refused pledge, denied market access and suitability block writes an audit event
 * with the rule and the inputs it was decided on; CN-SUIT-16: the evidence of an admitted pledge
 * lists each acknowledgement (kind, version, document hash, time) and the limit decision's inputs.
 */
describe('refusals on the audit trail and the evidence of a pledge (CONV-05, CN-SUIT-16)', () => {
  let t: TestApp;
  let sql: pg.Client;
  let admin: { id: string; token: string };
  let founder: TestUser;
  let campaign: string;

  const audited = async (investorId: string): Promise<AuditRow[]> =>
    (
      await sql.query<AuditRow>(
        `SELECT action, actor_id, details FROM audit_events
         WHERE actor_id = $1 AND action IN ('pledge.refused', 'credit.market_access_denied')
         ORDER BY id`,
        [investorId],
      )
    ).rows;

  beforeAll(async () => {
    t = await startTestApp();
    sql = await t.db.client();
    admin = await staffToken(t, 'ADMIN');
    founder = await verifiedUser(t, 'FOUNDER');
    campaign = await liveCampaign(t, founder, admin.token, debtTerms({ riskRating: 'R3' }));
  });
  afterAll(async () => {
    await t.close();
  });

  it('a limit refusal (inside the transaction) is audited with its rule, the figures and the formula', async () => {
    const investor = await readyInvestor(t, {
      financials: {
        annualIncome: '250000.00',
        financialAssets: '100000.00',
        netWorth: '300000.00',
        investmentExperienceYears: 2,
      },
    });
    await acknowledgeCampaign(t, investor, campaign);
    const refused = await pledge(t, investor, campaign, { amount: '25100.00' });
    expect(refused.body.error.code).toBe('PLEDGE.LIMIT_EXCEEDED');
    const [row] = await audited(investor.id);
    expect(row).toMatchObject({
      action: 'pledge.refused',
      actor_id: investor.id,
      details: {
        code: 'PLEDGE.LIMIT_EXCEEDED',
        rules: expect.arrayContaining(['INV-9']),
        campaignId: campaign,
        inputs: {
          amount: '25100.00',
          category: 'ORDINARY',
          limit: '25000.00',
          limitInputs: {
            formula: 'CN_PUBLIC',
            annualIncome: '250000.00',
            financialAssets: '100000.00',
            netWorth: '300000.00',
            declared: true,
          },
        },
        details: { annualLimit: '25000.00', remaining: '25000.00' },
      },
    });
  });

  it('a suitability block is audited with the levels it compared (CN-SUIT-12(5))', async () => {
    const lowest = await readyInvestor(t, { answers: answers({ q10: 'q10a' }) });
    await acknowledgeCampaign(t, lowest, campaign);
    expect((await pledge(t, lowest, campaign, { amount: '100.00' })).body.error.code).toBe(
      'SUITABILITY.BLOCKED',
    );
    expect(await audited(lowest.id)).toMatchObject([
      {
        action: 'pledge.refused',
        details: {
          code: 'SUITABILITY.BLOCKED',
          rules: expect.arrayContaining(['CN-SUIT-12(5)']),
          details: { riskLevel: 'C1', productRisk: 'R3', lowestCategory: true },
        },
      },
    ]);
  });

  it('denied market access is audited by the credit module (PLAT-03) and the pledge refusal too', async () => {
    const investor = await readyInvestor(t);
    await acknowledgeCampaign(t, investor, campaign);
    await t.http
      .post('/api/v1/admin/credit-records')
      .set('authorization', `Bearer ${admin.token}`)
      .send({
        userId: investor.id,
        kind: 'DEFAULT',
        severity: 'BLOCKING',
        source: 'PLATFORM',
        note: 'unpaid',
      });
    expect((await pledge(t, investor, campaign, { amount: '100.00' })).status).toBe(403);
    const rows = await audited(investor.id);
    expect(rows.map((r) => [r.action, r.details.code])).toEqual([
      ['credit.market_access_denied', 'CREDIT.MARKET_ACCESS_DENIED'],
      ['pledge.refused', 'CREDIT.MARKET_ACCESS_DENIED'],
    ]);
    expect(rows[1].details.rules).toEqual(['PLAT-03']);
  });

  it('a replayed refusal (same key) is not audited twice; bad input is not audited at all', async () => {
    const investor = await readyInvestor(t, { answers: answers({ q10: 'q10a' }) });
    await acknowledgeCampaign(t, investor, campaign);
    await pledge(t, investor, campaign, { amount: '100.00' }, 'blocked-once');
    await pledge(t, investor, campaign, { amount: '100.00' }, 'blocked-once');
    await pledge(t, investor, campaign, { amount: 100 });
    expect(await audited(investor.id)).toHaveLength(1);
  });

  it('the evidence lists each acknowledgement and the limit decision’s inputs', async () => {
    const investor = await readyInvestor(t);
    await acknowledgeCampaign(t, investor, campaign);
    const placed = await pledge(t, investor, campaign, { amount: '100.00' });
    expect(placed.status).toBe(201);
    const evidence = await t.http
      .get(`/api/v1/admin/pledges/${placed.body.id}/evidence`)
      .set('authorization', `Bearer ${admin.token}`);
    expect(evidence.status).toBe(200);
    const platform = (
      await t.http
        .get('/api/v1/platform-disclosure')
        .set('authorization', `Bearer ${investor.token}`)
    ).body;
    const current = (
      await t.http
        .get(`/api/v1/campaigns/${campaign}/disclosures/current`)
        .set('authorization', `Bearer ${investor.token}`)
    ).body;
    expect(evidence.body.acknowledgements).toEqual([
      {
        id: evidence.body.decision.platformAcknowledgementId,
        kind: 'PLATFORM',
        campaignId: null,
        version: platform.version,
        documentSha256: platform.sha256,
        acknowledgedAt: expect.any(String),
      },
      {
        id: evidence.body.decision.campaignAcknowledgementId,
        kind: 'CAMPAIGN',
        campaignId: campaign,
        version: current.version,
        documentSha256: current.sha256,
        acknowledgedAt: expect.any(String),
      },
    ]);
    expect(evidence.body.decision).toMatchObject({
      rulePack: 'CN@2026.1',
      annualLimit: '20000.00',
      usedBefore: '0.00',
      limitInputs: {
        formula: 'CN_PUBLIC',
        offering: 'PUBLIC',
        annualIncome: '0.00',
        financialAssets: '0.00',
        netWorth: '0.00',
        declared: false,
        windowDays: 365,
      },
    });
  });
});
