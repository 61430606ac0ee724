import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { parseMail } from './support/mailbox.js';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.js';
import { startTestApp } from './support/test-app.js';
import { PASSWORD } from './support/users.js';

/**
 * Issue 13: a password reset request never reveals whether the address has an account, also not
 * by timing: the look-up and the mail happen after the answer.
 */
describe('password reset timing (issue 13)', () => {
  it('the answer does not wait for the mail: a slow mail server does not tell known from unknown', async () => {
    const sink: SmtpSink = await startSmtpSink({ delayMs: 1500 });
    const slow = await startTestApp({ SMTP_URL: sink.url });
    try {
      const email = `slow-${randomUUID()}@example.com`;
      const reg = await slow.http
        .post('/api/v1/auth/register')
        .send({ email, password: PASSWORD, role: 'INVESTOR', kind: 'PERSON' });
      expect(reg.status).toBe(201);
      await sink.waitFor(1); // the verification mail
      const timed = async (address: string) => {
        const started = performance.now();
        const res = await slow.http.post('/api/v1/auth/password-reset').send({ email: address });
        return { status: res.status, ms: performance.now() - started };
      };
      const known = await timed(email);
      const unknown = await timed(`nobody-${randomUUID()}@example.com`);
      expect(known.status).toBe(202);
      expect(unknown.status).toBe(202);
      // Both answer well before the mail server accepts the message (1.5 s).
      expect(known.ms).toBeLessThan(700);
      expect(unknown.ms).toBeLessThan(700);
      const mails = await sink.waitFor(2);
      expect(parseMail(mails[1].raw).headers['x-zhongchou-mail']).toBe('password-reset');
      expect(mails[1].to).toEqual([email]);
    } finally {
      await slow.close(); // waits for the reset mail still in flight
      await sink.close();
    }
  });
});
