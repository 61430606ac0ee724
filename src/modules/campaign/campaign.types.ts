export const CAMPAIGN_KINDS = ['EQUITY', 'DEBT', 'REWARD', 'DONATION'] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];
export const OFFERINGS = ['PUBLIC', 'PRIVATE'] as const;
export type CampaignOffering = (typeof OFFERINGS)[number];
export const FUNDING_MODELS = ['ALL_OR_NOTHING', 'FLEXIBLE'] as const;
export type FundingModel = (typeof FUNDING_MODELS)[number];
export const RISK_RATINGS = ['R1', 'R2', 'R3', 'R4', 'R5'] as const;
export type RiskRating = (typeof RISK_RATINGS)[number];

/** Equity and debt are financial products (PLAT-09): suitability, real-name-only details. */
export const isFinancialProduct = (kind: CampaignKind): boolean =>
  kind === 'EQUITY' || kind === 'DEBT';
