import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CurrencyMismatchError, Money, MoneyFormatError } from './money.js';

/** Largest amount allowed on the wire: 16 integer digits and 2 decimals (DESIGN §3). */
const MAX_FEN = 10n ** 18n - 1n;

const cny = (text: string): Money => Money.parse(text, 'CNY', { allowZero: true });
const fenArb = fc.bigInt({ min: 0n, max: MAX_FEN });
const digits = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });
/** Canonical integer part of a wire amount: "0" or 1..16 digits without a leading zero. */
const integerPartArb = fc.oneof(
  fc.constant('0'),
  fc.tuple(fc.constantFrom(...'123456789'), digits(0, 15)).map(([head, tail]) => head + tail),
);
/** Non-negative integer weights, at least one of them > 0. */
const weightsArb = fc
  .array(fc.nat(), { minLength: 1, maxLength: 20 })
  .filter((ws) => ws.some((w) => w > 0));

function sumFen(shares: readonly Money[]): bigint {
  return shares.reduce((total, share) => total + share.fen, 0n);
}

/** An exact decimal string for n / 10^6, e.g. 25000 -> "0.025000". */
function millionths(n: number): string {
  const whole = Math.floor(n / 1_000_000);
  return `${whole}.${String(n - whole * 1_000_000).padStart(6, '0')}`;
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

describe('Money.parse / toString (DESIGN §3, CONV-01)', () => {
  it('round-trips every fen amount in [0, 10^18 - 1] through its wire string', () => {
    fc.assert(
      fc.property(fenArb, (fen) => {
        const text = Money.fromFen(fen, 'CNY').toString();
        expect(text).toMatch(/^(0|[1-9]\d{0,15})\.\d{2}$/);
        const parsed = cny(text);
        expect(parsed.fen).toBe(fen);
        expect(parsed.currency).toBe('CNY');
        expect(parsed.toString()).toBe(text);
      }),
    );
  });

  it('parses wire strings with 0, 1 or 2 decimals to the canonical 2-decimal form', () => {
    fc.assert(
      fc.property(integerPartArb, digits(0, 2), (integerPart, decimals) => {
        const text = decimals === '' ? integerPart : `${integerPart}.${decimals}`;
        const cents = decimals.padEnd(2, '0');
        const money = cny(text);
        expect(money.toString()).toBe(`${integerPart}.${cents}`);
        expect(money.fen).toBe(BigInt(integerPart) * 100n + BigInt(cents));
        expect(Money.isWireAmount(text, { allowZero: true })).toBe(true);
      }),
    );
  });

  it('formats examples, including negative ledger amounts', () => {
    expect(Money.fromFen(150000n, 'CNY').toString()).toBe('1500.00');
    expect(Money.fromFen(5n, 'CNY').toString()).toBe('0.05');
    expect(Money.fromFen(0n, 'CNY').toString()).toBe('0.00');
    expect(Money.fromFen(-305n, 'CNY').toString()).toBe('-3.05');
    expect(Money.fromFen(-5n, 'CNY').toString()).toBe('-0.05');
    expect(Money.fromFen(123456n, 'USD').toJSON()).toEqual({ amount: '1234.56', currency: 'USD' });
  });

  it.each([
    ['9999999999999999.99', MAX_FEN],
    ['0.01', 1n],
    ['5', 500n],
    ['5.5', 550n],
    ['1500.00', 150000n],
    ['0.10', 10n],
  ])('accepts %j', (text, fen) => {
    expect(Money.parse(text, 'CNY').fen).toBe(fen);
    expect(Money.isWireAmount(text)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['a JSON number', 100],
    [
      'a JSON number from a parsed body',
      (JSON.parse('{"amount":100}') as { amount: unknown }).amount,
    ],
    ['null', null],
    ['undefined', undefined],
    ['a negative amount', '-1.00'],
    ['a negative zero', '-0'],
    ['an explicit plus sign', '+1.00'],
    ['3 decimals', '1.234'],
    ['an exponent', '1e5'],
    ['a leading space', ' 1.00'],
    ['a trailing space', '1.00 '],
    ['a trailing newline', '1.00\n'],
    ['an empty string', ''],
    ['17 integer digits', '12345678901234567'],
    ['10^16 with decimals', '10000000000000000.00'],
    ['a leading zero', '01.00'],
    ['a bare decimal point', '1.'],
    ['no integer part', '.50'],
    ['a thousands separator', '1,000.00'],
    ['full-width digits', '１００'],
    ['Infinity', 'Infinity'],
    ['NaN', 'NaN'],
    ['hex', '0x10'],
  ])('rejects %s with MoneyFormatError', (_label, value) => {
    expect(() => Money.parse(value, 'CNY', { allowZero: true })).toThrow(MoneyFormatError);
    expect(Money.isWireAmount(value, { allowZero: true })).toBe(false);
  });

  it.each(['0', '0.0', '0.00'])('rejects zero %j unless the field allows it', (text) => {
    expect(() => Money.parse(text, 'CNY')).toThrow(MoneyFormatError);
    expect(() => Money.parse(text, 'CNY', { allowZero: false })).toThrow(MoneyFormatError);
    expect(Money.isWireAmount(text)).toBe(false);
    expect(Money.parse(text, 'CNY', { allowZero: true }).isZero()).toBe(true);
    expect(Money.isWireAmount(text, { allowZero: true })).toBe(true);
  });

  it('rejects a malformed currency code', () => {
    expect(() => Money.parse('1.00', 'cny')).toThrow(MoneyFormatError);
    expect(() => Money.parse('1.00', 'RMB1')).toThrow(MoneyFormatError);
    expect(() => Money.fromFen(1n, '')).toThrow(MoneyFormatError);
  });
});

describe('Money.times (fee = gross x rate, rounded to the fen)', () => {
  it.each([
    ['100.00', '0.025', '2.50'],
    ['0.01', '0.5', '0.01'],
    ['0.01', '0.49', '0.00'],
    ['1.00', '0.125', '0.13'],
    ['1.00', '0.115', '0.12'],
    ['1234.56', '0.0035', '4.32'],
    ['1049.99', '0.05', '52.50'],
    ['9999999999999999.99', '1', '9999999999999999.99'],
    ['100.00', '0', '0.00'],
  ])('HALF_UP: %s x %s = %s', (amount, rate, expected) => {
    expect(cny(amount).times(rate, 'HALF_UP').toString()).toBe(expected);
  });

  it.each([
    ['0.01', '0.99', '0.00'],
    ['100.00', '0.02999', '2.99'],
    ['1.00', '0.125', '0.12'],
    ['1049.99', '0.05', '52.49'],
    ['100.00', '0.025', '2.50'],
  ])('DOWN (CONV-01 caps): %s x %s = %s', (amount, rate, expected) => {
    expect(cny(amount).times(rate, 'DOWN').toString()).toBe(expected);
  });

  it.each([
    ['0.01', '0.01', '0.01'],
    ['1234.56', '0.0035', '4.33'],
    ['100.00', '0.025', '2.50'],
  ])('UP: %s x %s = %s', (amount, rate, expected) => {
    expect(cny(amount).times(rate, 'UP').toString()).toBe(expected);
  });

  it('keeps the currency', () => {
    expect(Money.parse('10.00', 'USD').times('0.5', 'HALF_UP').currency).toBe('USD');
  });

  it('DOWN <= HALF_UP <= UP, at most one fen apart, around the exact product', () => {
    fc.assert(
      fc.property(fenArb, fc.nat({ max: 10_000_000 }), (fen, rateMillionths) => {
        const rate = millionths(rateMillionths);
        const money = Money.fromFen(fen, 'CNY');
        const down = money.times(rate, 'DOWN').fen;
        const halfUp = money.times(rate, 'HALF_UP').fen;
        const up = money.times(rate, 'UP').fen;
        const exactTimesMillion = fen * BigInt(rateMillionths);
        expect(down).toBe(exactTimesMillion / 1_000_000n);
        expect(down <= halfUp && halfUp <= up).toBe(true);
        expect(up - down).toBe(exactTimesMillion % 1_000_000n === 0n ? 0n : 1n);
        expect(halfUp).toBe((exactTimesMillion + 500_000n) / 1_000_000n);
      }),
    );
  });
});

describe('Money.allocate (largest remainder)', () => {
  it('shares always add up exactly to the total', () => {
    fc.assert(
      fc.property(fenArb, weightsArb, (fen, weights) => {
        const shares = Money.fromFen(fen, 'CNY').allocate(weights);
        expect(shares).toHaveLength(weights.length);
        expect(sumFen(shares)).toBe(fen);
        expect(shares.every((share) => share.currency === 'CNY')).toBe(true);
      }),
    );
  });

  it('never produces a negative share, and a zero weight gets nothing', () => {
    fc.assert(
      fc.property(fenArb, weightsArb, (fen, weights) => {
        const shares = Money.fromFen(fen, 'CNY').allocate(weights);
        shares.forEach((share, i) => {
          expect(share.fen >= 0n).toBe(true);
          if (weights[i] === 0) expect(share.fen).toBe(0n);
        });
      }),
    );
  });

  it('with equal weights the shares differ by at most one fen', () => {
    fc.assert(
      fc.property(
        fenArb,
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 50 }),
        (fen, weight, count) => {
          const shares = Money.fromFen(fen, 'CNY').allocate(Array<number>(count).fill(weight));
          const fens = shares.map((share) => share.fen);
          const max = fens.reduce((a, b) => (a > b ? a : b));
          const min = fens.reduce((a, b) => (a < b ? a : b));
          expect(max - min <= 1n).toBe(true);
          expect(sumFen(shares)).toBe(fen);
        },
      ),
    );
  });

  it('every share is within one fen of its exact proportional share total x w / W', () => {
    fc.assert(
      fc.property(fenArb, weightsArb, (fen, weights) => {
        const shares = Money.fromFen(fen, 'CNY').allocate(weights);
        const totalWeight = weights.reduce((a, b) => a + BigInt(b), 0n);
        shares.forEach((share, i) => {
          // |share - fen * w / W| < 1  <=>  |share * W - fen * w| < W
          const error = abs(share.fen * totalWeight - fen * BigInt(weights[i]));
          expect(error < totalWeight).toBe(true);
        });
      }),
    );
  });

  it('handles very large integer weights given as decimal strings', () => {
    const bigWeights = fc
      .array(fc.bigInt({ min: 0n, max: 10n ** 24n }), { minLength: 1, maxLength: 10 })
      .filter((ws) => ws.some((w) => w > 0n));
    fc.assert(
      fc.property(fenArb, bigWeights, (fen, weights) => {
        const shares = Money.fromFen(fen, 'CNY').allocate(weights.map(String));
        const totalWeight = weights.reduce((a, b) => a + b, 0n);
        expect(sumFen(shares)).toBe(fen);
        shares.forEach((share, i) => {
          expect(share.fen >= 0n).toBe(true);
          expect(abs(share.fen * totalWeight - fen * weights[i]) < totalWeight).toBe(true);
        });
      }),
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(fenArb, weightsArb, (fen, weights) => {
        const first = Money.fromFen(fen, 'CNY').allocate(weights);
        const second = Money.fromFen(fen, 'CNY').allocate([...weights]);
        expect(second.map((share) => share.fen)).toEqual(first.map((share) => share.fen));
      }),
    );
  });

  it('gives leftover fen to the largest remainders, earlier index first on ties', () => {
    const split = (amount: string, weights: number[]): string[] =>
      cny(amount)
        .allocate(weights)
        .map((share) => share.toString());
    expect(split('100.00', [1, 1, 1])).toEqual(['33.34', '33.33', '33.33']);
    expect(split('0.02', [1, 1, 1])).toEqual(['0.01', '0.01', '0.00']);
    expect(split('0.05', [3, 7])).toEqual(['0.02', '0.03']);
    expect(split('1.00', [1, 2, 3])).toEqual(['0.17', '0.33', '0.50']);
    expect(split('10.00', [0, 1])).toEqual(['0.00', '10.00']);
    expect(split('0.00', [1, 2])).toEqual(['0.00', '0.00']);
    expect(cny('1.00').allocate(['0.5', '0.25', '0.25']).map(String)).toEqual([
      '0.50',
      '0.25',
      '0.25',
    ]);
  });

  it('rejects a negative amount, no weights, negative weights and all-zero weights', () => {
    expect(() => Money.fromFen(-1n, 'CNY').allocate([1])).toThrow(RangeError);
    expect(() => cny('1.00').allocate([])).toThrow(RangeError);
    expect(() => cny('1.00').allocate([1, -1])).toThrow(RangeError);
    expect(() => cny('1.00').allocate([0, 0])).toThrow(RangeError);
    expect(() => cny('1.00').allocate([Infinity])).toThrow(RangeError);
  });
});

