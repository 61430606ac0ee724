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
