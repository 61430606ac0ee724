import { Decimal } from '../../common/money/decimal.js';
import { Money } from '../../common/money/money.js';

/**
 * The repayment schedule of a loan, exact to the fen (issue 14, CN-P2P-10 disclosure of amounts).
 * Pure functions: no clock, no database. Interest per period = remaining principal x annual rate
 * / 12, rounded half-up to the fen (the monthly convention of Chinese consumer and P2P lending);
 * day-count conventions apply to penalty interest and early payoff, not to regular periods.
 */
export const REPAYMENT_METHODS = ['EQUAL_INSTALLMENT', 'EQUAL_PRINCIPAL', 'INTEREST_ONLY'] as const;
export type RepaymentMethod = (typeof REPAYMENT_METHODS)[number];

const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });

export interface ScheduleInput {
  principal: Money;
  /** Decimal string, e.g. "0.0800" for 8 % a year. */
  annualRate: string;
  termMonths: number;
  method: RepaymentMethod;
}

export interface ScheduledInstalment {
  /** 1-based. */
  number: number;
  principal: Money;
  interest: Money;
}

function halfUpFen(value: Decimal): bigint {
  return BigInt(value.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0));
}

/** Interest on `remaining` for one month, half-up to the fen. */
export function monthlyInterest(remaining: Money, annualRate: string): Money {
  const fen = halfUpFen(new D(remaining.fen.toString()).times(annualRate).div(12));
  return Money.fromFen(fen, remaining.currency);
}

/**
 * 等额本息 payment: P r (1+r)^n / ((1+r)^n - 1), r = annual / 12, half-up to the fen
 * (100,000.00 at 8 % over 12 months = 8,698.84).
 */
export function equalInstallmentPayment(
  principal: Money,
  annualRate: string,
  termMonths: number,
): Money {
  const r = new D(annualRate).div(12);
  const p = new D(principal.fen.toString());
  if (r.isZero()) return Money.fromFen(halfUpFen(p.div(termMonths)), principal.currency);
  const growth = r.plus(1).pow(termMonths);
  return Money.fromFen(
    halfUpFen(p.times(r).times(growth).div(growth.minus(1))),
    principal.currency,
  );
}

/**
 * Every instalment's principal and interest. The principals always add up to the loan exactly:
 * the last instalment takes whatever principal remains (and so absorbs the rounding).
 */
export function computeSchedule(input: ScheduleInput): ScheduledInstalment[] {
  const { principal, annualRate, termMonths, method } = input;
  if (!Number.isInteger(termMonths) || termMonths < 1) throw new RangeError('termMonths >= 1');
  if (principal.fen <= 0n) throw new RangeError('principal must be positive');
  const rate = new D(annualRate);
  if (!rate.isFinite() || rate.isNegative()) throw new RangeError('annualRate must be >= 0');
  const currency = principal.currency;
  const zero = Money.zero(currency);
  // Interest-free 等额本息 is 等额本金: equal parts, the odd fen on the first ones.
  const equalParts =
    method === 'EQUAL_PRINCIPAL' || rate.isZero()
      ? principal.allocate(Array<number>(termMonths).fill(1))
      : [];
  const payment =
    method === 'EQUAL_INSTALLMENT'
      ? equalInstallmentPayment(principal, annualRate, termMonths)
      : zero;
  const out: ScheduledInstalment[] = [];
  let remaining = principal;
  for (let number = 1; number <= termMonths; number++) {
    const interest = monthlyInterest(remaining, annualRate);
    const last = number === termMonths;
    let part: Money;
    if (last) part = remaining;
    else if (method === 'EQUAL_INSTALLMENT' && !rate.isZero()) {
      part = payment.minus(interest);
      if (part.isNegative()) part = zero;
      if (part.greaterThan(remaining)) part = remaining;
    } else if (method !== 'INTEREST_ONLY') part = equalParts[number - 1];
    else part = zero;
    out.push({ number, principal: part, interest });
    remaining = remaining.minus(part);
  }
  return out;
}

/** One lender's part of one instalment. */
export interface LenderShare {
  principal: Money;
  interest: Money;
}

/**
 * Splits every instalment across the lenders with the largest-remainder method (Money.allocate):
 * principal in proportion to each lender's principal still outstanding, interest in proportion to
 * what each had outstanding over the period. The shares of an instalment add up to it exactly, and
 * each lender's principal shares add up to their claim exactly (the last instalment's principal
 * equals the total remaining, so its allocation by the remainders is exact).
 * Returns shares[instalmentIndex][lenderIndex].
 */
export function splitSchedule(
  schedule: readonly ScheduledInstalment[],
  claims: readonly Money[],
): LenderShare[][] {
  if (claims.length === 0) throw new RangeError('a loan has at least one lender');
  let remaining = claims.map((c) => c.fen);
  const currency = claims[0].currency;
  return schedule.map((instalment) => {
    const outstanding = remaining.some((r) => r > 0n) ? remaining : claims.map((c) => c.fen);
    const weights = outstanding.map((r) => r.toString());
    const interest = instalment.interest.allocate(weights);
    const principal = instalment.principal.isZero()
      ? claims.map(() => Money.zero(currency))
      : instalment.principal.allocate(weights);
    remaining = remaining.map((r, i) => r - principal[i].fen);
    return principal.map((p, i) => ({ principal: p, interest: interest[i] }));
  });
}

/**
 * Splits an amount in proportion to integer-fen weights; an all-zero weight list gives it all to
 * the first share (cannot happen for a loan with principal, kept total for safety).
 */
export function allocateByFen(amount: Money, weights: readonly bigint[]): Money[] {
  if (weights.every((w) => w === 0n)) {
    return weights.map((_, i) => (i === 0 ? amount : Money.zero(amount.currency)));
  }
  return amount.allocate(weights.map((w) => w.toString()));
}

/**
 * Penalty interest for `days` days on an overdue amount: each day's accrual is rounded half-up to
 * the fen (amount x rate / basis), so any run of the sweep gives the same total.
 */
export function penaltyFor(
  overdue: Money,
  penaltyAnnualRate: string,
  basisDays: number,
  days: number,
): Money {
  if (days <= 0 || overdue.fen <= 0n) return Money.zero(overdue.currency);
  const perDay = halfUpFen(new D(overdue.fen.toString()).times(penaltyAnnualRate).div(basisDays));
  return Money.fromFen(perDay * BigInt(days), overdue.currency);
}