describe('currency safety', () => {
  const yuan = Money.parse('1.00', 'CNY');
  const dollar = Money.parse('1.00', 'USD');

  it('plus throws CurrencyMismatchError on different currencies', () => {
    expect(() => yuan.plus(dollar)).toThrow(CurrencyMismatchError);
  });

  it('minus, compare and sum also refuse to mix currencies', () => {
    expect(() => yuan.minus(dollar)).toThrow(CurrencyMismatchError);
    expect(() => yuan.compare(dollar)).toThrow(CurrencyMismatchError);
    expect(() => yuan.greaterThan(dollar)).toThrow(CurrencyMismatchError);
    expect(() => Money.sum([yuan, dollar], 'CNY')).toThrow(CurrencyMismatchError);
    expect(() => Money.sum([dollar], 'CNY')).toThrow(CurrencyMismatchError);
  });

  it('equals is false (not an error) across currencies', () => {
    expect(yuan.equals(dollar)).toBe(false);
    expect(yuan.equals(Money.parse('1.00', 'CNY'))).toBe(true);
  });

  it('arithmetic within one currency is exact', () => {
    expect(cny('0.10').plus(cny('0.20')).toString()).toBe('0.30');
    expect(cny('1.00').minus(cny('3.05')).toString()).toBe('-2.05');
    expect(Money.sum([cny('0.10'), cny('0.20'), cny('0.30')], 'CNY').toString()).toBe('0.60');
    expect(Money.sum([], 'CNY').isZero()).toBe(true);
    expect(cny('2.00').compare(cny('1.99'))).toBe(1);
    expect(cny('1.99').lessThan(cny('2.00'))).toBe(true);
  });
});

