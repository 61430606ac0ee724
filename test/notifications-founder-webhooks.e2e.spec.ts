import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WebhookDispatcher } from '../src/modules/notifications/webhook-dispatcher.service.js';
import { verifyWebhook } from '../src/modules/notifications/webhook-signature.js';
import { recordNotices } from './support/notifications.js';
import { debtTerms } from './support/pledging.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { registerAndLogin, staffToken, type TestUser, verifiedUser } from './support/users.js';

const API = '/api/v1';
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

interface Received {
  body: string;
  headers: http.IncomingHttpHeaders;
  verified: boolean;
}

/**
 * Issue 13: a founder's endpoint gets their campaigns' events as signed JSON. The receiver here
 * is a real HTTP server on 127.0.0.1 that verifies every signature the way docs/notifications.md
 * tells founders to, and answers with the statuses a test scripts.
 */
describe('founder webhooks: signed, retried with backoff, visible to the founder (issue 13)', () => {
  let t: TestApp;
  let receiver: http.Server;
  let receiverUrl: string;
  let secret = '';
  const received: Received[] = [];
  const answers: number[] = [];
  let founder: TestUser;
  let campaignId: string;
  let endpointId: string;

  const dispatch = () => t.app.get(WebhookDispatcher).runOnce();
  const deliveries = async (id = endpointId, who = founder) =>
    t.http.get(`${API}/me/webhooks/${id}/deliveries`).set(auth(who.token));

  beforeAll(async () => {
    t = await startTestApp({
      NOTIFICATION_MAX_ATTEMPTS: '3',
      NOTIFICATION_RETRY_BASE_MS: '10000',
      NOTIFICATION_RETRY_MAX_MS: '600000',
    });
    receiver = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const header = (name: string) => {
          const value = req.headers[name];
          return Array.isArray(value) ? value[0] : value;
        };
        received.push({
          body,
          headers: req.headers,
          verified: verifyWebhook({
            secret,
            body,
            signature: header('x-zhongchou-signature'),
            timestamp: header('x-zhongchou-timestamp'),
            now: t.clock.now(), // the platform's clock: fixed in tests
          }),
        });
        res.statusCode = answers.shift() ?? 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    founder = await verifiedUser(t, 'FOUNDER');
    const draft = await t.http.post(`${API}/campaigns`).set(auth(founder.token)).send(debtTerms());
    expect(draft.status).toBe(201);
    campaignId = draft.body.id as string;
  }, 60_000);

  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('registration: plain http only to loopback, the secret shown once, investors refused', async () => {
    const outside = await t.http
      .post(`${API}/me/webhooks`)
      .set(auth(founder.token))
      .send({ url: 'http://hooks.example.com/x' });
    expect(outside.status).toBe(400);
    expect(outside.body.error.details.fields[0].field).toBe('url');

    const investor = await registerAndLogin(t);
    const refused = await t.http
      .post(`${API}/me/webhooks`)
      .set(auth(investor.token))
      .send({ url: receiverUrl });
    expect(refused.status).toBe(403);

    const registered = await t.http
      .post(`${API}/me/webhooks`)
      .set(auth(founder.token))
      .send({ url: receiverUrl });
    expect(registered.status).toBe(201);
    expect(registered.body.secret).toMatch(/^whsec_/);
    secret = registered.body.secret as string;
    endpointId = registered.body.id as string;
    const listed = await t.http.get(`${API}/me/webhooks`).set(auth(founder.token));
    expect(listed.body).toEqual([expect.objectContaining({ id: endpointId, url: receiverUrl })]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    // Stored encrypted, not in clear.
    const { DataSource } = await import('typeorm');
    const [row] = await t.app
      .get(DataSource)
      .query(`SELECT secret_encrypted FROM webhook_endpoints WHERE id = $1`, [endpointId]);
    expect(row.secret_encrypted).not.toContain(secret.slice(6));
  });

  it('a campaign event arrives signed; the test receiver verifies it; personal notices never leave', async () => {
    await recordNotices(t.app, [
      { recipientId: founder.id, type: 'campaign.suspended', campaignId, params: {} },
      { recipientId: founder.id, type: 'credit.recorded', params: { kind: 'OTHER' } },
    ]);
    const report = await dispatch();
    expect(report.sent).toBe(1);
    expect(received).toHaveLength(1);
    const [delivery] = received;
    expect(delivery.verified).toBe(true);
    const event = JSON.parse(delivery.body) as { id: string; type: string; campaignId: string };
    expect(event).toMatchObject({ type: 'campaign.suspended', campaignId });
    expect(delivery.headers['x-zhongchou-event-id']).toBe(event.id);
    // The same bytes, altered, or presented later than five minutes, fail verification.
    const tampered = delivery.body.replace('suspended', 'succeeded');
    const check = (body: string, now: Date) =>
      verifyWebhook({
        secret,
        body,
        signature: delivery.headers['x-zhongchou-signature'] as string,
        timestamp: delivery.headers['x-zhongchou-timestamp'] as string,
        now,
      });
    expect(check(tampered, t.clock.now())).toBe(false);
    expect(check(delivery.body, new Date(t.clock.now().getTime() + 301_000))).toBe(false);

    const list = await deliveries();
    expect(list.body.items).toEqual([
      expect.objectContaining({
        eventId: event.id,
        eventType: 'campaign.suspended',
        status: 'DELIVERED',
        attempts: 1,
        lastStatusCode: 204,
      }),
    ]);
  });

  it('a failing endpoint is retried with exponential backoff, then given up after N tries (founder and ADMIN see it)', async () => {
    const admin = await staffToken(t, 'ADMIN');
    received.length = 0;
    answers.push(500, 503, 500);
    await recordNotices(t.app, [
      { recipientId: founder.id, type: 'campaign.resumed', campaignId, params: {} },
    ]);
    const start = t.clock.now().getTime();
    await dispatch(); // try 1: 500, next in 10 s
    t.clock.set(new Date(start + 9_999));
    await dispatch();
    expect(received).toHaveLength(1);
    t.clock.set(new Date(start + 10_000));
    await dispatch(); // try 2: 503, next in 20 s
    t.clock.set(new Date(start + 29_999));
    await dispatch();
    expect(received).toHaveLength(2);
    t.clock.set(new Date(start + 30_000));
    await dispatch(); // try 3: 500, the last
    t.clock.advanceHours(24);
    await dispatch();
    expect(received).toHaveLength(3);
    expect(received.every((r) => r.verified)).toBe(true);
    expect(new Set(received.map((r) => r.headers['x-zhongchou-event-id'])).size).toBe(1);

    const latest = ((await deliveries()).body.items as { eventType: string }[]).find(
      (d) => d.eventType === 'campaign.resumed',
    );
    expect(latest).toMatchObject({
      eventType: 'campaign.resumed',
      status: 'FAILED',
      attempts: 3,
      lastStatusCode: 500,
      lastError: 'HTTP 500',
    });
    const failed = await t.http.get(`${API}/admin/notifications/failed`).set(auth(admin.token));
    expect(failed.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          channel: 'WEBHOOK',
          endpointId,
          userId: founder.id,
          attempts: 3,
        }),
      ]),
    );
  });

  it('another founder cannot see these deliveries; a removed endpoint gets nothing more', async () => {
    const other = await verifiedUser(t, 'FOUNDER');
    expect((await deliveries(endpointId, other)).status).toBe(404);
    const removed = await t.http
      .delete(`${API}/me/webhooks/${endpointId}`)
      .set(auth(founder.token));
    expect(removed.status).toBe(200);
    expect(removed.body.disabledAt).not.toBeNull();
    received.length = 0;
    await recordNotices(t.app, [
      { recipientId: founder.id, type: 'campaign.cancelled', campaignId, params: {} },
    ]);
    await dispatch();
    expect(received).toHaveLength(0);
    expect((await t.http.get(`${API}/me/webhooks`).set(auth(founder.token))).body).toEqual([]);
  });
});
