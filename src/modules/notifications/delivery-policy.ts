/** Retry policy shared by e-mail and webhook deliveries (issue 13). */
export interface RetryPolicy {
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

/** The wait after the `attempts`-th failed try: base, 2 x base, 4 x base, ... capped at max. */
export function retryDelayMs(attempts: number, policy: RetryPolicy): number {
  const exponent = Math.max(0, attempts - 1);
  return Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** Math.min(exponent, 40));
}

export type AfterFailure = { giveUp: true } | { giveUp: false; nextAttemptAt: Date };

/** After a failed try number `attempts`: try again later, or give up once `maxAttempts` is spent. */
export function afterFailure(attempts: number, policy: RetryPolicy, now: Date): AfterFailure {
  if (attempts >= policy.maxAttempts) return { giveUp: true };
  return { giveUp: false, nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts, policy)) };
}

/** Stored failure texts stay short and on one line. */
export function describeFailure(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s+/g, ' ').slice(0, 500);
}
