import { VerifiedTokens } from './verified-tokens.js';

describe('VerifiedTokens (issue 18: a token is verified once, never trusted past its exp)', () => {
  let now = 1_000;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000;
  });

  it('hits only the exact token that was remembered', () => {
    const cache = new VerifiedTokens<string>(10, clock);
    cache.remember('header.payload.signature', 2_000, 'claims');
    expect(cache.get('header.payload.signature')).toBe('claims');
    expect(cache.get('header.payload.signaturf')).toBeUndefined();
    expect(cache.get('header.payload')).toBeUndefined();
  });

  it('answers expired once the current second reaches exp, as jsonwebtoken does, and forgets it', () => {
    const cache = new VerifiedTokens<string>(10, clock);
    cache.remember('t', 1_005, 'claims');
    now = 1_004;
    expect(cache.get('t')).toBe('claims');
    now = 1_005;
    expect(cache.get('t')).toBe('expired');
    expect(cache.size).toBe(0);
    expect(cache.get('t')).toBeUndefined();
  });

  it('does not remember a token without a numeric exp, or one already expired', () => {
    const cache = new VerifiedTokens<string>(10, clock);
    cache.remember('no-exp', undefined, 'claims');
    cache.remember('text-exp', '2000', 'claims');
    cache.remember('infinite', Number.POSITIVE_INFINITY, 'claims');
    cache.remember('past', 999, 'claims');
    cache.remember('now', 1_000, 'claims');
    expect(cache.size).toBe(0);
  });

  it('keeps at most its capacity, dropping the token verified longest ago', () => {
    const cache = new VerifiedTokens<number>(3, clock);
    for (let i = 1; i <= 5; i++) cache.remember(`t${i}`, 2_000, i);
    expect(cache.size).toBe(3);
    expect(cache.get('t1')).toBeUndefined();
    expect(cache.get('t2')).toBeUndefined();
    expect([cache.get('t3'), cache.get('t4'), cache.get('t5')]).toEqual([3, 4, 5]);
    cache.remember('t4', 2_000, 40); // a token remembered again takes no second place
    expect(cache.size).toBe(3);
    expect(cache.get('t4')).toBe(40);
  });

  it('remembers nothing with capacity 0', () => {
    const cache = new VerifiedTokens<string>(0, clock);
    cache.remember('t', 2_000, 'claims');
    expect(cache.get('t')).toBeUndefined();
    expect(() => new VerifiedTokens<string>(-1, clock)).toThrow('capacity');
  });
});
