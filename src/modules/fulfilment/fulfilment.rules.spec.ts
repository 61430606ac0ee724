import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Money } from '../../common/money/money.js';
import {
  deliveryDueAt,
  holdbackOf,
  holdbackReleaseDueAt,
  isLate,
  maskAddress,
  parseDeliveryMonth,
  payClaimsInOrder,
  splitRefund,
} from './fulfilment.rules.js';

const fen = (n: bigint) => Money.fromFen(n, 'CNY');
const amountArb = fc.bigInt({ min: 1n, max: 10n ** 14n });
const balanceArb = fc.bigInt({ min: -(10n ** 12n), max: 10n ** 14n });

describe('RW-03 late-delivery refund split (property tests, exact to the fen)', () => {
  it('the three parts add up to the amount, none negative, neither source gives more than it has', () => {
    fc.assert(
      fc.property(amountArb, balanceArb, balanceArb, (amount, holdback, payable) => {
        const s = splitRefund(fen(amount), fen(holdback), fen(payable));
        expect(s.fromHoldback.fen + s.fromPayable.fen + s.shortfall.fen).toBe(amount);
        for (const part of [s.fromHoldback, s.fromPayable, s.shortfall])
          expect(part.fen >= 0n).toBe(true);
        expect(s.fromHoldback.fen <= (holdback > 0n ? holdback : 0n)).toBe(true);
        expect(s.fromPayable.fen <= (payable > 0n ? payable : 0n)).toBe(true);
      }),
    );
  });

  it('the holdback is drawn first, the payable only for the rest, a shortfall only when both run dry', () => {
    fc.assert(
      fc.property(amountArb, balanceArb, balanceArb, (amount, holdback, payable) => {
        const s = splitRefund(fen(amount), fen(holdback), fen(payable));
        const h = holdback > 0n ? holdback : 0n;
        const p = payable > 0n ? payable : 0n;
        expect(s.fromHoldback.fen).toBe(amount < h ? amount : h);
        if (s.fromPayable.fen > 0n) expect(s.fromHoldback.fen).toBe(h);
        if (s.shortfall.fen > 0n) expect([s.fromHoldback.fen, s.fromPayable.fen]).toEqual([h, p]);
      }),
    );
  });

  it('worked examples, written out by hand', () => {
    const cny = (v: string) => Money.parse(v, 'CNY', { allowZero: true });
    const parts = (a: string, h: string, p: string) => {
      const s = splitRefund(cny(a), cny(h), cny(p));
      return [s.fromHoldback, s.fromPayable, s.shortfall].map((m) => m.toString());
    };
    expect(parts('200.00', '57.00', '1000.00')).toEqual(['57.00', '143.00', '0.00']);
    expect(parts('200.00', '300.00', '0.00')).toEqual(['200.00', '0.00', '0.00']);
    expect(parts('200.00', '0.00', '50.01')).toEqual(['0.00', '50.01', '149.99']);
    expect(parts('0.01', '0.00', '0.00')).toEqual(['0.00', '0.00', '0.01']);
  });
});

describe("RW-03 backers' claims paid from the payable (property tests, exact to the fen)", () => {
  const claimsArb = fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { maxLength: 20 });
  const claimsOf = (remaining: bigint[]) =>
    remaining.map((r, i) => ({ pledgeId: `p${i}`, remaining: fen(r) }));
  const sumFen = (xs: { amount: Money }[]) =>
    xs.reduce((acc, x) => acc.plus(x.amount), Money.zero('CNY'));

  it('pays min(available, owed) in total, each part positive and within its claim', () => {
    fc.assert(
      fc.property(balanceArb, claimsArb, (available, remaining) => {
        const payments = payClaimsInOrder(fen(available), claimsOf(remaining));
        const owed = remaining.reduce((a, b) => a + b, 0n);
        const cap = available < 0n ? 0n : available;
        expect(sumFen(payments).toString()).toBe(fen(cap < owed ? cap : owed).toString());
        for (const p of payments) {
          const claim = remaining[Number(p.pledgeId.slice(1))];
          expect(p.amount.isZero() || p.amount.isNegative()).toBe(false);
          expect(p.amount.greaterThan(fen(claim))).toBe(false);
        }
      }),
    );
  });

  it('oldest first: every claim before the last one paid is paid in full, none after it at all', () => {
    fc.assert(
      fc.property(balanceArb, claimsArb, (available, remaining) => {
        const payments = payClaimsInOrder(fen(available), claimsOf(remaining));
        const order = payments.map((p) => Number(p.pledgeId.slice(1)));
        expect([...order].sort((a, b) => a - b)).toEqual(order);
        payments.slice(0, -1).forEach((p, i) => {
          expect(p.amount.equals(fen(remaining[order[i]]))).toBe(true);
        });
        const last = order[order.length - 1] ?? 0;
        const unpaidBefore = remaining
          .slice(0, last)
          .filter((r, i) => r > 0n && !order.includes(i));
        expect(unpaidBefore).toEqual([]);
      }),
    );
  });

  it('worked example: 76.00 toward 86.00, 200.00, 200.00 pays the oldest 76.00 only', () => {
    const payments = payClaimsInOrder(Money.parse('76.00', 'CNY'), [
      { pledgeId: 'a', remaining: Money.parse('86.00', 'CNY') },
      { pledgeId: 'b', remaining: Money.parse('200.00', 'CNY') },
    ]);
    expect(payments.map((p) => [p.pledgeId, p.amount.toString()])).toEqual([['a', '76.00']]);
  });
});