describe('Money: comparisons, refusals and ties, exactly (issue 19 mutation testing)', () => {
  const c = (fen: bigint) => Money.fromFen(fen, 'CNY');

  it('compare is -1, 0 or 1; greaterThan and lessThan are strict; equals needs the same fen', () => {
    expect([c(1n).compare(c(2n)), c(2n).compare(c(2n)), c(3n).compare(c(2n))]).toEqual([-1, 0, 1]);
    expect([c(2n).greaterThan(c(2n)), c(3n).greaterThan(c(2n)), c(1n).greaterThan(c(2n))]).toEqual([
      false,
      true,
      false,
    ]);
    expect([c(2n).lessThan(c(2n)), c(1n).lessThan(c(2n)), c(3n).lessThan(c(2n))]).toEqual([
      false,
      true,
      false,
    ]);
    expect(c(2n).equals(c(3n))).toBe(false);
    expect(c(2n).equals(c(2n))).toBe(true);
  });

  it('isNegative below zero only', () => {
    expect([c(-1n).isNegative(), c(0n).isNegative(), c(1n).isNegative()]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('refusals carry their reason', () => {
    const reason = (f: () => unknown): [string, string] => {
      try {
        f();
      } catch (e) {
        return [(e as Error).name, (e as Error).message];
      }
      return ['', 'no error'];
    };
    expect(reason(() => Money.parse(12, 'CNY'))).toEqual([
      'MoneyFormatError',
      'must be a decimal string such as "100.00"',
    ]);
    expect(reason(() => Money.parse('1.001', 'CNY'))).toEqual([
      'MoneyFormatError',
      'must be a non-negative decimal string with at most 16 integer digits and 2 decimals',
    ]);
    expect(reason(() => Money.parse('0.00', 'CNY'))).toEqual([
      'MoneyFormatError',
      'must be greater than zero',
    ]);
    expect(reason(() => Money.fromDecimalString('Infinity', 'CNY'))).toEqual([
      'MoneyFormatError',
      'not a finite number',
    ]);
    expect(reason(() => Money.fromDecimalString('1.001', 'CNY'))).toEqual([
      'MoneyFormatError',
      'more than 2 decimals',
    ]);
    expect(reason(() => Money.fromFen(1n, 'XCNY'))).toEqual([
      'MoneyFormatError',
      'bad currency code XCNY',
    ]);
    expect(reason(() => c(1n).plus(Money.fromFen(1n, 'USD')))).toEqual([
      'CurrencyMismatchError',
      'currency mismatch: CNY vs USD',
    ]);
    expect(reason(() => c(-1n).allocate([1]))).toEqual([
      'RangeError',
      'cannot allocate a negative amount',
    ]);
    expect(reason(() => c(1n).allocate([]))).toEqual([
      'RangeError',
      'allocate needs at least one weight',
    ]);
    expect(reason(() => c(1n).allocate([1, -1, 1]))).toEqual([
      'RangeError',
      'weights must be finite and >= 0',
    ]);
    expect(reason(() => c(1n).allocate([0, 0]))).toEqual([
      'RangeError',
      'weights must not all be zero',
    ]);
  });

  it('allocate: equal remainders give the spare fen to the earlier shares, in order', () => {
    expect(
      c(1n)
        .allocate([1, 1, 1])
        .map((m) => m.fen),
    ).toEqual([1n, 0n, 0n]);
    expect(
      c(2n)
        .allocate([1, 1, 1])
        .map((m) => m.fen),
    ).toEqual([1n, 1n, 0n]);
    // the largest remainder first, whatever its position
    expect(
      c(2n)
        .allocate([1, 3, 1, 3])
        .map((m) => m.fen),
    ).toEqual([0n, 1n, 0n, 1n]);
    expect(
      c(5n)
        .allocate([1, 1, 1, 1, 1, 1])
        .map((m) => m.fen),
    ).toEqual([1n, 1n, 1n, 1n, 1n, 0n]);
  });
});
