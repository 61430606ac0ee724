import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { NOTICES, type NoticeSink } from '../src/common/notices/notices.port.js';
import { TransactionRunner } from '../src/database/transaction.js';
import { EmailDispatcher } from '../src/modules/notifications/email-dispatcher.service.js';
import { NotificationsRepository } from '../src/modules/notifications/notifications.repository.js';
import {
  outboxRows,
  recordNotices,
  type ScriptedSmtp,
  secondInstance,
  startScriptedSmtp,
} from './support/notifications.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { registerAndLogin, staffToken, type TestUser } from './support/users.js';

/**
 * Issue 13, "Done when": a notice reaches the inbox and the mailbox exactly once even with two
 * dispatchers running; a crash between the change and the send loses nothing and sends nothing
 * twice; retries back off and give up after N tries. Real Postgres, a real SMTP server.
 *
 * What "exactly once" means here: the outbox row is committed with the change (one row, or none
 * if the change rolled back), and each row is claimed by one dispatcher at a time. SMTP itself has
 * no idempotency: if a dispatcher dies after the server accepted a message and before the row is
 * marked SENT, the message goes out again after the lease, with the same Message-ID. That window
 * is tested below and is the only way a second copy can arise.
 */
const LEASE_SECONDS = 120;

describe('notification e-mail: outbox, two dispatchers, crashes, retries (issue 13)', () => {
  let t: TestApp;
  let smtp: ScriptedSmtp;
  let investors: TestUser[];

  const dispatch = () => t.app.get(EmailDispatcher).runOnce();
  const idOf = (mail: { headers: Record<string, string> }) =>
    mail.headers['x-zhongchou-notification-id'];
  const mailsFor = (notificationId: string) =>
    smtp.accepted.filter((m) => idOf(m) === notificationId);

  beforeAll(async () => {
    smtp = await startScriptedSmtp();
    t = await startTestApp({
      SMTP_URL: smtp.url,
      NOTIFICATION_BATCH_SIZE: '3',
      NOTIFICATION_MAX_ATTEMPTS: '3',
      NOTIFICATION_RETRY_BASE_MS: '60000',
      NOTIFICATION_RETRY_MAX_MS: '600000',
      NOTIFICATION_LEASE_SECONDS: String(LEASE_SECONDS),
    });
    investors = await Promise.all(
      [1, 2, 3, 4].map(() => registerAndLogin(t, 'INVESTOR', 'PERSON', () => smtp.accepted)),
    );
  }, 60_000);

  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('the notice row commits with the change or not at all (no phantom notice)', async () => {
    const [investor] = investors;
    const sink = t.app.get<NoticeSink>(NOTICES);
    const marker = randomUUID();
    await expect(
      t.app.get(TransactionRunner).run(async (tx) => {
        await sink.record(
          [{ recipientId: investor.id, type: 'deposit.received', params: { marker } }],
          tx,
        );
        throw new Error('the change failed after the notice was recorded');
      }),
    ).rejects.toThrow('the change failed');
    expect(await outboxRows(t.app, `params->>'marker' = '${marker}'`)).toEqual([]);

    await recordNotices(t.app, [
      { recipientId: investor.id, type: 'deposit.received', params: { marker } },
    ]);
    const rows = await outboxRows(t.app, `params->>'marker' = '${marker}'`);
    expect(rows).toHaveLength(1);
    await dispatch();
    expect(mailsFor(rows[0].id)).toHaveLength(1);
  });

  it('a dedupe key records a notice once, however often it is recorded', async () => {
    const [investor] = investors;
    const dedupeKey = `test:${randomUUID()}`;
    const notice = {
      recipientId: investor.id,
      type: 'assessment.expiring' as const,
      params: { riskLevel: 'C3', validUntil: '2027-01-01T00:00:00.000Z' },
      dedupeKey,
    };
    await recordNotices(t.app, [notice, notice]);
    await recordNotices(t.app, [notice]);
    const rows = await outboxRows(t.app, `dedupe_key = '${dedupeKey}'`);
    expect(rows).toHaveLength(1);
    await dispatch();
    expect(mailsFor(rows[0].id)).toHaveLength(1);
  });

  it('every notice reaches its inbox and mailbox exactly once with two dispatchers running at once', async () => {
    const other = await secondInstance(t);
    try {
      const marker = randomUUID();
      await recordNotices(
        t.app,
        investors.flatMap((investor, i) =>
          Array.from({ length: 6 }, (_, n) => ({
            recipientId: investor.id,
            type: 'withdrawal.settled' as const,
            params: { amount: `${i + 1}${n}.00`, currency: 'CNY', marker },
          })),
        ),
      );
      const rows = await outboxRows(t.app, `params->>'marker' = '${marker}'`);
      expect(rows).toHaveLength(24);
      const otherDispatcher = other.app.get(EmailDispatcher);
      // Both drain at once, in batches of 3 (so they interleave), a few rounds each.
      const [a, b] = await Promise.all([
        (async () => [await dispatch(), await dispatch()])(),
        (async () => [await otherDispatcher.runOnce(), await otherDispatcher.runOnce()])(),
      ]);
      const sentByEach = [a, b].map((runs) => runs.reduce((n, r) => n + r.sent, 0));
      expect(sentByEach[0] + sentByEach[1]).toBe(24);
      for (const row of rows) expect(mailsFor(row.id)).toHaveLength(1);
      expect(
        (await outboxRows(t.app, `params->>'marker' = '${marker}'`)).map((r) => r.email_status),
      ).toEqual(rows.map(() => 'SENT'));
      // Each mail went to its recipient, and each inbox holds its six notices once.
      for (const investor of investors) {
        const mine = rows.filter((r) => r.recipient_id === investor.id);
        for (const row of mine) expect(mailsFor(row.id)[0].headers.to).toBe(investor.email);
        const inbox = await t.http
          .get('/api/v1/me/notifications?limit=100')
          .set('authorization', `Bearer ${investor.token}`);
        const ids = (inbox.body.items as { id: string }[]).map((n) => n.id);
        expect(ids.filter((id) => mine.some((r) => r.id === id))).toHaveLength(6);
        expect(new Set(ids).size).toBe(ids.length);
      }
    } finally {
      await other.close();
    }
  });

  it('a crash after the SMTP server accepted, before SENT was recorded: sent again after the lease, same Message-ID, never lost', async () => {
    const [investor] = investors;
    const marker = randomUUID();
    await recordNotices(t.app, [
      {
        recipientId: investor.id,
        type: 'deposit.received',
        params: { amount: '5.00', currency: 'CNY', marker },
      },
    ]);
    const [row] = await outboxRows(t.app, `params->>'marker' = '${marker}'`);
    const repo = t.app.get(NotificationsRepository);
    const settle = repo.settleEmail.bind(repo);
    const spy = jest
      .spyOn(repo, 'settleEmail')
      .mockImplementationOnce(async (id, attempt, outcome) => {
        if (outcome.status === 'SENT') throw new Error('the process died here');
        return settle(id, attempt, outcome);
      });
    try {
      await expect(dispatch()).rejects.toThrow('the process died here');
    } finally {
      spy.mockRestore();
    }
    expect(mailsFor(row.id)).toHaveLength(1); // the server has it
    let [after] = await outboxRows(t.app, `id = '${row.id}'`);
    expect([after.email_status, after.email_attempts]).toEqual(['PENDING', 1]);

    // Within the lease no dispatcher touches it (the dead one might still be sending).
    await dispatch();
    expect(mailsFor(row.id)).toHaveLength(1);

    t.clock.advanceMs((LEASE_SECONDS + 1) * 1000);
    await dispatch();
    const copies = mailsFor(row.id);
    expect(copies).toHaveLength(2);
    expect(copies[1].headers['message-id']).toBe(copies[0].headers['message-id']);
    expect(copies[0].headers['message-id']).toBe(`<${row.id}@zhongchou.notifications>`);
    [after] = await outboxRows(t.app, `id = '${row.id}'`);
    expect([after.email_status, after.email_attempts]).toEqual(['SENT', 2]);
    await dispatch();
    expect(mailsFor(row.id)).toHaveLength(2); // and never again
  });

  it("a dispatcher that dies mid-send (before the server accepted): another sends it once after the lease; the dead one's late answer changes nothing", async () => {
    const [investor] = investors;
    const marker = randomUUID();
    await recordNotices(t.app, [
      {
        recipientId: investor.id,
        type: 'deposit.received',
        params: { amount: '6.00', currency: 'CNY', marker },
      },
    ]);
    const [row] = await outboxRows(t.app, `params->>'marker' = '${marker}'`);
    let release!: () => void;
    smtp.script.push({ hangUntil: new Promise<void>((resolve) => (release = resolve)) });
    const arrivals = smtp.arrivals;
    const stuck = dispatch(); // claims the row, then hangs in DATA: as good as dead
    await smtp.waitForArrivals(arrivals + 1);

    const other = await secondInstance(t);
    try {
      other.clock.set(t.clock.now());
      await other.app.get(EmailDispatcher).runOnce();
      expect(mailsFor(row.id)).toHaveLength(0); // leased to the stuck dispatcher

      other.clock.advanceMs((LEASE_SECONDS + 1) * 1000);
      await other.app.get(EmailDispatcher).runOnce();
      expect(mailsFor(row.id)).toHaveLength(1);

      release(); // the stuck dispatcher's send now fails; its claim is stale
      await stuck;
      const [after] = await outboxRows(t.app, `id = '${row.id}'`);
      expect([after.email_status, after.email_attempts]).toEqual(['SENT', 2]);
      expect(mailsFor(row.id)).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('a refused send is retried with exponential backoff and given up after N tries; ADMIN sees it', async () => {
    const [investor] = investors;
    const admin = await staffToken(t, 'ADMIN');
    const marker = randomUUID();
    await recordNotices(t.app, [
      {
        recipientId: investor.id,
        type: 'withdrawal.failed',
        params: { amount: '7.00', currency: 'CNY', marker },
      },
    ]);
    const [row] = await outboxRows(t.app, `params->>'marker' = '${marker}'`);
    smtp.script.push('reject', 'reject', 'reject');
    const state = async () => (await outboxRows(t.app, `id = '${row.id}'`))[0];
    const start = t.clock.now().getTime();

    await dispatch(); // try 1 fails: next in 60 s
    expect((await state()).email_attempts).toBe(1);
    expect((await state()).email_next_attempt_at.getTime()).toBe(start + 60_000);
    t.clock.set(new Date(start + 59_999));
    await dispatch();
    expect((await state()).email_attempts).toBe(1);

    t.clock.set(new Date(start + 60_000));
    await dispatch(); // try 2 fails: next in 120 s
    expect((await state()).email_attempts).toBe(2);
    expect((await state()).email_next_attempt_at.getTime()).toBe(start + 180_000);
    t.clock.set(new Date(start + 179_999));
    await dispatch();
    expect((await state()).email_attempts).toBe(2);

    t.clock.set(new Date(start + 180_000));
    await dispatch(); // try 3 fails: the last allowed
    const failed = await state();
    expect([failed.email_status, failed.email_attempts]).toEqual(['FAILED', 3]);
    expect(failed.email_last_error).toContain('451');
    t.clock.advanceHours(24);
    await dispatch();
    expect((await state()).email_attempts).toBe(3);
    expect(mailsFor(row.id)).toHaveLength(0);

    const list = await t.http
      .get('/api/v1/admin/notifications/failed')
      .set('authorization', `Bearer ${admin.token}`);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          channel: 'EMAIL',
          notificationId: row.id,
          userId: investor.id,
          type: 'withdrawal.failed',
          attempts: 3,
        }),
      ]),
    );
    // The inbox still has it: giving up on e-mail loses nothing there.
    const inbox = await t.http
      .get('/api/v1/me/notifications?limit=100')
      .set('authorization', `Bearer ${investor.token}`);
    expect((inbox.body.items as { id: string }[]).some((n) => n.id === row.id)).toBe(true);
  });
});