describe('RW-03 holdback amount', () => {
  it('is rate x net rounded half-up to the fen, between 0 and net, and the payout gets exactly the rest', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 14n }),
        fc.integer({ min: 0, max: 100_000 }),
        (net, rateMillis) => {
          const rate = rateMillis / 100_000;
          const held = holdbackOf(fen(net), rate);
          expect(held.fen >= 0n && held.fen <= net).toBe(true);
          expect(held.plus(fen(net).minus(held)).fen).toBe(net);
        },
      ),
    );
  });

  it('rounds half-up: 20% of 0.03 is 0.01, of 1234.57 is 246.91', () => {
    expect(holdbackOf(Money.parse('0.03', 'CNY'), 0.2).toString()).toBe('0.01');
    expect(holdbackOf(Money.parse('1234.57', 'CNY'), 0.2).toString()).toBe('246.91');
    expect(holdbackOf(Money.parse('0.02', 'CNY'), 0.25).toString()).toBe('0.01');
    expect(() => holdbackOf(Money.parse('1.00', 'CNY'), 1.5)).toThrow();
  });
});

describe('RW-03 delivery months and lateness (Beijing calendar months)', () => {
  it('parses YYYY-MM only', () => {
    expect(parseDeliveryMonth('2027-03')).toBe('2027-03-01');
    for (const bad of ['2027-13', '2027-3', '27-03', '2027-03-01', '']) {
      expect(parseDeliveryMonth(bad)).toBeNull();
    }
  });

  it('a month ends at the next month’s midnight in Beijing (16:00 UTC the day before)', () => {
    expect(deliveryDueAt('2027-02-01').toISOString()).toBe('2027-02-28T16:00:00.000Z');
    expect(deliveryDueAt('2026-12-01').toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('the holdback is released 30 days after the latest month, or after settlement without one', () => {
    const settled = new Date('2026-12-08T02:00:00.000Z');
    expect(holdbackReleaseDueAt(['2027-01-01', '2027-02-01'], settled, 30).toISOString()).toBe(
      '2027-03-30T16:00:00.000Z',
    );
    expect(holdbackReleaseDueAt([], settled, 30).toISOString()).toBe('2027-01-07T02:00:00.000Z');
  });

  it('late: month over and not shipped in time, unless delivered', () => {
    const month = '2027-02-01';
    const before = new Date('2027-02-28T15:59:59.999Z');
    const after = new Date('2027-02-28T16:00:00.000Z');
    const early = { shippedAt: new Date('2027-02-10T00:00:00Z'), status: 'SHIPPED' };
    const tardy = { shippedAt: new Date('2027-03-02T00:00:00Z'), status: 'SHIPPED' };
    expect(isLate(before, month, null)).toBe(false);
    expect(isLate(after, month, null)).toBe(true);
    expect(isLate(after, month, early)).toBe(false);
    expect(isLate(new Date('2027-03-03T00:00:00Z'), month, tardy)).toBe(true);
    expect(isLate(new Date('2027-03-03T00:00:00Z'), month, { ...tardy, status: 'DELIVERED' })).toBe(
      false,
    );
  });
});

describe('PLAT-06 masked address', () => {
  it('keeps the region, stars the rest', () => {
    expect(
      maskAddress({
        recipient: '李雷',
        phone: '13800138000',
        region: '浙江省杭州市西湖区',
        line: '文三路 100 号 5 幢 301',
        postalCode: '310012',
      }),
    ).toEqual({
      recipient: '李*',
      phone: '138****8000',
      region: '浙江省杭州市西湖区',
      line: '********',
      postalCode: '310012',
    });
  });
});
