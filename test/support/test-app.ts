import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createApp } from '../../src/app-factory.js';
import { FixedClock } from '../../src/common/clock/clock.js';
import { type AppConfig, parseConfig } from '../../src/config/app-config.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestApp {
  app: NestFastifyApplication;
  http: TestAgent;
  db: TestDatabase;
  clock: FixedClock;
  config: AppConfig;
  /**
   * Where the app's mail arrives when it sends by SMTP (SMTP_URL; a test sets this to its
   * server's received list); unset: the `.eml` files in MAIL_DIR.
   */
  inbox?: () => readonly { headers: Record<string, string>; text: string }[];
  /** Every log line the app wrote, for checks that nothing personal was logged. */
  logs: string[];
  close(): Promise<void>;
}

export const TEST_START = '2026-11-28T02:00:00.000Z';

/** The real application (same factory as production) on a fresh database and a fixed clock. */
export async function startTestApp(
  env: Record<string, string> = {},
  /** A database of the test's own (a primary it started) and a streaming replica of it. */
  options: { db?: TestDatabase; replicaUrl?: string } = {},
): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  // Each app its own mailbox: mails (verification links, reset tokens) as .eml files (issue 13).
  const mailDir = mkdtempSync(path.join(tmpdir(), 'zc-test-mail-'));
  const config = parseConfig({
    MAIL_DIR: mailDir,
    MEDIA_DIR: path.join(mailDir, 'media'), // uploads stay with the test's temp dir
    NODE_ENV: 'test',
    PASSWORD_SCRYPT_COST: '1024',
    LOGIN_RATE_LIMIT: '1000',
    DATABASE_POOL_SIZE: '10',
    SEAL_INTERVAL_MS: '0', // tests seal explicitly
    SWEEP_INTERVAL_MS: '0', // and sweep explicitly
    NOTIFICATION_DISPATCH_INTERVAL_MS: '0', // and dispatch notices explicitly
    // PLAT-07: a deployment licensed for one financial line, so line separation is off and each
    // investor has the one general wallet the suites written before it fund and pledge from. The
    // PLAT-07 specs (and the specs that need EQUITY campaigns) set PLATFORM_LINES themselves.
    PLATFORM_LINES: 'DEBT,REWARD,DONATION',
    ...env,
  });
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      if (process.env.ZC_TEST_LOGS) process.stderr.write(chunk); // debugging a failing spec
      done();
    },
  });
  const clock = new FixedClock(TEST_START);
  const app = await createApp({
    config,
    databaseUrl: db.appUrl,
    replicaUrl: options.replicaUrl,
    logStream,
    clock,
    swaggerUi: false,
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    http: request(app.getHttpServer()),
    db,
    clock,
    config,
    logs,
    async close() {
      await app.close();
      await db.drop();
      rmSync(mailDir, { recursive: true, force: true });
    },
  };
}
