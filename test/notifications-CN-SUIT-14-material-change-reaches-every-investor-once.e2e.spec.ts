import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EmailDispatcher } from '../src/modules/notifications/email-dispatcher.service.js';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
import {
  acknowledgeCampaign,
  debtTerms,
  liveCampaign,
  pledge,
  readyInvestor,
} from './support/pledging.js';
import {
  outboxRows,
  type ScriptedSmtp,
  secondInstance,
  startScriptedSmtp,
} from './support/notifications.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

/**
 * Issue 13, "Done when": a material change (CN-SUIT-14) reaches every affected investor's inbox
 * and mailbox exactly once, even with two dispatchers running at once. The notices are recorded in
 * the transaction that puts the pledges into reconfirmation (the pledge module through the NOTICES
 * port), and are delivered by a real SMTP server.
 */
describe('a material change reaches every affected investor once (CN-SUIT-14, issue 13)', () => {
  let t: TestApp;
  let smtp: ScriptedSmtp;
  let founder: TestUser;
  let admin: { id: string; token: string };

  beforeAll(async () => {
    smtp = await startScriptedSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url, NOTIFICATION_BATCH_SIZE: '2' });
    t.inbox = () => smtp.accepted;
    admin = await staffToken(t, 'ADMIN');
    founder = await verifiedUser(t, 'FOUNDER');
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('each investor with a live pledge gets one reconfirmation notice in the inbox and one e-mail', async () => {
    const campaign = await liveCampaign(t, founder, admin.token, debtTerms());
    const investors = [];
    for (let i = 0; i < 5; i++) investors.push(await readyInvestor(t));
    for (const investor of investors) {
      await acknowledgeCampaign(t, investor, campaign);
      expect((await pledge(t, investor, campaign, { amount: '100.00' })).status).toBe(201);
    }
    const bystander = await readyInvestor(t); // no pledge: hears nothing

    const published = await t.http
      .post(`/api/v1/campaigns/${campaign}/disclosures`)
      .set('authorization', `Bearer ${founder.token}`)
      .send({ title: 'Plan v2', body: 'The loan now funds a second shop.', material: true });
    expect(published.status).toBe(201);
    await t.app.get(SettlementService).runOnce(); // applies it if the in-process event has not
    await t.app.get(SettlementService).runOnce(); // and a second run applies nothing again

    const notices = await outboxRows(
      t.app,
      `type = 'pledge.reconfirmation_required' AND campaign_id = '${campaign}'`,
    );
    expect(notices.map((n) => n.recipient_id).sort()).toEqual(investors.map((i) => i.id).sort());

    const other = await secondInstance(t);
    try {
      await Promise.all([
        (async () => {
          for (let i = 0; i < 4; i++) await t.app.get(EmailDispatcher).runOnce();
        })(),
        (async () => {
          for (let i = 0; i < 4; i++) await other.app.get(EmailDispatcher).runOnce();
        })(),
      ]);
    } finally {
      await other.close();
    }
    for (const investor of investors) {
      const mails = smtp.accepted.filter(
        (m) =>
          m.headers.to === investor.email &&
          notices.some((n) => n.id === m.headers['x-zhongchou-notification-id']),
      );
      expect({ investor: investor.email, mails: mails.length }).toEqual({
        investor: investor.email,
        mails: 1,
      });
      const inbox = await t.http
        .get('/api/v1/me/notifications?limit=100')
        .set('authorization', `Bearer ${investor.token}`);
      const reconfirm = (inbox.body.items as { type: string; body: string }[]).filter(
        (n) => n.type === 'pledge.reconfirmation_required',
      );
      expect(reconfirm).toHaveLength(1);
      expect(reconfirm[0].body).toContain('2'); // the new disclosure version
    }
    expect(smtp.accepted.filter((m) => m.headers.to === bystander.email)).toHaveLength(
      1, // only their own e-mail verification
    );
  });
});
