import { createHmac, randomUUID } from 'node:crypto';
import type { ServiceProcess } from './service-process.js';

/** One request as the client saw it: every attempt is recorded, the last answer is the outcome. */
export interface Exchange {
  op: string;
  method: string;
  path: string;
  key?: string;
  status: number;
  body: unknown;
  attempts: number;
  startedAt: number;
  ms: number;
}

export interface Answer {
  status: number;
  // The service's JSON; the workload reads a few known fields of it.
  body: Record<string, unknown> & { error?: { code?: string } };
}

export const CUSTODY_SECRET = 'reliability-bank-test-custody-webhook-secret-0123456789';

/**
 * An HTTP client over the real service that records every exchange. A request that dies on the
 * network (the service was killed mid-request, or was down) is sent again, byte for byte with the
 * same Idempotency-Key, once the service is back: Jepsen's "indeterminate" operations are resolved
 * by retrying, and the checks then prove each applied exactly once.
 *
 * Given several instances (issue 19), it spreads requests over them in turn, as a round-robin
 * balancer would, skipping one that is down; a request that dies with a killed instance is sent
 * again to the next one that is up, so the retry lands on another process than the first try.
 */
export class RecordingClient {
  readonly exchanges: Exchange[] = [];
  networkErrors = 0;
  retriedRequests = 0;

  readonly perInstance: number[];
  private readonly services: ServiceProcess[];
  private turn = 0;

  constructor(service: ServiceProcess | ServiceProcess[]) {
    this.services = Array.isArray(service) ? service : [service];
    this.perInstance = this.services.map(() => 0);
  }

  /** The next instance that is up (in turn), else the next in turn, whose ready() waits for it. */
  private route(): number {
    const n = this.services.length;
    for (let i = 0; i < n; i++) {
      const k = (this.turn + i) % n;
      if (this.services[k].up) {
        this.turn = k + 1;
        return k;
      }
    }
    return this.turn++ % n;
  }

  async call(
    op: string,
    method: 'GET' | 'POST',
    path: string,
    options: { token?: string; key?: string; body?: unknown; signed?: boolean } = {},
  ): Promise<Answer> {
    const raw = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = {};
    if (raw !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.key) headers['idempotency-key'] = options.key;
    if (options.signed && raw !== undefined)
      headers['x-custody-signature'] =
        `sha256=${createHmac('sha256', CUSTODY_SECRET).update(raw).digest('hex')}`;
    const startedAt = Date.now();
    let attempts = 0;
    for (;;) {
      const k = this.route();
      const service = this.services[k];
      await service.ready();
      attempts++;
      try {
        const res = await fetch(`${service.baseUrl}${path}`, {
          method,
          headers,
          body: raw,
          signal: AbortSignal.timeout(60_000),
        });
        const text = await res.text();
        this.perInstance[k]++;
        const body = (text ? JSON.parse(text) : {}) as Answer['body'];
        this.exchanges.push({
          op,
          method,
          path,
          key: options.key,
          status: res.status,
          body,
          attempts,
          startedAt,
          ms: Date.now() - startedAt,
        });
        if (attempts > 1) this.retriedRequests++;
        return { status: res.status, body };
      } catch {
        this.networkErrors++;
        if (attempts >= 100) throw new Error(`${method} ${path}: no answer after 100 attempts`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /** A signed custodian notice (DESIGN §7); sending the same notice again is the bank's retry. */
  notify(op: string, notice: Record<string, string>): Promise<Answer> {
    return this.call(op, 'POST', '/api/v1/custody/notifications', { body: notice, signed: true });
  }
}

export const newKey = (): string => randomUUID();

export const custodyNotice = (fields: Record<string, string>): Record<string, string> => ({
  currency: 'CNY',
  occurredAt: new Date().toISOString(),
  ...fields,
});

/** Exact money arithmetic for the checks: fen as bigint. */
export const fen = (amount: string): bigint => {
  const [whole, frac = ''] = amount.split('.');
  const sign = whole.startsWith('-') ? -1n : 1n;
  return sign * (BigInt(whole.replace('-', '')) * 100n + BigInt(frac.padEnd(2, '0')));
};

export const yuan = (f: bigint): string => {
  const sign = f < 0n ? '-' : '';
  const a = f < 0n ? -f : f;
  return `${sign}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
};
