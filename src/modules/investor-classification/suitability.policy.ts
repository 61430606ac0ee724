import type {
  InvestorCategory,
  ProductRisk,
  RiskLevel,
  SuitabilityOutcome,
} from './classification.types.js';

/**
 * The rules behind each suitability outcome (rules-spec §4), for evidence records:
 * - MATCH: CN-SUIT-09 direct-match table (`professional or R <= C`).
 * - SPECIAL_WARNING_REQUIRED: CN-SUIT-11 (an ordinary investor insists on R > C; a signed special
 *   written risk warning is required first) and CN-SUIT-12(3) (the firm must not push it).
 * - BLOCKED: CN-SUIT-10 (lowest-risk-tolerance category), CN-SUIT-11(2) and CN-SUIT-12(5) (no
 *   product above their tolerance, no override).
 */
export const SUITABILITY_RULE_IDS: Readonly<Record<SuitabilityOutcome, readonly string[]>> =
  Object.freeze({
    MATCH: Object.freeze(['CN-SUIT-09']),
    SPECIAL_WARNING_REQUIRED: Object.freeze(['CN-SUIT-11', 'CN-SUIT-12(3)']),
    BLOCKED: Object.freeze(['CN-SUIT-10', 'CN-SUIT-11(2)', 'CN-SUIT-12(5)']),
  });

export interface SuitabilityInvestor {
  category: InvestorCategory;
  riskLevel: RiskLevel;
  /** CN-SUIT-10: the lowest-risk-tolerance flag on top of C1 (`C1_LOWEST`). */
  lowestCategory: boolean;
}

/** 'C3' -> 3, 'R5' -> 5 (CN-SUIT-07 / CN-SUIT-08 levels are ordered by their number). */
function levelNumber(level: RiskLevel | ProductRisk): number {
  return Number(level.slice(1));
}

/**
 * CN-SUIT-09/11/12: whether an investor may buy a product of the given risk rating.
 * - Professional investors match every R (CN-SUIT-09, not further graded).
 * - A lowest-category investor matches R1 only and is hard-blocked above it, whatever C level the
 *   record carries (CN-SUIT-09 "C1-lowest -> R1 only, ever"; CN-SUIT-11(2); CN-SUIT-12(5)).
 * - Any other ordinary investor matches when R <= C; above that the sale needs the CN-SUIT-11
 *   special written risk warning, signed by the investor.
 */
export function decideSuitability(
  investor: SuitabilityInvestor,
  productRisk: ProductRisk,
): SuitabilityOutcome {
  if (investor.category === 'PROFESSIONAL') return 'MATCH';
  const r = levelNumber(productRisk);
  if (investor.lowestCategory) return r <= 1 ? 'MATCH' : 'BLOCKED';
  return r <= levelNumber(investor.riskLevel) ? 'MATCH' : 'SPECIAL_WARNING_REQUIRED';
}
