import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../src/app-factory.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { PASSWORD } from './support/users.js';

/** The machine's Redis (here and in CI); REDIS_TEST_URL points the test elsewhere. */
const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

/**
 * Issue 19: with REDIS_URL, the credential rate limits are counted once for every instance (two
 * instances on one database here, requests alternating between them, as a balancer would send
 * them); without it, each instance counts on its own. This test needs a Redis that answers and
 * fails, saying so, when none does: it never passes without having checked.
 */
describe('rate limits shared through Redis by several instances (issue 19)', () => {
  let redis: Redis;
  const prefix = `zc-test-${process.pid}-${randomUUID().slice(0, 8)}`;
  const started: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, {
      lazyConnect: true,
      connectTimeout: 2000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      await redis.connect();
      expect(await redis.ping()).toBe('PONG');
    } catch (error) {
      redis.disconnect();
      throw new Error(
        `No Redis answered at ${REDIS_URL} (${(error as Error).message}). The shared rate-limit ` +
          'test needs one: start redis-server on 127.0.0.1:6379 (or set REDIS_TEST_URL). It ' +
          'does not skip.',
        { cause: error },
      );
    }
  });

  afterAll(async () => {
    for (const s of started.reverse()) await s.close();
    if (redis.status === 'ready') {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });

  /** Two instances of the service on one database: the test app and a second app beside it. */
  async function twoInstances(env: Record<string, string>) {
    const a = await startTestApp({
      LOGIN_RATE_LIMIT: '3',
      LOGIN_RATE_WINDOW_SECONDS: '60',
      ...env,
    });
    started.push(a);
    const second: NestFastifyApplication = await createApp({
      config: a.config,
      databaseUrl: a.db.url,
      clock: a.clock,
      swaggerUi: false,
      logStream: new Writable({ write: (_chunk, _encoding, done) => done() }),
    });
    await second.init();
    await second.getHttpAdapter().getInstance().ready();
    started.push({ close: () => second.close() });
    return { a, b: request(second.getHttpServer()) };
  }

  /** A user, then wrong passwords sent alternately to B and A: the statuses answered. */
  async function guessAlternately(
    a: TestApp,
    b: ReturnType<typeof request>,
    attempts: number,
  ): Promise<number[]> {
    const email = `ratelimit-${randomUUID()}@example.com`;
    const registered = await a.http
      .post('/api/v1/auth/register')
      .send({ email, password: PASSWORD, role: 'INVESTOR', kind: 'PERSON' });
    expect(registered.status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < attempts; i++) {
      const target = i % 2 === 0 ? b : a.http;
      const res = await target.post('/api/v1/auth/login').send({ email, password: `guess-${i}` });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.body.error.code).toBe('RATE_LIMITED');
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    return statuses;
  }

  it('with REDIS_URL: 3 attempts per account in all, whichever instance takes them', async () => {
    const { a, b } = await twoInstances({ REDIS_URL, RATE_LIMIT_KEY_PREFIX: prefix });
    expect(await guessAlternately(a, b, 5)).toEqual([401, 401, 401, 429, 429]);
    // the counters really are in Redis, under the configured prefix
    expect((await redis.keys(`${prefix}:login-account*`)).length).toBe(1);
  });

  it('without REDIS_URL each instance counts on its own (what the shared store prevents)', async () => {
    const { a, b } = await twoInstances({});
    // 3 per instance: the 4th attempt overall still gets through
    expect(await guessAlternately(a, b, 7)).toEqual([401, 401, 401, 401, 401, 401, 429]);
  });

  it('a Redis that stops answering does not take the login down: each instance counts alone meanwhile', async () => {
    const { a, b } = await twoInstances({
      REDIS_URL: 'redis://127.0.0.1:1',
      RATE_LIMIT_KEY_PREFIX: prefix,
    });
    expect(await guessAlternately(a, b, 7)).toEqual([401, 401, 401, 401, 401, 401, 429]);
  });
});
