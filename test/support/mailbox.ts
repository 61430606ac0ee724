import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** One message read back from its RFC 822 text: headers (lower-case names) and the decoded text. */
export interface ParsedMail {
  headers: Record<string, string>;
  text: string;
}

function decodeQuotedPrintable(body: string): Buffer {
  const soft = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const c = soft[i];
    if (c === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes);
}

function decodeHeader(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : decodeQuotedPrintable(text.replace(/_/g, ' ')).toString('utf8'),
  );
}

/**
 * Enough MIME for the platform's own mails: a single text part (or the first text/plain part of
 * a multipart message), 7bit, quoted-printable or base64. Not a general parser.
 */
export function parseMail(raw: string): ParsedMail {
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  let body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = decodeHeader(
        line.slice(colon + 1).trim(),
      );
  }
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (boundary) {
    const parts = body.split(`--${boundary}`).slice(1);
    const plain = parts
      .map((p) => parseMail(p.replace(/^\r?\n/, '')))
      .find((p) => (p.headers['content-type'] ?? 'text/plain').startsWith('text/plain'));
    return { headers, text: plain?.text ?? '' };
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'base64') body = Buffer.from(body, 'base64').toString('utf8');
  else if (encoding === 'quoted-printable') body = decodeQuotedPrintable(body).toString('utf8');
  return { headers, text: body.replace(/\r\n/g, '\n') };
}

/** Every `.eml` file in `dir`, oldest first (the mailer names them in sending order). */
export async function readMailDir(dir: string): Promise<ParsedMail[]> {
  const names = (await readdir(dir).catch(() => [] as string[]))
    .filter((n) => n.endsWith('.eml'))
    .sort();
  return Promise.all(names.map(async (n) => parseMail(await readFile(path.join(dir, n), 'utf8'))));
}

/**
 * The newest mail to `to` whose `X-Zhongchou-Mail` header is `kind`, waiting for it up to
 * `timeoutMs` (some mails are sent after the response, e.g. password resets).
 */
export async function waitForMail(
  dir: string,
  to: string,
  kind: string,
  opts: { after?: number; timeoutMs?: number } = {},
): Promise<ParsedMail> {
  const deadline = Date.now() + (opts.timeoutMs ?? 5000);
  for (;;) {
    const mails = (await readMailDir(dir)).filter(
      (m) => m.headers.to === to && m.headers['x-zhongchou-mail'] === kind,
    );
    if (mails.length > (opts.after ?? 0)) return mails[mails.length - 1];
    if (Date.now() > deadline) throw new Error(`no ${kind} mail to ${to} in ${dir}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The one-time token a platform mail carries on its `Token: ...` line. */
export function tokenIn(mail: ParsedMail): string {
  const token = /^(?:令牌|Token)[:：]\s*(\S+)\s*$/m.exec(mail.text)?.[1];
  if (!token) throw new Error(`no token line in: ${mail.text.slice(0, 400)}`);
  return token;
}
