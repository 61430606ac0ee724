/** The vocabulary of risk disclosure (CN-ECF-10, CN-SUIT-11, CN-SUIT-15, CN-SUIT-16). */
/**
 * PLATFORM: the general 风险揭示书; CAMPAIGN: a campaign's disclosure; LEAD_MEMO: the lead
 * investor's due-diligence note on a campaign (issue 15, 领投), acknowledged like any disclosure.
 */
export const DISCLOSURE_SCOPES = ['PLATFORM', 'CAMPAIGN', 'LEAD_MEMO'] as const;
/** The scopes that belong to one campaign. */
export type CampaignDisclosureScope = Exclude<DisclosureScope, 'PLATFORM'>;
export type DisclosureScope = (typeof DISCLOSURE_SCOPES)[number];

/** The campaign kinds, restated here so that this module does not import the campaign module. */
export const DISCLOSURE_CAMPAIGN_KINDS = ['EQUITY', 'DEBT', 'REWARD', 'DONATION'] as const;
export type DisclosureCampaignKind = (typeof DISCLOSURE_CAMPAIGN_KINDS)[number];

/** Investor risk tolerance C1..C5 (CN-SUIT-07) and product risk R1..R5 (CN-SUIT-08). */
export const INVESTOR_RISK_LEVELS = ['C1', 'C2', 'C3', 'C4', 'C5'] as const;
export type InvestorRiskLevel = (typeof INVESTOR_RISK_LEVELS)[number];
export const PRODUCT_RISK_LEVELS = ['R1', 'R2', 'R3', 'R4', 'R5'] as const;
export type ProductRiskLevel = (typeof PRODUCT_RISK_LEVELS)[number];

/** Electronic traces kept with a confirmation (CN-SUIT-16). Personal data: never logged. */
export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

/** User agents longer than this are truncated before they are stored. */
export const USER_AGENT_MAX_LENGTH = 500;

export interface DisclosureInput {
  title: string;
  body: string;
  material: boolean;
}

export interface PlatformDisclosureView {
  version: number;
  title: string;
  sha256: string;
  body: string;
}

export interface CampaignDisclosureView {
  version: number;
  title: string;
  sha256: string;
  body: string;
  material: boolean;
  publishedAt: string;
}

/** What an investor gets back for an acknowledgement: the proof of which exact text they accepted. */
export interface AcknowledgementReceipt {
  id: string;
  version: number;
  documentSha256: string;
  acknowledgedAt: string;
}

export interface AcknowledgementView extends AcknowledgementReceipt {
  scope: DisclosureScope;
  /** null for the platform disclosure. */
  campaignId: string | null;
  /** Whether the acknowledged version is still the document's current version. */
  current: boolean;
}

/** One disclosure that still needs the investor's acknowledgement. */
export interface MissingAcknowledgement {
  scope: DisclosureScope;
  campaignId: string | null;
  /** null when the campaign has not published a disclosure yet. */
  currentVersion: number | null;
  currentSha256: string | null;
}

export interface CurrentAcknowledgements {
  platformReceiptId: string;
  campaignReceiptId: string;
  /** The lead's memo acknowledged, when the campaign has one and the pledger is not the lead. */
  leadMemoReceiptId: string | null;
}

export interface SpecialWarningView {
  id: string;
  userId: string;
  campaignId: string;
  investorLevel: InvestorRiskLevel;
  productLevel: ProductRiskLevel;
  textVersion: string;
  textSha256: string;
  /** The exact words confirmed, re-rendered from the versioned template. */
  text: string;
  acceptedAt: string;
}

/** CN-SUIT-11: the special written warning exactly as an investor must be shown it. */
export interface SpecialWarningText {
  version: string;
  sha256: string;
  text: string;
  investorLevel: InvestorRiskLevel;
  productLevel: ProductRiskLevel;
}

/** One acknowledgement as evidence (CN-SUIT-16): what was acknowledged, which version, when. */
export interface AcknowledgementEvidence {
  id: string;
  kind: DisclosureScope;
  campaignId: string | null;
  version: number;
  documentSha256: string;
  acknowledgedAt: string;
}

/** Emitted after commit when a campaign publishes a material disclosure version. */
export interface MaterialDisclosureChange {
  campaignId: string;
  version: number;
  publishedAt: Date;
}
