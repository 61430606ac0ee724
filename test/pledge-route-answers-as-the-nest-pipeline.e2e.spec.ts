import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../src/app-factory.js';
import { PLEDGE_ROUTE_SERVED } from '../src/modules/pledge/pledge-route.js';
import { LedgerRepository } from '../src/modules/escrow-ledger/ledger.repository.js';
import { FixedClock } from '../src/common/clock/clock.js';
import { acknowledgeCampaign, debtTerms, liveCampaign, readyInvestor } from './support/pledging.js';
import { TEST_START, startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

/**
 * Issue 18: POST /campaigns/:id/pledges runs its own handler (pledge-route.ts) instead of Nest's
 * guards, pipes and parameter decorators. Every request below is sent to this app and to a second
 * instance on the same database that serves the route through Nest's pipeline, and both must
 * answer alike: status, error body, challenge and replay headers.
 */
describe('the pledge route answers as the Nest pipeline did (issue 18)', () => {
  let t: TestApp;
  let nest: NestFastifyApplication;
  let founder: TestUser;
  let investor: TestUser;
  let campaign: string;

  beforeAll(async () => {
    t = await startTestApp();
    nest = await createApp({
      config: t.config,
      databaseUrl: t.db.appUrl,
      clock: new FixedClock(TEST_START),
      swaggerUi: false,
      logStream: new Writable({ write: (_chunk, _encoding, done) => done() }),
      pledgesThroughNest: true,
    });
    await nest.init();
    await nest.getHttpAdapter().getInstance().ready();
    const admin = await staffToken(t, 'ADMIN');
    founder = await verifiedUser(t, 'FOUNDER');
    campaign = await liveCampaign(t, founder, admin.token, debtTerms());
    investor = await readyInvestor(t, { deposit: '5000.00' });
    await acknowledgeCampaign(t, investor, campaign);
  });
  afterAll(async () => {
    await nest.close();
    await t.close();
  });

  type Ask = {
    token?: string | null;
    authorization?: string;
    campaignId?: string;
    key?: string | null;
    body?: unknown;
    raw?: string;
    /** Refused by Fastify's body parser, before any handler runs. */
    parserRefuses?: boolean;
  };
  const send = (server: NestFastifyApplication, ask: Ask) => {
    let req = request(server.getHttpServer()).post(
      `/api/v1/campaigns/${ask.campaignId ?? campaign}/pledges`,
    );
    const authorization =
      ask.authorization ??
      (ask.token === null ? undefined : `Bearer ${ask.token ?? investor.token}`);
    if (authorization !== undefined) req = req.set('authorization', authorization);
    if (ask.key !== null) req = req.set('idempotency-key', ask.key ?? randomUUID());
    if (ask.raw !== undefined) return req.set('content-type', 'application/json').send(ask.raw);
    return req.send(ask.body ?? { amount: '100.00' });
  };
  const answer = (res: request.Response) => ({
    status: res.status,
    error: res.body?.error
      ? {
          code: res.body.error.code,
          message: res.body.error.message,
          details: res.body.error.details,
        }
      : undefined,
    challenge: res.headers['www-authenticate'],
    replayed: res.headers['idempotent-replayed'],
    contentType: res.headers['content-type'],
  });
  const both = async (ask: Ask) => {
    const before = PLEDGE_ROUTE_SERVED.count;
    const reached = ask.parserRefuses ? 0 : 1;
    const own = answer(await send(t.app, ask));
    expect(PLEDGE_ROUTE_SERVED.count).toBe(before + reached); // this app: its own handler
    const viaNest = answer(await send(nest, ask));
    expect(PLEDGE_ROUTE_SERVED.count).toBe(before + reached); // the other: Nest's pipeline
    return { own, viaNest };
  };

  it.each<[string, Ask]>([
    ['no token', { token: null }],
    ['a token that is not one', { authorization: 'Bearer not.a.token' }],
    ['another scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['a campaign id that is not a UUID', { campaignId: 'not-a-uuid' }],
    ['an unknown campaign', { campaignId: randomUUID() }],
    ['no Idempotency-Key', { key: null }],
    ['a malformed Idempotency-Key', { key: 'spaces are not allowed' }],
    ['a number for the amount', { body: { amount: 100 } }],
    ['an unknown field', { body: { amount: '100.00', extra: true } }],
    [
      'a NUL in the warning',
      { body: { amount: '1.00', specialWarning: { version: 'a\u0000', sha256: 'a'.repeat(64) } } },
    ],
    [
      'nesting too deep',
      {
        body: {
          amount: '1.00',
          specialWarning: JSON.parse('{"a":'.repeat(40) + '1' + '}'.repeat(40)),
        },
      },
    ],
    ['not JSON', { raw: '{"amount": ', parserRefuses: true }],
    ['an array', { raw: '[1,2]' }],
    ['below the minimum (a rule: 422)', { body: { amount: '0.01' } }],
    ['a bad id and a bad body', { campaignId: 'x', body: { amount: 1 } }],
    ['a bad body and no key', { key: null, body: { amount: 1 } }],
  ])('%s', async (_name, ask) => {
    const { own, viaNest } = await both(ask);
    expect(own).toEqual(viaNest);
    expect(own.status).toBeGreaterThanOrEqual(400);
  });

  it('a founder is refused by role, with the same answer', async () => {
    const { own, viaNest } = await both({ token: founder.token });
    expect(own).toEqual(viaNest);
    expect([own.status, own.error?.code]).toEqual([403, 'AUTH.FORBIDDEN']);
  });

  it('a pledge and its replay: the same status, shape and replay header', async () => {
    const ownKey = randomUUID();
    const nestKey = randomUUID();
    const own = await send(t.app, { key: ownKey });
    // The second instance has not seen this campaign: it learns the escrow account the first
    // pledge opened with its admission reads, and does not open it again (issue 18).
    const ensured: string[] = [];
    const repository = nest.get(LedgerRepository);
    const ensure = repository.ensureAccount.bind(repository);
    repository.ensureAccount = (account, tx) => {
      ensured.push(account.code);
      return ensure(account, tx);
    };
    const viaNest = await send(nest, { key: nestKey });
    expect(ensured.filter((code) => code.includes(campaign))).toEqual([]);
    expect([own.status, viaNest.status]).toEqual([201, 201]);
    expect(Object.keys(own.body).sort()).toEqual(Object.keys(viaNest.body).sort());
    expect(own.headers['content-type']).toBe(viaNest.headers['content-type']);
    const ownReplay = await send(t.app, { key: ownKey });
    const nestReplay = await send(nest, { key: nestKey });
    expect(answer(ownReplay)).toEqual(answer(nestReplay));
    expect(ownReplay.headers['idempotent-replayed']).toBe('true');
    expect(ownReplay.body).toEqual(own.body);
    // a key replayed with another body: 409 on both
    const ownReused = await send(t.app, { key: ownKey, body: { amount: '200.00' } });
    const nestReused = await send(nest, { key: nestKey, body: { amount: '200.00' } });
    expect(answer(ownReused)).toEqual(answer(nestReused));
    expect(ownReused.status).toBe(409);
  });
});
