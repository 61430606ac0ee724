import { Decimal, type DecimalRounding, type DecimalValue } from './decimal.js';

/**
 * Money on the platform: an amount in a currency, exact to the fen (minor unit, CONV-01).
 * Parsed only from decimal strings; never from JS numbers. All arithmetic goes through decimal.js.
 */
const MoneyDecimal = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP });

/** Up to 16 integer digits and at most 2 decimals, no sign, no exponent (DESIGN §3). */
export const WIRE_FORMAT = /^(0|[1-9]\d{0,15})(\.\d{1,2})?$/;
const CURRENCY_FORMAT = /^[A-Z]{3}$/;

export type RoundingMode = 'HALF_UP' | 'DOWN' | 'UP';
const ROUNDING: Record<RoundingMode, DecimalRounding> = {
  HALF_UP: Decimal.ROUND_HALF_UP,
  DOWN: Decimal.ROUND_DOWN,
  UP: Decimal.ROUND_UP,
};

export class MoneyFormatError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'MoneyFormatError';
  }
}

export class CurrencyMismatchError extends Error {
  constructor(a: string, b: string) {
    super(`currency mismatch: ${a} vs ${b}`);
    this.name = 'CurrencyMismatchError';
  }
}

export interface ParseOptions {
  /** Whether "0" / "0.00" is acceptable for this field. Default false. */
  allowZero?: boolean;
}

export class Money {
  private constructor(
    /** Exact value in fen (minor units). */
    readonly fen: bigint,
    readonly currency: string,
  ) {}

  /** Parses a wire amount such as "1500.00". Throws MoneyFormatError with a reason. */
  static parse(text: unknown, currency: string, options: ParseOptions = {}): Money {
    if (typeof text !== 'string')
      throw new MoneyFormatError('must be a decimal string such as "100.00"');
    if (!WIRE_FORMAT.test(text)) {
      throw new MoneyFormatError(
        'must be a non-negative decimal string with at most 16 integer digits and 2 decimals',
      );
    }
    const money = Money.fromDecimalString(text, currency);
    if (money.isZero() && !options.allowZero)
      throw new MoneyFormatError('must be greater than zero');
    return money;
  }

  /** True when `text` is a valid wire amount (used by the DTO validator). */
  static isWireAmount(text: unknown, options: ParseOptions = {}): boolean {
    if (typeof text !== 'string' || !WIRE_FORMAT.test(text)) return false;
    return options.allowZero === true || new MoneyDecimal(text).gt(0);
  }

  /** From a trusted decimal string (a `numeric` column from pg); may be negative. */
  static fromDecimalString(text: string, currency: string): Money {
    assertCurrency(currency);
    const value = new MoneyDecimal(text);
    if (!value.isFinite()) throw new MoneyFormatError('not a finite number');
    if (value.decimalPlaces() > 2) throw new MoneyFormatError('more than 2 decimals');
    return new Money(BigInt(value.times(100).toFixed(0)), currency);
  }

  static fromFen(fen: bigint, currency: string): Money {
    assertCurrency(currency);
    return new Money(fen, currency);
  }

  static zero(currency: string): Money {
    return Money.fromFen(0n, currency);
  }

  /** Sum of amounts that all share `currency` (an empty list sums to zero). */
  static sum(items: readonly Money[], currency: string): Money {
    return items.reduce((total, item) => total.plus(item), Money.zero(currency));
  }

  plus(other: Money): Money {
    this.assertSameCurrency(other);
    return new Money(this.fen + other.fen, this.currency);
  }

  minus(other: Money): Money {
    this.assertSameCurrency(other);
    return new Money(this.fen - other.fen, this.currency);
  }

  /** Multiplies by a decimal factor (a fee rate, a percentage) and rounds to the fen as named. */
  times(factor: DecimalValue, rounding: RoundingMode): Money {
    const exact = new MoneyDecimal(this.fen.toString()).times(new MoneyDecimal(factor));
    return new Money(
      BigInt(exact.toDecimalPlaces(0, ROUNDING[rounding]).toFixed(0)),
      this.currency,
    );
  }

  /**
   * Splits this amount in proportion to `weights` with the largest-remainder method: every share
   * is the floor of its exact share, and the fen left over go one each to the largest remainders
   * (earlier index first on ties). Shares always add up exactly to this amount.
   */
  allocate(weights: readonly DecimalValue[]): Money[] {
    if (this.fen < 0n) throw new RangeError('cannot allocate a negative amount');
    if (weights.length === 0) throw new RangeError('allocate needs at least one weight');
    const ws = weights.map((w) => new MoneyDecimal(w));
    if (ws.some((w) => w.isNegative() || !w.isFinite()))
      throw new RangeError('weights must be finite and >= 0');
    const totalWeight = ws.reduce((a, b) => a.plus(b), new MoneyDecimal(0));
    if (totalWeight.isZero()) throw new RangeError('weights must not all be zero');

    const total = new MoneyDecimal(this.fen.toString());
    const exact = ws.map((w) => total.times(w).div(totalWeight));
    const floors = exact.map((e) => e.floor());
    let leftover = BigInt(
      total.minus(floors.reduce((a, b) => a.plus(b), new MoneyDecimal(0))).toFixed(0),
    );
    const order = exact
      .map((e, index) => ({ index, remainder: e.minus(floors[index]) }))
      .sort((a, b) => b.remainder.comparedTo(a.remainder) || a.index - b.index);
    const shares = floors.map((f) => BigInt(f.toFixed(0)));
    for (const { index } of order) {
      if (leftover === 0n) break;
      shares[index] += 1n;
      leftover -= 1n;
    }
    return shares.map((fen) => new Money(fen, this.currency));
  }

  isZero(): boolean {
    return this.fen === 0n;
  }

  isNegative(): boolean {
    return this.fen < 0n;
  }

  compare(other: Money): -1 | 0 | 1 {
    this.assertSameCurrency(other);
    return this.fen < other.fen ? -1 : this.fen > other.fen ? 1 : 0;
  }

  equals(other: Money): boolean {
    return this.currency === other.currency && this.fen === other.fen;
  }

  greaterThan(other: Money): boolean {
    return this.compare(other) > 0;
  }

  lessThan(other: Money): boolean {
    return this.compare(other) < 0;
  }

  /** The wire/database form: "1500.00", "-3.05". */
  toString(): string {
    const negative = this.fen < 0n;
    const abs = negative ? -this.fen : this.fen;
    const yuan = abs / 100n;
    const cents = (abs % 100n).toString().padStart(2, '0');
    return `${negative ? '-' : ''}${yuan}.${cents}`;
  }

  toJSON(): { amount: string; currency: string } {
    return { amount: this.toString(), currency: this.currency };
  }

  private assertSameCurrency(other: Money): void {
    if (other.currency !== this.currency)
      throw new CurrencyMismatchError(this.currency, other.currency);
  }
}

function assertCurrency(currency: string): void {
  if (!CURRENCY_FORMAT.test(currency)) throw new MoneyFormatError(`bad currency code ${currency}`);
}
