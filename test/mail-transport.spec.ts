import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NodemailerMailer } from '../src/common/mail/nodemailer.mailer.js';
import { parseMail } from './support/mailbox.js';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.js';

const FROM = 'zhongchou <no-reply@zhongchou.test>';

describe('the MAILER port on nodemailer (issue 13)', () => {
  let sink: SmtpSink;
  let dir: string;
  beforeAll(async () => {
    sink = await startSmtpSink();
    dir = await mkdtemp(path.join(tmpdir(), 'zc-mail-'));
  });
  afterAll(async () => {
    await sink.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('with SMTP_URL, delivers to a real SMTP server: envelope, headers and text arrive', async () => {
    const mailer = new NodemailerMailer({ smtpUrl: sink.url, dir, from: FROM });
    expect(mailer.kind).toBe('smtp');
    const sent = await mailer.send({
      to: 'li.wei@example.com',
      subject: '请确认您的电子邮箱 / Confirm your e-mail',
      text: '您好\nHello, this is a test.',
      headers: { 'X-Zhongchou-Mail': 'test' },
    });
    mailer.close();
    const [mail] = await sink.waitFor(1);
    expect(mail.to).toEqual(['li.wei@example.com']);
    expect(mail.from).toBe('no-reply@zhongchou.test');
    const parsed = parseMail(mail.raw);
    expect(parsed.headers['message-id']).toBe(sent.messageId);
    expect(parsed.headers.subject).toBe('请确认您的电子邮箱 / Confirm your e-mail');
    expect(parsed.headers['x-zhongchou-mail']).toBe('test');
    expect(parsed.text.trim()).toBe('您好\nHello, this is a test.');
    // and nothing went to the file fallback
    expect(await readdir(dir)).toEqual([]);
  });

  it('a refused or unreachable SMTP server rejects the send (the caller decides what then)', async () => {
    const mailer = new NodemailerMailer({ smtpUrl: 'smtp://127.0.0.1:1', dir, from: FROM });
    await expect(mailer.send({ to: 'a@example.com', subject: 's', text: 't' })).rejects.toThrow();
    mailer.close();
  });

  it('without SMTP_URL, each message is one RFC 822 .eml file under MAIL_DIR (created if missing)', async () => {
    const mailDir = path.join(dir, 'nested', 'mail');
    const mailer = new NodemailerMailer({ dir: mailDir, from: FROM });
    expect(mailer.kind).toBe('file');
    const first = await mailer.send({ to: 'a@example.com', subject: 'One', text: 'first' });
    const second = await mailer.send({ to: 'b@example.com', subject: 'Two', text: 'second' });
    const names = (await readdir(mailDir)).sort();
    expect(names).toHaveLength(2);
    expect(names.every((n) => n.endsWith('.eml'))).toBe(true);
    const mails = await Promise.all(
      names.map(async (n) => parseMail(await readFile(path.join(mailDir, n), 'utf8'))),
    );
    expect(mails.map((m) => [m.headers.to, m.headers.subject, m.text.trim()])).toEqual([
      ['a@example.com', 'One', 'first'],
      ['b@example.com', 'Two', 'second'],
    ]);
    expect(mails.map((m) => m.headers['message-id'])).toEqual([first.messageId, second.messageId]);
    expect(mails[0].headers.from).toBe(FROM);
    expect(mails[0].headers.date).toBeDefined();
    // mail carries one-time tokens: readable by the service's user only
    expect((await stat(path.join(mailDir, names[0]))).mode & 0o077).toBe(0);
  });

  it('the folder is made once, and made again when it was removed between two messages', async () => {
    const mailDir = path.join(dir, 'gone', 'mail');
    const mailer = new NodemailerMailer({ dir: mailDir, from: FROM });
    await mailer.send({ to: 'a@example.com', subject: 'One', text: 'first' });
    await rm(path.join(dir, 'gone'), { recursive: true, force: true });
    await mailer.send({ to: 'b@example.com', subject: 'Two', text: 'second' });
    expect(await readdir(mailDir)).toHaveLength(1);
  });
});
