import type { CampaignKind, CampaignOffering, RiskRating } from './campaign.types.js';
import { isFinancialProduct } from './campaign.types.js';

/**
 * CN-SUIT-20: the platform's default rating when ADMIN approves without one: private and public
 * equity R5, debt R4 (the top of CN-SUIT-20's R3-R4 band until the borrower and collateral are
 * assessed), reward and donation R1 (not financial products, never matched against a C level).
 */
export function defaultRiskRating(
  kind: CampaignKind,
  _offering: CampaignOffering | null,
): RiskRating {
  switch (kind) {
    case 'EQUITY':
      return 'R5';
    case 'DEBT':
      return 'R4';
    default:
      return 'R1';
  }
}

/**
 * The rating ADMIN sets at approval (CN-SUIT-08, CN-SUIT-20): theirs when given, else the default.
 * A reward or donation campaign is not a financial product: R1 only (null when ADMIN asked for
 * another, which the caller refuses).
 */
export function decideRating(
  kind: CampaignKind,
  offering: CampaignOffering | null,
  given: RiskRating | undefined,
): RiskRating | null {
  if (!isFinancialProduct(kind)) return given === undefined || given === 'R1' ? 'R1' : null;
  return given ?? defaultRiskRating(kind, offering);
}
