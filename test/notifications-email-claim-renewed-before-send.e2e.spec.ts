import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EmailDispatcher } from '../src/modules/notifications/email-dispatcher.service.js';
import {
  outboxRows,
  recordNotices,
  type ScriptedSmtp,
  secondInstance,
  startScriptedSmtp,
} from './support/notifications.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { registerAndLogin, type TestUser } from './support/users.js';

const LEASE_SECONDS = 60;

/**
 * Issue 19, found by the two-instance bank run: a dispatcher sends its batch a few at a time, so a
 * row can wait in its batch past the lease; another instance then claims it and mails it, and the
 * first must not mail it too. Each claim is renewed (fenced by the attempt number) just before
 * its send. Real Postgres, a real SMTP server, two app instances on one database.
 */
describe('notification e-mail: a row that outwaited its lease in one batch is mailed once (issue 19)', () => {
  let t: TestApp;
  let smtp: ScriptedSmtp;
  let investor: TestUser;

  beforeAll(async () => {
    smtp = await startScriptedSmtp();
    t = await startTestApp({
      SMTP_URL: smtp.url,
      NOTIFICATION_BATCH_SIZE: '50',
      NOTIFICATION_LEASE_SECONDS: String(LEASE_SECONDS),
    });
    investor = await registerAndLogin(t, 'INVESTOR', 'PERSON', () => smtp.accepted);
  }, 60_000);

  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('the slow dispatcher leaves the fifth row to the one that claimed it after the lease', async () => {
    const marker = randomUUID();
    await recordNotices(
      t.app,
      Array.from({ length: 5 }, (_, n) => ({
        recipientId: investor.id,
        type: 'deposit.received' as const,
        params: { amount: `${n + 1}.00`, currency: 'CNY', marker },
      })),
    );
    const rows = await outboxRows(t.app, `params->>'marker' = '${marker}'`);
    expect(rows).toHaveLength(5);
    // The first four sends hang (all four of A's lanes), the fifth row waits in A's batch.
    let release!: () => void;
    const hang = new Promise<void>((resolve) => (release = resolve));
    smtp.script.push(...Array.from({ length: 4 }, () => ({ hangUntil: hang })));
    const arrivals = smtp.arrivals;
    const slow = t.app.get(EmailDispatcher).runOnce();
    await smtp.waitForArrivals(arrivals + 4);

    const other = await secondInstance(t);
    try {
      // B comes after A's lease: it claims all five (the four stuck ones, and the waiting fifth)
      other.clock.set(new Date(t.clock.now().getTime() + (LEASE_SECONDS + 1) * 1000));
      const fast = await other.app.get(EmailDispatcher).runOnce();
      expect(fast.sent).toBe(5);
      release(); // A's four hung sends are refused now; then A reaches the fifth row
      await slow;
      const idOf = (m: { headers: Record<string, string> }) =>
        m.headers['x-zhongchou-notification-id'];
      const mailed = smtp.accepted.filter((m) => rows.some((r) => r.id === idOf(m)));
      // each notice once: without the renewal, A mails the fifth row a second time
      expect(rows.map((r) => mailed.filter((m) => idOf(m) === r.id).length)).toEqual([
        1, 1, 1, 1, 1,
      ]);
      const after = await outboxRows(t.app, `params->>'marker' = '${marker}'`);
      expect(after.map((r) => [r.email_status, r.email_attempts])).toEqual(
        rows.map(() => ['SENT', 2]),
      );
    } finally {
      await other.close();
    }
  });
});
