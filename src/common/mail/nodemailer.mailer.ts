import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTransport } from 'nodemailer';
import type { MailConfig } from '../../config/namespaces.js';
import type { Mailer, MailMessage } from './mailer.port.js';

type Transport = ReturnType<typeof smtpTransport> | ReturnType<typeof fileTransport>;

const smtpTransport = (url: string, from: string) => createTransport(url, { from });
const fileTransport = (from: string) =>
  createTransport({ streamTransport: true, buffer: true, newline: 'unix' }, { from });

/**
 * The MAILER port on nodemailer (issue 13). With `SMTP_URL`, messages go to that SMTP server;
 * without it, each message is written as an RFC 822 `.eml` file under `MAIL_DIR` (one file per
 * message, written to a temporary name and renamed, so a reader never sees half a message). The
 * SMTP transport logs nothing: messages carry one-time tokens, which must never reach a log.
 */
export class NodemailerMailer implements Mailer {
  private readonly transport: Transport;
  private readonly dir: string | undefined;
  private sequence = 0;

  constructor(config: MailConfig) {
    if (config.smtpUrl) {
      this.transport = smtpTransport(config.smtpUrl, config.from);
    } else {
      this.dir = path.resolve(config.dir);
      this.transport = fileTransport(config.from);
    }
  }

  /** `smtp` or `file`, for the boot log. */
  get kind(): 'smtp' | 'file' {
    return this.dir === undefined ? 'smtp' : 'file';
  }

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const mail = {
      to: message.to,
      subject: message.subject,
      text: message.text,
      ...(message.html !== undefined ? { html: message.html } : {}),
      ...(message.headers !== undefined ? { headers: message.headers } : {}),
    };
    const info: { messageId: string; message?: unknown } = await this.transport.sendMail(mail);
    if (this.dir !== undefined) await this.writeEml(this.dir, info.message);
    return { messageId: info.messageId };
  }

  close(): void {
    this.transport.close();
  }

  private dirReady?: Promise<unknown>;

  private async writeEml(dir: string, message: unknown): Promise<void> {
    if (!Buffer.isBuffer(message)) throw new Error('the stream transport returned no message');
    // The folder is made once (issue 18: a mkdir per message was 3 % of the service's CPU under
    // pledge load), and again if it went away since.
    this.dirReady ??= mkdir(dir, { recursive: true, mode: 0o700 });
    await this.dirReady;
    // Wall time, a per-process sequence and random bits: names sort by sending order in one
    // process and never collide between processes writing to the same folder.
    this.sequence++;
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${String(this.sequence).padStart(6, '0')}-${randomBytes(4).toString('hex')}.eml`;
    const final = path.join(dir, name);
    const partial = `${final}.partial`;
    try {
      await writeFile(partial, message, { mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.dirReady = mkdir(dir, { recursive: true, mode: 0o700 });
      await this.dirReady;
      await writeFile(partial, message, { mode: 0o600 });
    }
    await rename(partial, final);
  }
}
