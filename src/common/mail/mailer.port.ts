/**
 * Sends one e-mail (issue 13). Filled by a nodemailer transport: SMTP when `SMTP_URL` is set, else
 * each message written as a `.eml` file under `.data/mail/` so `npm start` works with nothing else.
 * Modules inject it with `@Inject(MAILER)`; none of them knows which transport is in force.
 */
export const MAILER = Symbol('MAILER');

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra headers (e.g. a message id that makes a retried send recognisable). */
  headers?: Record<string, string>;
}

export interface Mailer {
  /** Resolves once the transport accepted the message; rejects on a transport failure. */
  send(message: MailMessage): Promise<{ messageId: string }>;
}
