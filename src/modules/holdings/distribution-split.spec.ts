import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Money } from '../../common/money/money.js';
import { applyCarry, splitDistribution } from './distribution-split.js';

const cny = (fen: bigint) => Money.fromFen(fen, 'CNY');

describe('a distribution split to holders pro rata to units (issue 15)', () => {
  it('a hand-computed case: 1,000.00 over 1, 2 and 4 units at 20 % withholding', () => {
    const rows = splitDistribution(
      Money.fromDecimalString('1000.00', 'CNY'),
      [
        { investorId: 'a', units: '1' },
        { investorId: 'b', units: '2' },
        { investorId: 'c', units: '4' },
      ],
      '0.2',
    );
    // 1000/7 = 142.857..., 285.714..., 571.428...: floors 142.85, 285.71, 571.42 (999.98); the
    // two fen left go to the largest remainders (c: .8, a: .7).
    expect(rows.map((r) => [r.gross.toString(), r.tax.toString(), r.net.toString()])).toEqual([
      ['142.86', '28.57', '114.29'],
      ['285.71', '57.14', '228.57'],
      ['571.43', '114.29', '457.14'],
    ]);
  });

  it('holders with 0 units (a correction cancelled them) get nothing; none at all is refused', () => {
    const rows = splitDistribution(
      Money.fromDecimalString('10.00', 'CNY'),
      [
        { investorId: 'a', units: '0' },
        { investorId: 'b', units: '3' },
      ],
      '0',
    );
    expect(rows.map((r) => [r.investorId, r.net.toString()])).toEqual([['b', '10.00']]);
    expect(() =>
      splitDistribution(
        Money.fromDecimalString('1.00', 'CNY'),
        [{ investorId: 'a', units: '0' }],
        '0',
      ),
    ).toThrow(RangeError);
  });

  it('property: 1 to 5,000 holders, any units and rate: net + tax add up to the amount exactly', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10_000_000_000n }),
        fc.array(fc.bigInt({ min: 1n, max: 1_000_000n }), { minLength: 1, maxLength: 5000 }),
        fc.integer({ min: 0, max: 9999 }),
        (fen, units, basisPoints) => {
          const rate = (basisPoints / 10_000).toFixed(4);
          const rows = splitDistribution(
            cny(fen),
            units.map((u, i) => ({ investorId: String(i), units: u.toString() })),
            rate,
          );
          const sum = (f: (r: (typeof rows)[number]) => Money) =>
            rows.reduce((s, r) => s + f(r).fen, 0n);
          expect(sum((r) => r.gross)).toBe(fen);
          expect(sum((r) => r.net) + sum((r) => r.tax)).toBe(fen);
          const totalUnits = units.reduce((a, b) => a + b, 0n);
          for (const [i, r] of rows.entries()) {
            // each gross share is within one fen of its exact pro-rata share
            const exactTimesUnits = fen * units[i];
            expect(r.gross.fen * totalUnits - exactTimesUnits <= totalUnits).toBe(true);
            expect(exactTimesUnits - r.gross.fen * totalUnits <= totalUnits).toBe(true);
            // the tax is the half-up rounding of gross x rate, never negative, never over gross
            const taxTimes = r.gross.fen * BigInt(basisPoints);
            const expected = (taxTimes + 5000n) / 10_000n;
            expect(r.tax.fen).toBe(expected);
            expect(r.net.fen >= 0n).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('property (issue 15, 领投 carry): net + carry + tax = amount; carry only on profit beyond cost, at the rate, rounded down', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10_000_000_000n }),
        fc.array(
          fc.record({
            units: fc.bigInt({ min: 1n, max: 1_000_000n }),
            costFen: fc.bigInt({ min: 0n, max: 5_000_000_000n }),
            beforeFen: fc.bigInt({ min: 0n, max: 5_000_000_000n }),
          }),
          { minLength: 1, maxLength: 2000 },
        ),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 9999 }),
        (fen, holders, carryBp, taxBp) => {
          const split = splitDistribution(
            cny(fen),
            holders.map((h, i) => ({ investorId: String(i), units: h.units.toString() })),
            (taxBp / 10_000).toFixed(4),
          );
          const rate = (carryBp / 10_000).toFixed(4);
          const rows = applyCarry(split, { leadInvestorId: '0', rate }, (id) => ({
            cost: cny(holders[Number(id)].costFen),
            receivedBefore: cny(holders[Number(id)].beforeFen),
          }));
          let total = 0n;
          for (const [i, r] of rows.entries()) {
            total += r.net.fen + r.carry.fen + r.tax.fen;
            expect(r.gross.fen).toBe(r.tax.fen + r.carry.fen + r.net.fen);
            expect(r.carry.fen >= 0n && r.net.fen >= 0n).toBe(true);
            const afterTax = r.gross.fen - r.tax.fen;
            const h = holders[i];
            const profit = (x: bigint) => (x > h.costFen ? x - h.costFen : 0n);
            const newProfit = profit(h.beforeFen + afterTax) - profit(h.beforeFen);
            // the lead (holder 0) pays itself nothing; a follower pays floor(rate x new profit)
            expect(r.carry.fen).toBe(i === 0 ? 0n : (newProfit * BigInt(carryBp)) / 10_000n);
          }
          expect(total).toBe(fen);
        },
      ),
      { numRuns: 60 },
    );
  });
});
