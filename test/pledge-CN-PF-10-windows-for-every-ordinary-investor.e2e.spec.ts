import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
import {
  acknowledgeCampaign,
  debtTerms,
  liveCampaign,
  pledge,
  readyInvestor,
} from './support/pledging.js';
import { TEST_START, startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

const HOURS_24 = new Date(Date.parse(TEST_START) + 24 * 3_600_000).toISOString();

/**
 * CN-PF-06/07 and CN-PF-10: cooling-off and the confirmation call apply to every ordinary investor,
 * organisations included; only PROFESSIONAL or QUALIFIED investors may be excused (here: from the
 * call, as the CN pack says, not from cooling-off), and R4/R5 always need the call (CN-SUIT-13).
 */
describe('cooling-off and the confirmation call for every ordinary investor (CN-PF-06, CN-PF-07, CN-PF-10, CN-SUIT-13)', () => {
  let t: TestApp;
  let admin: { id: string; token: string };
  let founder: TestUser;
  let sql: pg.Client;
  let r3: string;
  let r5: string;

  const professional = (userId: string) =>
    sql.query(
      `INSERT INTO investor_profiles (user_id, category, qualified_until, updated_at) VALUES ($1, 'PROFESSIONAL', NULL, now())`,
      [userId],
    );

  beforeAll(async () => {
    t = await startTestApp();
    sql = await t.db.client();
    admin = await staffToken(t, 'ADMIN');
    founder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    r3 = await liveCampaign(t, founder, admin.token, debtTerms({ riskRating: 'R3' }));
    r5 = await liveCampaign(t, founder, admin.token, debtTerms({ riskRating: 'R5' }));
  });
  afterAll(async () => {
    await t.close();
  });

  it('CN-PF-10: an ordinary ORGANIZATION investor gets 24 h cooling-off and the call, like a person', async () => {
    for (const kind of ['ORGANIZATION', 'PERSON'] as const) {
      const investor = await readyInvestor(t, { kind });
      await acknowledgeCampaign(t, investor, r3);
      const placed = await pledge(t, investor, r3, { amount: '100.00' });
      expect([kind, placed.status]).toEqual([kind, 201]);
      expect(placed.body).toMatchObject({
        status: 'COOLING_OFF',
        coolingOffEndsAt: HOURS_24,
        confirmationRequired: true,
      });
    }
  });

  it('CN-PF-07: a professional investor keeps cooling-off but is excused the call below R4; R5 always gets it', async () => {
    const pro = await readyInvestor(t, { kind: 'ORGANIZATION' });
    await professional(pro.id);
    for (const id of [r3, r5]) await acknowledgeCampaign(t, pro, id);
    const low = await pledge(t, pro, r3, { amount: '100.00' });
    expect(low.body).toMatchObject({
      status: 'COOLING_OFF',
      coolingOffEndsAt: HOURS_24,
      confirmationRequired: false,
    });
    const high = await pledge(t, pro, r5, { amount: '100.00' });
    expect(high.body).toMatchObject({ status: 'COOLING_OFF', confirmationRequired: true });

    // After cooling-off the low-risk pledge is ACTIVE; the R5 one waits for its call.
    t.clock.set(HOURS_24);
    try {
      await t.app.get(SettlementService).runOnce();
      const statuses = await sql.query<{ id: string; status: string }>(
        `SELECT id, status FROM pledges WHERE id = ANY($1)`,
        [[low.body.id, high.body.id]],
      );
      expect(Object.fromEntries(statuses.rows.map((r) => [r.id, r.status]))).toEqual({
        [low.body.id]: 'ACTIVE',
        [high.body.id]: 'AWAITING_CONFIRMATION',
      });
      // CN-PF-06/08: an ACTIVE debt pledge on a LIVE campaign, weeks before its deadline, binds.
      const cancel = (id: string, key: string) =>
        t.http
          .post(`/api/v1/pledges/${id}/cancel`)
          .set('authorization', `Bearer ${pro.token}`)
          .set('idempotency-key', key);
      const refused = await cancel(low.body.id as string, 'cn-binding');
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({
        code: 'PLEDGE.NOT_CANCELLABLE',
        details: { status: 'ACTIVE' },
      });
      // Awaiting its call it may still be rescinded (CN-PF-08).
      expect((await cancel(high.body.id as string, 'cn-rescind')).status).toBe(200);
    } finally {
      t.clock.set(TEST_START);
    }
  });

  it('the evidence keeps the windows the pledge started with', async () => {
    const investor = await readyInvestor(t, { kind: 'ORGANIZATION' });
    await acknowledgeCampaign(t, investor, r3);
    const placed = await pledge(t, investor, r3, { amount: '100.00' });
    const evidence = await t.http
      .get(`/api/v1/admin/pledges/${placed.body.id}/evidence`)
      .set('authorization', `Bearer ${admin.token}`);
    expect(evidence.body.decision.windows).toEqual({
      coolingOffEndsAt: HOURS_24,
      confirmationRequired: true,
    });
  });
});
