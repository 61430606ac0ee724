import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Money } from '../../common/money/money.js';
import {
  allocateByFen,
  computeSchedule,
  equalInstallmentPayment,
  penaltyFor,
  REPAYMENT_METHODS,
  type RepaymentMethod,
  splitSchedule,
} from './loan-schedule.js';

const cny = (text: string): Money => Money.parse(text, 'CNY');
const rows = (method: RepaymentMethod, principal: string, rate: string, months: number) =>
  computeSchedule({ principal: cny(principal), annualRate: rate, termMonths: months, method }).map(
    (i) => [i.number, i.principal.toString(), i.interest.toString()],
  );

/**
 * Vectors worked out by hand (interest = remaining x rate / 12, half-up to the fen; checked with
 * a separate decimal calculator, not with this code).
 */
describe('loan schedules match hand-computed vectors (issue 14)', () => {
  it('等额本息: 100,000.00 at 8 % over 12 months pays 8,698.84 a month, the last absorbs rounding', () => {
    expect(equalInstallmentPayment(cny('100000.00'), '0.0800', 12).toString()).toBe('8698.84');
    expect(rows('EQUAL_INSTALLMENT', '100000.00', '0.0800', 12)).toEqual([
      [1, '8032.17', '666.67'],
      [2, '8085.72', '613.12'],
      [3, '8139.63', '559.21'],
      [4, '8193.89', '504.95'],
      [5, '8248.52', '450.32'],
      [6, '8303.51', '395.33'],
      [7, '8358.86', '339.98'],
      [8, '8414.59', '284.25'],
      [9, '8470.69', '228.15'],
      [10, '8527.16', '171.68'],
      [11, '8584.00', '114.84'],
      [12, '8641.26', '57.61'], // 8,698.87: three fen of rounding land on the last instalment
    ]);
  });

  it('等额本金: 120,000.00 at 6 % over 6 months: 20,000.00 principal, interest falling by 100.00', () => {
    expect(rows('EQUAL_PRINCIPAL', '120000.00', '0.0600', 6)).toEqual([
      [1, '20000.00', '600.00'],
      [2, '20000.00', '500.00'],
      [3, '20000.00', '400.00'],
      [4, '20000.00', '300.00'],
      [5, '20000.00', '200.00'],
      [6, '20000.00', '100.00'],
    ]);
  });

  it('等额本金 with an uneven split: 1,000.00 at 7.5 % over 3 months (the first takes the odd fen)', () => {
    expect(rows('EQUAL_PRINCIPAL', '1000.00', '0.0750', 3)).toEqual([
      [1, '333.34', '6.25'],
      [2, '333.33', '4.17'], // 666.66 x 0.00625 = 4.166625
      [3, '333.33', '2.08'], // 333.33 x 0.00625 = 2.0833125
    ]);
  });

  it('先息后本: 50,000.00 at 10 % over 3 months: 416.67 interest, principal at maturity', () => {
    expect(rows('INTEREST_ONLY', '50000.00', '0.1000', 3)).toEqual([
      [1, '0.00', '416.67'],
      [2, '0.00', '416.67'],
      [3, '50000.00', '416.67'],
    ]);
  });

  it('a two-lender split by hand: 100.01 lent 2:1 over 2 months, interest-free', () => {
    const shares = splitSchedule(
      computeSchedule({
        principal: cny('100.01'),
        annualRate: '0',
        termMonths: 2,
        method: 'EQUAL_PRINCIPAL',
      }),
      [cny('66.67'), cny('33.34')],
    );
    // 50.01 by 66.67:33.34 = 33.3383.. : 16.6716.. -> 33.34 / 16.67; then 50.00 by what remains.
    expect(shares.map((s) => s.map((l) => l.principal.toString()))).toEqual([
      ['33.34', '16.67'],
      ['33.33', '16.67'],
    ]);
  });

  it('penalty interest: 1,000.00 overdue at 18 % a year on ACT/365 for 10 days = 4.90', () => {
    // 1000 x 0.18 / 365 = 0.49315.. -> 0.49 a day, x 10
    expect(penaltyFor(cny('1000.00'), '0.18', 365, 10).toString()).toBe('4.90');
    expect(penaltyFor(cny('1000.00'), '0.18', 365, 0).toString()).toBe('0.00');
  });
});

const methodArb = fc.constantFrom(...REPAYMENT_METHODS);
const principalArb = fc.bigInt({ min: 100n, max: 10n ** 11n }); // 1.00 .. 1,000,000,000.00
/** 0 .. 36 % in basis points of a percent (4 decimals). */
const rateArb = fc.integer({ min: 0, max: 3600 }).map((bp) => (bp / 10_000).toFixed(4));
const termArb = fc.integer({ min: 1, max: 60 });

