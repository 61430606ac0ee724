/**
 * Access tokens whose signature this instance has already checked (issue 18: the HMAC, the base64
 * and JSON decoding of a JWT were 2.5 % of the service's CPU on the pledge path, and a client sends
 * the same token with every request until it expires). Keyed by the whole token, signature
 * included, so only the exact bytes that were verified hit; an entry is never trusted past the
 * token's own `exp` (checked on every hit, as jsonwebtoken checks it: expired once the current
 * second reaches `exp`). The session behind the token is still checked on every request by the
 * caller: the cache only saves the cryptography, never a revocation.
 *
 * Bounded: when full, the entry verified longest ago goes first (a Map keeps insertion order).
 */
export class VerifiedTokens<T> {
  private readonly entries = new Map<string, { claims: T; exp: number }>();

  constructor(
    private readonly capacity: number,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new Error('capacity: an integer >= 0');
  }

  /** The claims of a verified token, 'expired' for one whose `exp` has come, or undefined. */
  get(token: string): T | 'expired' | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (this.nowSeconds() >= entry.exp) {
      this.entries.delete(token);
      return 'expired';
    }
    return entry.claims;
  }

  /** Remembers a token whose signature and claims were just checked, until its `exp`. */
  remember(token: string, exp: unknown, claims: T): void {
    if (this.capacity === 0 || typeof exp !== 'number' || !Number.isFinite(exp)) return;
    if (this.nowSeconds() >= exp) return;
    if (!this.entries.has(token) && this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { claims, exp });
  }

  get size(): number {
    return this.entries.size;
  }
}
