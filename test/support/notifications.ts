import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app-factory.js';
import { FixedClock } from '../../src/common/clock/clock.js';
import { type Notice, type NoticeSink, NOTICES } from '../../src/common/notices/notices.port.js';
import { TransactionRunner } from '../../src/database/transaction.js';
import { parseMail, type ParsedMail } from './mailbox.js';
import { TEST_START, type TestApp } from './test-app.js';

/** What the scripted SMTP server does with one message (by arrival order). */
export type SmtpAnswer = 'accept' | 'reject' | { hangUntil: Promise<void> };

export interface ScriptedSmtp {
  url: string;
  /** Every accepted message, parsed. */
  accepted: ParsedMail[];
  /** Answers for the next messages, in order; once used up, every message is accepted. */
  script: SmtpAnswer[];
  /** Messages that reached DATA (accepted or not). */
  arrivals: number;
  waitForArrivals(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real SMTP server in this process (smtp-server) whose answers a test scripts: accept, refuse
 * with a temporary 451, or hold the message until a promise settles and then refuse it (a
 * dispatcher stuck mid-send). Accepted messages are parsed with the shared mailbox reader.
 */
export async function startScriptedSmtp(): Promise<ScriptedSmtp> {
  const state: ScriptedSmtp = {
    url: '',
    accepted: [],
    script: [],
    arrivals: 0,
    async waitForArrivals(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (state.arrivals < count) {
        if (Date.now() > deadline)
          throw new Error(`expected ${count} arrivals, got ${state.arrivals}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: async () => undefined,
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        state.arrivals++;
        const answer = state.script.shift() ?? 'accept';
        const refuse = () => {
          const error = new Error('451 try again later') as Error & { responseCode: number };
          error.responseCode = 451;
          callback(error);
        };
        if (answer === 'accept') {
          state.accepted.push(parseMail(Buffer.concat(chunks).toString('utf8')));
          callback();
        } else if (answer === 'reject') refuse();
        else void answer.hangUntil.then(refuse);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

/** Another app instance on the same database (its own pool, dispatcher and clock). */
export async function secondInstance(
  t: TestApp,
  env: Partial<TestApp['config']['notifications']> = {},
): Promise<{ app: NestFastifyApplication; clock: FixedClock; close(): Promise<void> }> {
  const clock = new FixedClock(TEST_START);
  const config = { ...t.config, notifications: { ...t.config.notifications, ...env } };
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  const app = await createApp({
    config,
    databaseUrl: t.db.appUrl,
    clock,
    swaggerUi: false,
    logStream: quiet,
  });
  await app.init();
  return { app, clock, close: () => app.close() };
}

/** Records notices through the port, in a transaction of their own. */
export function recordNotices(app: NestFastifyApplication, notices: Notice[]): Promise<void> {
  const sink = app.get<NoticeSink>(NOTICES);
  return app.get(TransactionRunner).run((tx) => sink.record(notices, tx));
}

export interface OutboxRow {
  id: string;
  recipient_id: string;
  type: string;
  email_status: string;
  email_attempts: number;
  email_next_attempt_at: Date;
  email_last_error: string | null;
}

export function outboxRows(app: NestFastifyApplication, where = 'TRUE'): Promise<OutboxRow[]> {
  return app.get(DataSource).query(
    `SELECT id, recipient_id, type, email_status, email_attempts, email_next_attempt_at, email_last_error
         FROM notifications WHERE ${where} ORDER BY seq`,
  );
}
