import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ClassificationService } from '../src/modules/investor-classification/classification.service.js';
import { NotificationJobs } from '../src/modules/notifications/notification-jobs.service.js';
import { NotificationsRepository } from '../src/modules/notifications/notifications.repository.js';
import { outboxRows, recordNotices } from './support/notifications.js';
import { readyInvestor } from './support/pledging.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { registerAndLogin, staffToken, type TestUser } from './support/users.js';

const API = '/api/v1';
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

interface InboxItem {
  id: string;
  type: string;
  title: string;
  body: string;
  readAt: string | null;
}

/** A real HTTP client on a listening app, reading Server-Sent Events as they arrive. */
function openStream(
  baseUrl: string,
  token: string,
  lastEventId?: string,
): Promise<{
  status: number;
  events: { type: string; id?: string; data: unknown }[];
  waitFor(type: string, count: number, timeoutMs?: number): Promise<void>;
  close(): void;
}> {
  return new Promise((resolve, reject) => {
    const events: { type: string; id?: string; data: unknown }[] = [];
    const request = http.get(
      `${baseUrl}${API}/me/notifications/stream`,
      { headers: { ...auth(token), ...(lastEventId ? { 'last-event-id': lastEventId } : {}) } },
      (res) => {
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event: { type: string; id?: string; data: unknown } = {
              type: 'message',
              data: '',
            };
            for (const line of block.split('\n')) {
              const [field, ...rest] = line.split(':');
              const value = rest.join(':').replace(/^ /, '');
              if (field === 'event') event.type = value;
              else if (field === 'id') event.id = value;
              else if (field === 'data') event.data = JSON.parse(value) as unknown;
            }
            if (block.trim() && !block.startsWith(':')) events.push(event);
          }
        });
        resolve({
          status: res.statusCode ?? 0,
          events,
          async waitFor(type, count, timeoutMs = 5000) {
            const deadline = Date.now() + timeoutMs;
            while (events.filter((e) => e.type === type).length < count) {
              if (Date.now() > deadline)
                throw new Error(`stream: expected ${count} ${type}, got ${JSON.stringify(events)}`);
              await new Promise((r) => setTimeout(r, 20));
            }
          },
          close: () => request.destroy(),
        });
      },
    );
    request.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
  });
}

