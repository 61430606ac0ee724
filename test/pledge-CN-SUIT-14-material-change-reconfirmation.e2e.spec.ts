import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
import {
  acknowledgeCampaign,
  inDays,
  liveCampaign,
  pledge,
  readyInvestor,
  rewardTerms,
} from './support/pledging.js';
import { TEST_START, startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

describe('material change and reconfirmation (CN-SUIT-14, US-CF-14 analogue)', () => {
  let t: TestApp;
  let admin: { id: string; token: string };
  let founder: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await staffToken(t, 'ADMIN');
    founder = await verifiedUser(t, 'FOUNDER');
  });
  afterAll(async () => {
    await t.close();
  });
  const status = async (pledgeId: string) =>
    (await (await t.db.client()).query(`SELECT status FROM pledges WHERE id = $1`, [pledgeId]))
      .rows[0].status as string;
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 20));
  };

  it('a material version puts live pledges into reconfirmation; one reconfirms, the other lapses and is refunded', async () => {
    const id = await liveCampaign(t, founder, admin.token, rewardTerms({ deadline: inDays(20) }));
    const keeper = await readyInvestor(t, { deposit: '100.00' });
    const lapser = await readyInvestor(t, { deposit: '100.00' });
    const placed: string[] = [];
    for (const inv of [keeper, lapser]) {
      await acknowledgeCampaign(t, inv, id);
      placed.push((await pledge(t, inv, id, { amount: '100.00' })).body.id as string);
    }
    const published = await t.http
      .post(`/api/v1/campaigns/${id}/disclosures`)
      .set('authorization', `Bearer ${founder.token}`)
      .send({ title: 'Revised', body: 'Delivery moves by three months.', material: true });
    expect(published.status).toBe(201);
    await until(async () => (await status(placed[0])) === 'AWAITING_RECONFIRMATION');
    expect(await status(placed[0])).toBe('AWAITING_RECONFIRMATION');
    expect(await status(placed[1])).toBe('AWAITING_RECONFIRMATION');

    const reconfirm = (inv: TestUser, pledgeId: string) =>
      t.http
        .post(`/api/v1/pledges/${pledgeId}/reconfirm`)
        .set('authorization', `Bearer ${inv.token}`);
    const unacknowledged = await reconfirm(keeper, placed[0]);
    expect(unacknowledged.status).toBe(422);
    expect(unacknowledged.body.error.code).toBe('DISCLOSURE.ACKNOWLEDGEMENT_REQUIRED');
    await acknowledgeCampaign(t, keeper, id);
    const kept = await reconfirm(keeper, placed[0]);
    expect(kept.status).toBe(200);
    expect(kept.body.status).toBe('ACTIVE');

    t.clock.advanceHours(121); // past the 120 h window
    try {
      // CN-SUIT-14: a reconfirmation after the window does not count, even before the sweep runs.
      await acknowledgeCampaign(t, lapser, id);
      const late = await reconfirm(lapser, placed[1]);
      expect(late.status).toBe(422);
      expect(late.body.error.code).toBe('PLEDGE.NOT_AWAITING_RECONFIRMATION');
      expect(await status(placed[1])).toBe('AWAITING_RECONFIRMATION');
      expect((await t.app.get(SettlementService).runOnce()).reconfirmationsExpired).toBe(1);
      expect(await status(placed[1])).toBe('CANCELLED');
      const wallet = await t.http
        .get('/api/v1/wallet')
        .set('authorization', `Bearer ${lapser.token}`);
      expect(wallet.body).toEqual({ available: '100.00', held: '0.00', currency: 'CNY' });
      expect((await reconfirm(lapser, placed[1])).status).toBe(422);
    } finally {
      t.clock.set(TEST_START);
    }
  });

  it('CN-SUIT-14: a material change the process died before applying is applied by the next sweep, once', async () => {
    const id = await liveCampaign(t, founder, admin.token, rewardTerms({ deadline: inDays(20) }));
    const early = await readyInvestor(t, { deposit: '100.00' });
    await acknowledgeCampaign(t, early, id);
    const before = (await pledge(t, early, id, { amount: '100.00' })).body.id as string;
    const sql = async (text: string, params: unknown[] = []) =>
      (await (await t.db.client()).query(text, params)).rows;
    const published = await t.http
      .post(`/api/v1/campaigns/${id}/disclosures`)
      .set('authorization', `Bearer ${founder.token}`)
      .send({ title: 'Revised', body: 'The reward ships without the case.', material: true });
    expect(published.status).toBe(201);
    await until(async () => (await status(before)) === 'AWAITING_RECONFIRMATION');

    t.clock.advanceHours(1);
    try {
      // Placed after the change, on the new version: not the change's business.
      const late = await readyInvestor(t, { deposit: '100.00' });
      await acknowledgeCampaign(t, late, id);
      const after = (await pledge(t, late, id, { amount: '100.00' })).body.id as string;
      expect(await status(after)).toBe('ACTIVE');

      // As if the process had died between publishing and applying the change.
      await sql(`DELETE FROM material_change_applications WHERE campaign_id = $1`, [id]);
      await sql(
        `UPDATE pledges SET status = resume_status, resume_status = NULL, reconfirm_by = NULL WHERE id = $1`,
        [before],
      );
      expect(await status(before)).toBe('ACTIVE');

      const sweeps = t.app.get(SettlementService);
      expect((await sweeps.runOnce()).materialChangesApplied).toBe(1);
      expect(await status(before)).toBe('AWAITING_RECONFIRMATION');
      expect(await status(after)).toBe('ACTIVE');
      const [marked] = await sql(`SELECT reconfirm_by FROM pledges WHERE id = $1`, [before]);
      expect((marked.reconfirm_by as Date).toISOString()).toBe(
        new Date(Date.parse(TEST_START) + 120 * 3_600_000).toISOString(),
      );
      expect(
        await sql(
          `SELECT version, pledges FROM material_change_applications WHERE campaign_id = $1`,
          [id],
        ),
      ).toEqual([{ version: 2, pledges: 1 }]);
      expect((await sweeps.runOnce()).materialChangesApplied).toBe(0);
    } finally {
      t.clock.set(TEST_START);
    }
  });
});
