import { Money } from '../../common/money/money.js';

export interface HolderUnits {
  investorId: string;
  /** Whole units, as the register keeps them (bigint text). */
  units: string;
}

export interface HolderPayment {
  investorId: string;
  units: string;
  gross: Money;
  tax: Money;
  net: Money;
}

/**
 * Issue 15: a distribution split to holders pro rata to units with the largest-remainder method
 * (`Money.allocate`), so the gross shares add up to the amount exactly; from each share the
 * withholding tax is `gross x rate`, rounded half-up to the fen, and the holder receives the rest.
 * So sum(net) + sum(tax) = amount, to the fen, whatever the units and the rate.
 */
export function splitDistribution(
  amount: Money,
  holders: readonly HolderUnits[],
  withholdingRate: string,
): HolderPayment[] {
  const owners = holders.filter((h) => BigInt(h.units) > 0n);
  if (owners.length === 0) throw new RangeError('a distribution needs at least one holder');
  const gross = amount.allocate(owners.map((h) => h.units));
  return owners.map((h, i) => {
    const tax = gross[i].times(withholdingRate, 'HALF_UP');
    return {
      investorId: h.investorId,
      units: h.units,
      gross: gross[i],
      tax,
      net: gross[i].minus(tax),
    };
  });
}

/** A payment with the lead's carry taken from it (issue 15): gross = tax + carry + net. */
export interface CarriedPayment extends HolderPayment {
  carry: Money;
}

export interface LeadCarry {
  leadInvestorId: string;
  /** The lead's share of each follower's profit, e.g. "0.2000". */
  rate: string;
}

/** What a follower had from the campaign before this distribution: cost, and what it received. */
export interface FollowerHistory {
  cost: Money;
  /** Sum over earlier distributions of gross - tax (what the follower had after tax, carry included). */
  receivedBefore: Money;
}

/**
 * Issue 15 (领投 + 跟投): the lead's carry, a share of each follower's profit. A follower's profit is
 * what they have received after tax beyond their cost (capital comes back first), so the carry on
 * this distribution is `rate x (profit after it - profit before it)`, rounded down to the fen (in
 * the follower's favour). The lead's own payment carries nothing. Exact: sum(net) + sum(carry) +
 * sum(tax) = amount.
 */
export function applyCarry(
  payments: readonly HolderPayment[],
  lead: LeadCarry | null,
  history: (investorId: string) => FollowerHistory,
): CarriedPayment[] {
  return payments.map((p) => {
    const zero = Money.zero(p.net.currency);
    if (!lead || p.investorId === lead.leadInvestorId || p.net.isZero())
      return { ...p, carry: zero };
    const { cost, receivedBefore } = history(p.investorId);
    const profit = (received: Money): Money => {
      const over = received.minus(cost);
      return over.isNegative() ? zero : over;
    };
    const newProfit = profit(receivedBefore.plus(p.net)).minus(profit(receivedBefore));
    const carry = newProfit.times(lead.rate, 'DOWN');
    return { ...p, carry, net: p.net.minus(carry) };
  });
}
