import { Money } from '../../common/money/money.js';

/** Beijing time (UTC+8, no daylight saving): delivery months are calendar months there. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** `2027-03` -> the first day of that month as a date string (`2027-03-01`), or null if not a month. */
export function parseDeliveryMonth(text: string): string | null {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  return match ? `${match[1]}-${match[2]}-01` : null;
}

/** The instant the stated delivery month ends (RW-03): the next month's first midnight in Beijing. */
export function deliveryDueAt(deliveryMonth: string): Date {
  const [year, month] = deliveryMonth.split('-').map(Number);
  return new Date(Date.UTC(year, month, 1) - SHANGHAI_OFFSET_MS); // Date.UTC months are 0-based
}

/**
 * RW-03: the holdback is released on confirmed delivery or this long after the latest stated
 * delivery month ends; without any stated month (no tiers), counted from settlement.
 */
export function holdbackReleaseDueAt(
  deliveryMonths: readonly string[],
  settledAt: Date,
  releaseDays: number,
): Date {
  const ends = deliveryMonths.map((m) => deliveryDueAt(m).getTime());
  const from = ends.length > 0 ? Math.max(...ends) : settledAt.getTime();
  return new Date(from + releaseDays * DAY_MS);
}

/** RW-03: the holdback of a reward campaign's net, rounded half-up to the fen; never above net. */
export function holdbackOf(net: Money, rate: number): Money {
  if (!(rate >= 0 && rate <= 1)) throw new Error(`holdback rate ${rate} is not in [0, 1]`);
  return net.times(String(rate), 'HALF_UP');
}

export interface RefundSplit {
  fromHoldback: Money;
  fromPayable: Money;
  /** What neither covers: recorded as the backer's claim against the founder. */
  shortfall: Money;
}

/**
 * RW-03 late delivery: the refund is paid from the campaign's holdback first, then from the
 * founder's payable; the rest is a shortfall. Exact to the fen: the three parts add up to the
 * amount, none is negative, and neither source gives more than it has.
 */
export function splitRefund(
  amount: Money,
  holdbackLeft: Money,
  payableAvailable: Money,
): RefundSplit {
  const zero = Money.zero(amount.currency);
  const atLeastZero = (m: Money) => (m.isNegative() ? zero : m);
  const min = (a: Money, b: Money) => (a.lessThan(b) ? a : b);
  const fromHoldback = min(amount, atLeastZero(holdbackLeft));
  const rest = amount.minus(fromHoldback);
  const fromPayable = min(rest, atLeastZero(payableAvailable));
  return { fromHoldback, fromPayable, shortfall: rest.minus(fromPayable) };
}

/**
 * RW-03: a physical reward is late when its delivery month has ended and it was neither shipped
 * before then nor confirmed delivered.
 */
export function isLate(
  now: Date,
  deliveryMonth: string,
  shipment: { shippedAt: Date; status: string } | null,
): boolean {
  const due = deliveryDueAt(deliveryMonth);
  if (now.getTime() < due.getTime()) return false;
  if (!shipment) return true;
  if (shipment.status === 'DELIVERED') return false;
  return shipment.shippedAt.getTime() >= due.getTime();
}

export interface ShippingAddress {
  recipient: string;
  phone: string;
  region: string;
  line: string;
  postalCode: string | null;
}

const star = (n: number) => '*'.repeat(Math.max(n, 1));

/** PLAT-06: what views show of an address: the region, the rest starred. */
export function maskAddress(a: ShippingAddress): ShippingAddress {
  const name = [...a.recipient];
  const digits = a.phone.replace(/\s+/g, '');
  return {
    recipient: name[0] + star(name.length - 1),
    phone:
      digits.length > 7
        ? digits.slice(0, 3) + star(digits.length - 7) + digits.slice(-4)
        : star(digits.length),
    region: a.region,
    line: star(Math.min([...a.line].length, 8)),
    postalCode: a.postalCode,
  };
}

/** One payment toward a backer's claim: which claim, how much now. */
export interface ClaimPayment {
  pledgeId: string;
  amount: Money;
}

/**
 * RW-03: the founder's free payable pays backers' open claims oldest first (the order given),
 * each as far as the money goes: the payments sum to min(available, total owed), none exceeds
 * its claim, and only the last one paid may be partial. Exact to the fen (Money, no floats).
 */
export function payClaimsInOrder(
  available: Money,
  claims: readonly { pledgeId: string; remaining: Money }[],
): ClaimPayment[] {
  const payments: ClaimPayment[] = [];
  let left = available;
  for (const claim of claims) {
    if (left.isZero() || left.isNegative()) break;
    if (claim.remaining.isZero() || claim.remaining.isNegative()) continue;
    const amount = claim.remaining.lessThan(left) ? claim.remaining : left;
    payments.push({ pledgeId: claim.pledgeId, amount });
    left = left.minus(amount);
  }
  return payments;
}