describe('inbox, live stream and the notices the lower modules record (issue 13)', () => {
  let t: TestApp;
  let admin: { id: string; token: string };
  let baseUrl: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await staffToken(t, 'ADMIN');
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  const inbox = async (user: TestUser, query = '') =>
    t.http.get(`${API}/me/notifications${query}`).set(auth(user.token));
  const recordCredit = (userId: string) =>
    t.http
      .post(`${API}/admin/credit-records`)
      .set(auth(admin.token))
      .send({ userId, kind: 'OTHER', severity: 'WARNING', source: 'TEST', note: 'a private note' });

  it('PLAT-03: a credit record recorded and lifted reaches the user, in Chinese by default, without the note', async () => {
    const user = await registerAndLogin(t);
    const recorded = await recordCredit(user.id);
    expect(recorded.status).toBe(201);
    let page = await inbox(user);
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.items[0]).toMatchObject({ type: 'credit.recorded', title: '信用记录已登记' });
    expect(JSON.stringify(page.body)).not.toContain('a private note');
    const lifted = await t.http
      .post(`${API}/admin/credit-records/${recorded.body.id}/lift`)
      .set(auth(admin.token))
      .send({ reason: 'resolved' });
    expect(lifted.status).toBe(200);
    page = await inbox(user);
    expect((page.body.items as InboxItem[]).map((n) => n.type)).toEqual([
      'credit.lifted',
      'credit.recorded',
    ]);
  });

  it('locale: PUT /me/locale switches the texts to English; a bad locale is 400 and changes nothing', async () => {
    const user = await registerAndLogin(t);
    await recordCredit(user.id);
    expect((await t.http.get(`${API}/me/locale`).set(auth(user.token))).body).toEqual({
      locale: 'zh-CN',
    });
    const bad = await t.http.put(`${API}/me/locale`).set(auth(user.token)).send({ locale: 'fr' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const set = await t.http.put(`${API}/me/locale`).set(auth(user.token)).send({ locale: 'en' });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ locale: 'en' });
    expect((await inbox(user)).body.items[0].title).toBe('Credit record recorded');
  });

  it("cursor pages, unread filter, read one, read all; another user's notice is 404; a forged cursor is 400", async () => {
    const user = await registerAndLogin(t);
    const other = await registerAndLogin(t);
    await recordNotices(
      t.app,
      ['1.00', '2.00', '3.00', '4.00', '5.00'].map((amount) => ({
        recipientId: user.id,
        type: 'deposit.received' as const,
        params: { amount, currency: 'CNY' },
      })),
    );
    const first = await inbox(user, '?limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.unreadCount).toBe(5);
    expect(first.body.items[0].body).toContain('¥5.00'); // newest first
    const second = await inbox(user, `?limit=2&cursor=${first.body.nextCursor as string}`);
    const third = await inbox(user, `?limit=2&cursor=${second.body.nextCursor as string}`);
    const all = [...first.body.items, ...second.body.items, ...third.body.items] as InboxItem[];
    expect(all.map((n) => n.body.match(/¥(\d)\.00/)?.[1])).toEqual(['5', '4', '3', '2', '1']);
    expect(third.body.nextCursor).toBeNull();

    const target = all[2];
    const read = await t.http
      .post(`${API}/me/notifications/${target.id}/read`)
      .set(auth(user.token));
    expect(read.status).toBe(200);
    expect(read.body.readAt).toBe(t.clock.now().toISOString());
    const unread = await inbox(user, '?unread=true&limit=10');
    expect((unread.body.items as InboxItem[]).map((n) => n.id)).not.toContain(target.id);
    expect(unread.body.unreadCount).toBe(4);

    const stolen = await t.http
      .post(`${API}/me/notifications/${target.id}/read`)
      .set(auth(other.token));
    expect(stolen.status).toBe(404);
    expect(stolen.body.error.code).toBe('NOT_FOUND');

    const readAll = await t.http.post(`${API}/me/notifications/read-all`).set(auth(user.token));
    expect(readAll.body).toEqual({ marked: 4 });
    expect((await inbox(user, '?unread=true')).body.items).toEqual([]);

    for (const cursor of ['nonsense', Buffer.from('seq:1 OR 1=1').toString('base64url')]) {
      const forged = await inbox(user, `?cursor=${cursor}`);
      expect(forged.status).toBe(400);
      expect(forged.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await inbox(user, '?unread=maybe')).status).toBe(400);
  });

  it("the stream pushes a user's new notices live (and only theirs); Last-Event-ID replays what was missed", async () => {
    const user = await registerAndLogin(t);
    const other = await registerAndLogin(t);
    const stream = await openStream(baseUrl, user.token);
    expect(stream.status).toBe(200);
    await stream.waitFor('ready', 1);

    await recordCredit(other.id); // someone else's: never on this stream
    expect((await recordCredit(user.id)).status).toBe(201);
    await stream.waitFor('notification', 1);
    const pushed = stream.events.filter((e) => e.type === 'notification');
    expect(pushed).toHaveLength(1);
    expect(pushed[0].data).toMatchObject({ type: 'credit.recorded', title: '信用记录已登记' });
    const lastId = pushed[0].id!;
    stream.close();

    // Two notices while the client is away; it comes back with Last-Event-ID.
    await recordNotices(t.app, [
      {
        recipientId: user.id,
        type: 'deposit.received',
        params: { amount: '8.00', currency: 'CNY' },
      },
      {
        recipientId: user.id,
        type: 'withdrawal.settled',
        params: { amount: '9.00', currency: 'CNY' },
      },
    ]);
    const again = await openStream(baseUrl, user.token, lastId);
    await again.waitFor('notification', 2);
    expect(
      again.events.filter((e) => e.type === 'notification').map((e) => (e.data as InboxItem).type),
    ).toEqual(['deposit.received', 'withdrawal.settled']);
    again.close();

    const anonymous = await t.http.get(`${API}/me/notifications/stream`);
    expect(anonymous.status).toBe(401);
  });

  it('a notice that arrives live while the stream replays what was missed waits for the replay: the client sees seq order', async () => {
    const user = await registerAndLogin(t);
    const repo = t.app.get(NotificationsRepository);
    await recordNotices(t.app, [
      {
        recipientId: user.id,
        type: 'deposit.received',
        params: { amount: '1.00', currency: 'CNY' },
      },
    ]);
    const [{ seq: before }] = await t.app
      .get(DataSource)
      .query<{ seq: string }[]>(
        `SELECT (max(seq) - 1)::text AS seq FROM notifications WHERE recipient_id = $1`,
        [user.id],
      );

    // The replay's lookup waits until a newer notice has been announced and looked up live.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const since = repo.since.bind(repo);
    const sinceSpy = jest.spyOn(repo, 'since').mockImplementation(async (...args) => {
      await gate;
      return since(...args);
    });
    const findOwn = repo.findOwn.bind(repo);
    const looked: Promise<unknown>[] = [];
    const findSpy = jest.spyOn(repo, 'findOwn').mockImplementation((...args) => {
      const found = findOwn(...args);
      looked.push(found);
      return found;
    });
    try {
      const stream = await openStream(baseUrl, user.token, before);
      await stream.waitFor('ready', 1);
      await recordNotices(t.app, [
        {
          recipientId: user.id,
          type: 'withdrawal.settled',
          params: { amount: '2.00', currency: 'CNY' },
        },
      ]);
      const deadline = Date.now() + 5000;
      while (looked.length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      expect(looked).toHaveLength(1);
      await Promise.all(looked);
      await new Promise((r) => setTimeout(r, 50)); // the live path formats and sends (or holds)
      release();
      await stream.waitFor('notification', 2);
      const sent = stream.events.filter((e) => e.type === 'notification');
      expect(sent.map((e) => (e.data as InboxItem).type)).toEqual([
        'deposit.received',
        'withdrawal.settled',
      ]);
      expect(BigInt(sent[0].id!) < BigInt(sent[1].id!)).toBe(true);
      stream.close();
    } finally {
      release();
      sinceSpy.mockRestore();
      findSpy.mockRestore();
    }
  });

  it('custody: a deposit notice reaches the depositor once, however often the bank repeats it', async () => {
    const investor = await registerAndLogin(t);
    const body = JSON.stringify({
      type: 'DEPOSIT',
      bankReference: `dep-${randomUUID()}`,
      userId: investor.id,
      amount: '1200.00',
      currency: 'CNY',
      occurredAt: '2026-11-28T01:00:00Z',
    });
    const signature = `sha256=${createHmac('sha256', t.config.ledger.custodyWebhookSecret).update(body).digest('hex')}`;
    for (let i = 0; i < 2; i++) {
      const res = await t.http
        .post(`${API}/custody/notifications`)
        .set('content-type', 'application/json')
        .set('x-custody-signature', signature)
        .send(body);
      expect(res.status).toBeLessThan(300);
    }
    const items = (await inbox(investor)).body.items as InboxItem[];
    expect(items.map((n) => n.type)).toEqual(['deposit.received']);
    expect(items[0].body).toContain('¥1,200.00');
  });

  it('CN-SUIT-05: a rejected qualification application is told to the investor with the reason', async () => {
    const investor = await readyInvestor(t);
    const applied = await t.http
      .post(`${API}/investors/me/applications`)
      .set(auth(investor.token))
      .send({
        type: 'QUALIFIED',
        evidence: [{ kind: 'BANK_STATEMENT', reference: 'stmt-1', sha256: 'a'.repeat(64) }],
      });
    expect(applied.status).toBe(201);
    const rejected = await t.http
      .post(`${API}/admin/applications/${applied.body.id}/reject`)
      .set(auth(admin.token))
      .send({ reason: '资产证明不足' });
    expect(rejected.status).toBe(200);
    const items = (await inbox(investor)).body.items as InboxItem[];
    expect(items.find((n) => n.type === 'qualification.decided')?.body).toBe(
      '您的合格投资者认定申请未通过。原因：资产证明不足',
    );
  });

  it('CN-SUIT-18: an assessment expiring within 30 days is told once, however often the sweep runs', async () => {
    const investor = await readyInvestor(t); // assessed now, valid for the pack's validity days
    const [assessment] = await t.app
      .get(ClassificationService)
      .expiringAssessments(new Date(0), new Date('2100-01-01'), 1000)
      .then((rows) => rows.filter((r) => r.userId === investor.id));
    const validUntil = assessment.validUntil.getTime();
    const jobs = t.app.get(NotificationJobs);
    const expiring = () =>
      outboxRows(t.app, `recipient_id = '${investor.id}' AND type = 'assessment.expiring'`);

    t.clock.set(new Date(validUntil - 31 * 86_400_000));
    await jobs.noticeExpiringAssessments();
    expect(await expiring()).toHaveLength(0);

    t.clock.set(new Date(validUntil - 29 * 86_400_000));
    await jobs.noticeExpiringAssessments();
    await jobs.noticeExpiringAssessments();
    t.clock.set(new Date(validUntil - 86_400_000));
    await jobs.noticeExpiringAssessments();
    expect(await expiring()).toHaveLength(1);
  });
});
