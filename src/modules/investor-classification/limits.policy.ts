import { Money } from '../../common/money/money.js';
import type { RulePack, RulePackParameters } from '../../config/rule-packs/rule-pack.js';
import type { InvestorCategory, Offering } from './classification.types.js';

/**
 * Per-investor rolling-12-month investment limits (rules-spec §10 US-CF-02..04; CN public-offering
 * model, D). Pure functions over Money: percentages are rounded DOWN to the minor unit because they
 * cap what an investor may invest (CONV-01), and every number comes from the rule pack (CONV-06).
 */

export type LimitPack = Pick<RulePack, 'limitModel' | 'currency' | 'parameters'>;

export type AnnualLimit =
  { kind: 'UNLIMITED' } | { kind: 'LIMITED'; amount: Money } | { kind: 'NOT_ELIGIBLE' };

export interface LimitInvestor {
  category: InvestorCategory;
  /** CN-ECF-03(1)/(5), CN-PF-01: qualified investor status. */
  qualified: boolean;
  /** US-CF-04: accredited investor status (US_REGCF packs). */
  accredited?: boolean;
  /** All three in the pack's currency (US-CF-05: net worth excludes the primary residence). */
  annualIncome: Money;
  financialAssets: Money;
  netWorth: Money;
}

export class LimitParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitParameterError';
  }
}

type AmountParameter =
  | 'publicAnnualLimitFloor'
  | 'publicAnnualLimitCap'
  | 'privateSinglePledgeMinimum'
  | 'usLimitThreshold'
  | 'usLimitFloor'
  | 'usLimitCap';
type RateParameter = 'publicAnnualLimitRate' | 'usLimitLowRate' | 'usLimitHighRate';

/**
 * A pack amount as Money. Pack numbers are whole units (or at most 2 decimals); anything that does
 * not print as a plain wire amount (negative, NaN, exponent form, 3+ decimals) is a pack error.
 */
function amountParameter(
  pack: Pick<RulePack, 'currency' | 'parameters'>,
  name: AmountParameter,
): Money {
  const value = pack.parameters[name];
  const text = String(value);
  if (!Number.isFinite(value) || !Money.isWireAmount(text, { allowZero: true })) {
    throw new LimitParameterError(
      `rule-pack parameter ${name} must be a non-negative amount with at most 2 decimals, got ${text}`,
    );
  }
  return Money.parse(text, pack.currency, { allowZero: true });
}

/** A pack rate as an exact decimal string for Money.times (never multiplied as a JS number). */
function rateParameter(parameters: RulePackParameters, name: RateParameter): string {
  const value = parameters[name];
  if (!Number.isFinite(value) || value < 0) {
    throw new LimitParameterError(`rule-pack parameter ${name} must be a non-negative rate`);
  }
  return String(value);
}

function maxMoney(a: Money, b: Money): Money {
  return a.compare(b) >= 0 ? a : b;
}

function minMoney(a: Money, b: Money): Money {
  return a.compare(b) <= 0 ? a : b;
}

/**
 * The investor's annual (rolling 12 months) limit under the pack's limit model.
 *
 * CN_PUBLIC (D, pending local sign-off): professional or qualified investors are unlimited; an
 * ordinary non-qualified investor may commit min(cap, max(floor, rate x max(annualIncome,
 * financialAssets))) in PUBLIC offerings, and is NOT_ELIGIBLE for PRIVATE ones (CN-ECF-02/03),
 * except through a single large pledge: see `privateOfferingAllowed` (CN-ECF-03(2)).
 *
 * US_REGCF (17 CFR 227.100(a)(2)): accredited investors (and professional/qualified ones) are
 * unlimited (US-CF-04). Otherwise, if income OR net worth is below the threshold:
 * max(floor, lowRate x max(income, net worth)); if BOTH are >= the threshold (inclusive):
 * min(highRate x max(income, net worth), cap) (US-CF-02); either way never above the cap
 * (US-CF-03). The offering type does not matter here.
 */
export function annualLimit(
  pack: LimitPack,
  investor: LimitInvestor,
  offering: Offering,
): AnnualLimit {
  const p = pack.parameters;
  const unlimited = investor.category === 'PROFESSIONAL' || investor.qualified;
  switch (pack.limitModel) {
    case 'CN_PUBLIC': {
      if (unlimited) return { kind: 'UNLIMITED' };
      if (offering === 'PRIVATE') return { kind: 'NOT_ELIGIBLE' };
      const base = maxMoney(investor.annualIncome, investor.financialAssets);
      const percentage = base.times(rateParameter(p, 'publicAnnualLimitRate'), 'DOWN'); // CONV-01
      const floored = maxMoney(amountParameter(pack, 'publicAnnualLimitFloor'), percentage);
      return {
        kind: 'LIMITED',
        amount: minMoney(amountParameter(pack, 'publicAnnualLimitCap'), floored),
      };
    }
    case 'US_REGCF': {
      if (unlimited || investor.accredited === true) return { kind: 'UNLIMITED' }; // US-CF-04
      const threshold = amountParameter(pack, 'usLimitThreshold');
      const cap = amountParameter(pack, 'usLimitCap');
      const base = maxMoney(investor.annualIncome, investor.netWorth);
      const eitherBelow =
        investor.annualIncome.lessThan(threshold) || investor.netWorth.lessThan(threshold);
      const branch = eitherBelow
        ? maxMoney(
            amountParameter(pack, 'usLimitFloor'),
            base.times(rateParameter(p, 'usLimitLowRate'), 'DOWN'),
          )
        : minMoney(base.times(rateParameter(p, 'usLimitHighRate'), 'DOWN'), cap);
      return { kind: 'LIMITED', amount: minMoney(branch, cap) }; // US-CF-03
    }
    default: {
      const unknown: never = pack.limitModel;
      throw new LimitParameterError(`unknown limit model ${String(unknown)}`);
    }
  }
}

/**
 * CN-ECF-03: a PRIVATE offering is open to a qualified or professional investor (CN-ECF-03(1)/(5)),
 * or to anyone whose single pledge to this project is >= privateSinglePledgeMinimum
 * (CN-ECF-03(2), inclusive).
 */
export function privateOfferingAllowed(
  pack: Pick<RulePack, 'currency' | 'parameters'>,
  qualifiedOrProfessional: boolean,
  pledgeAmount: Money,
): boolean {
  if (qualifiedOrProfessional) return true;
  return pledgeAmount.compare(amountParameter(pack, 'privateSinglePledgeMinimum')) >= 0;
}

/**
 * Capacity left in the rolling 12 months (US-CF-02 "limit - amounts bought in the prior 12
 * months"), never below zero; NOT_ELIGIBLE leaves zero.
 */
export function remaining(limit: AnnualLimit, usedLast12Months: Money): Money | 'UNLIMITED' {
  switch (limit.kind) {
    case 'UNLIMITED':
      return 'UNLIMITED';
    case 'NOT_ELIGIBLE':
      return Money.zero(usedLast12Months.currency);
    case 'LIMITED': {
      const left = limit.amount.minus(usedLast12Months);
      return left.isNegative() ? Money.zero(left.currency) : left;
    }
  }
}