describe('every fen of a schedule is accounted for (fast-check, issue 14)', () => {
  it('per method: principals add up to the loan, no negative part, interest is what rounding says', () => {
    fc.assert(
      fc.property(methodArb, principalArb, rateArb, termArb, (method, fen, rate, months) => {
        const principal = Money.fromFen(fen, 'CNY');
        const schedule = computeSchedule({
          principal,
          annualRate: rate,
          termMonths: months,
          method,
        });
        expect(schedule).toHaveLength(months);
        expect(schedule.reduce((s, i) => s + i.principal.fen, 0n)).toBe(fen);
        let remaining = fen;
        for (const instalment of schedule) {
          expect(instalment.principal.fen >= 0n).toBe(true);
          expect(instalment.interest.fen >= 0n).toBe(true);
          // interest of the period is on what was outstanding at its start
          const exact = (Number(remaining) * Number(rate)) / 12;
          expect(Math.abs(Number(instalment.interest.fen) - exact)).toBeLessThanOrEqual(
            0.5 + exact * 1e-12,
          );
          remaining -= instalment.principal.fen;
        }
        if (method === 'INTEREST_ONLY') {
          expect(schedule.slice(0, -1).every((i) => i.principal.isZero())).toBe(true);
        }
        // every payment but the last is the same (not for dust loans under 1.00 a month, where the
        // half-up payment may run out of principal early, nor interest-free, which splits evenly)
        if (
          method === 'EQUAL_INSTALLMENT' &&
          months > 1 &&
          rate !== '0.0000' &&
          fen >= 100n * BigInt(months)
        ) {
          const payments = schedule.slice(0, -1).map((i) => i.principal.fen + i.interest.fen);
          expect(new Set(payments.map(String)).size).toBe(1);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('per lender: each instalment splits exactly, each lender gets back exactly their claim', () => {
    fc.assert(
      fc.property(
        methodArb,
        rateArb,
        termArb,
        fc.array(fc.bigInt({ min: 1n, max: 10n ** 9n }), { minLength: 1, maxLength: 40 }),
        (method, rate, months, claimFen) => {
          const claims = claimFen.map((f) => Money.fromFen(f, 'CNY'));
          const principal = Money.sum(claims, 'CNY');
          const schedule = computeSchedule({
            principal,
            annualRate: rate,
            termMonths: months,
            method,
          });
          const shares = splitSchedule(schedule, claims);
          const perLender = claims.map(() => 0n);
          shares.forEach((lenders, k) => {
            expect(lenders.reduce((s, l) => s + l.principal.fen, 0n)).toBe(
              schedule[k].principal.fen,
            );
            expect(lenders.reduce((s, l) => s + l.interest.fen, 0n)).toBe(schedule[k].interest.fen);
            lenders.forEach((l, i) => {
              expect(l.principal.fen >= 0n && l.interest.fen >= 0n).toBe(true);
              perLender[i] += l.principal.fen;
            });
          });
          expect(perLender).toEqual(claimFen);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** The edges the vectors do not reach (issue 19: the mutation score of this module). */
describe('loan schedule edges (issue 14)', () => {
  const schedule = (principal: Money, annualRate: string, termMonths: number) =>
    computeSchedule({ principal, annualRate, termMonths, method: 'EQUAL_INSTALLMENT' });

  it('refuses a term, principal or rate that cannot make a loan, saying which', () => {
    expect(() => schedule(cny('100.00'), '0.08', 0)).toThrow('termMonths >= 1');
    expect(() => schedule(cny('100.00'), '0.08', 1.5)).toThrow('termMonths >= 1');
    expect(() => schedule(Money.zero('CNY'), '0.08', 12)).toThrow('principal must be positive');
    expect(() => schedule(cny('100.00'), '-0.01', 12)).toThrow('annualRate must be >= 0');
    expect(() => schedule(cny('100.00'), 'Infinity', 12)).toThrow('annualRate must be >= 0');
    expect(() => splitSchedule(schedule(cny('100.00'), '0.08', 2), [])).toThrow(
      'a loan has at least one lender',
    );
  });

  it('interest-free 等额本息 is 等额本金: equal parts, the odd fen first, no interest', () => {
    expect(rows('EQUAL_INSTALLMENT', '100.00', '0', 3)).toEqual([
      [1, '33.34', '0.00'],
      [2, '33.33', '0.00'],
      [3, '33.33', '0.00'],
    ]);
  });

  it('an instalment after every claim is repaid splits by the original claims', () => {
    const shares = splitSchedule(
      [
        { number: 1, principal: cny('100.00'), interest: cny('1.00') },
        { number: 2, principal: Money.zero('CNY'), interest: cny('0.30') },
      ],
      [cny('60.00'), cny('40.00')],
    );
    expect(
      shares.map((row) => row.map((s) => [s.principal.toString(), s.interest.toString()])),
    ).toEqual([
      [
        ['60.00', '0.60'],
        ['40.00', '0.40'],
      ],
      [
        ['0.00', '0.18'],
        ['0.00', '0.12'],
      ],
    ]);
  });

  it('allocateByFen: in proportion to the weights; all-zero weights give it all to the first', () => {
    const split = (amount: string, weights: bigint[]) =>
      allocateByFen(cny(amount), weights).map((m) => m.toString());
    expect(split('1.00', [0n, 3n, 1n])).toEqual(['0.00', '0.75', '0.25']);
    expect(split('0.03', [1n, 1n])).toEqual(['0.02', '0.01']);
    expect(split('10.00', [0n, 0n, 0n])).toEqual(['10.00', '0.00', '0.00']);
  });

  it('penalty: nothing for no days, negative days or a non-positive amount; one day is one accrual', () => {
    expect(penaltyFor(cny('1000.00'), '0.18', 365, -3).toString()).toBe('0.00');
    expect(penaltyFor(Money.fromFen(-100_000n, 'CNY'), '0.18', 365, 10).toString()).toBe('0.00');
    expect(penaltyFor(Money.zero('CNY'), '0.18', 365, 10).toString()).toBe('0.00');
    expect(penaltyFor(cny('1000.00'), '0.18', 365, 1).toString()).toBe('0.49');
    expect(penaltyFor(cny('1000.00'), '0.18', 360, 1).toString()).toBe('0.50'); // ACT/360
  });
});
