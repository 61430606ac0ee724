import { describe, expect, it } from '@jest/globals';
import { isInForce } from './credit.policy.js';

const at = (iso: string) => new Date(iso);
const from = at('2026-12-01T00:00:00.000Z');
const until = at('2026-12-31T00:00:00.000Z');

describe('PLAT-03: when a credit record is in force', () => {
  it.each([
    ['before it takes effect', '2026-11-30T23:59:59.999Z', false],
    ['at the moment it takes effect', '2026-12-01T00:00:00.000Z', true],
    ['while it runs', '2026-12-15T00:00:00.000Z', true],
    ['at the moment it ends (the end is exclusive)', '2026-12-31T00:00:00.000Z', false],
    ['after it ended', '2027-01-01T00:00:00.000Z', false],
  ])('%s', (_name, now, expected) => {
    expect(isInForce({ effectiveFrom: from, effectiveUntil: until, liftedAt: null }, at(now))).toBe(
      expected,
    );
  });

  it('an open-ended record stays in force until lifted', () => {
    const open = { effectiveFrom: from, effectiveUntil: null, liftedAt: null };
    expect(isInForce(open, at('2099-01-01T00:00:00.000Z'))).toBe(true);
    expect(isInForce({ ...open, liftedAt: from }, at('2026-12-15T00:00:00.000Z'))).toBe(false);
  });
});
