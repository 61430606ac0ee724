/** The vocabulary of investor classification (rules-spec §4). */
export const RISK_LEVELS = ['C1', 'C2', 'C3', 'C4', 'C5'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Product risk ratings R1 (low) .. R5 (high), CN-SUIT-08. */
export const PRODUCT_RISKS = ['R1', 'R2', 'R3', 'R4', 'R5'] as const;
export type ProductRisk = (typeof PRODUCT_RISKS)[number];

export type InvestorCategory = 'PROFESSIONAL' | 'ORDINARY';
export type Offering = 'PUBLIC' | 'PRIVATE';

/** CN-SUIT-09/11/12 outcome for one investor and one product. */
export type SuitabilityOutcome = 'MATCH' | 'SPECIAL_WARNING_REQUIRED' | 'BLOCKED';

export interface InvestorFinancials {
  /** Decimal strings (DESIGN §3). */
  annualIncome: string;
  financialAssets: string;
  netWorth: string;
  investmentExperienceYears: number;
}
