import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Founder webhooks are signed (issue 13):
 *   X-Zhongchou-Timestamp: <unix seconds>
 *   X-Zhongchou-Signature: sha256=<hex HMAC-SHA256(timestamp + "." + body, secret)>
 * The timestamp is inside the MAC, so a receiver that refuses old timestamps refuses replays.
 */
export const SIGNATURE_HEADER = 'x-zhongchou-signature';
export const TIMESTAMP_HEADER = 'x-zhongchou-timestamp';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does: constant-time MAC check, then the timestamp within the tolerance. */
export function verifyWebhook(input: {
  secret: string;
  body: string;
  signature: string | undefined;
  timestamp: string | undefined;
  now: Date;
  toleranceSeconds?: number;
}): boolean {
  const { signature, timestamp } = input;
  if (!signature?.startsWith('sha256=') || !timestamp || !/^\d{1,12}$/.test(timestamp))
    return false;
  const expected = Buffer.from(signWebhook(input.secret, Number(timestamp), input.body));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  const age = Math.abs(input.now.getTime() / 1000 - Number(timestamp));
  return age <= (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
}
