import { createHash } from 'node:crypto';
import { RULE_IDS } from './rule-ids.js';

/**
 * Rule packs (DESIGN §8, CONV-06): every number a rule uses, versioned, with the rule IDs each
 * parameter implements. Issues that add rules add their parameters here, never literals in services.
 */
export const RULE_PACK_IDS = ['CN', 'US_REGCF'] as const;
export type RulePackId = (typeof RULE_PACK_IDS)[number];

export interface RulePackParameters {
  /** PLAT-02 / US-CF-27: minimum age of a natural person on the transaction date. */
  minimumAgeYears: number;
  /** ID-RIC-03 platform policy: birth years before this are rejected. */
  minimumBirthYear: number;
  /** CN-PF-06: cooling-off period after a pledge's money is held. */
  coolingOffHours: number;
  /** CN-PF-07: how long after cooling-off a confirmation call may take before the pledge lapses (D). */
  confirmationCallTimeoutHours: number;
  /** US-CF-14 / CN-SUIT-14: window to reconfirm after a material change. */
  reconfirmationWindowHours: number;
  /** US-CF-12 / RW: no cancellation inside this many hours before the deadline. */
  rewardCancelCutoffHours: number;
  /**
   * US-CF-12: an ACTIVE equity or debt pledge may be cancelled until `rewardCancelCutoffHours`
   * before the deadline (US_REGCF). CN: no; once cooling-off and the call are over it binds
   * (CN-PF-06/08).
   */
  activeFinancialPledgeCancellable: boolean;
  /** CN-PF-07: equity and debt pledges get a confirmation call (回访) after cooling-off (US_REGCF: none). */
  confirmationCallRequired: boolean;
  /**
   * CN-PF-06/07, CN-PF-10: cooling-off and the call apply to every ordinary investor, persons and
   * organisations alike. Only PROFESSIONAL or QUALIFIED investors may be excused, and only when
   * the pack says so; R4/R5 products always get the call (CN-SUIT-13).
   */
  professionalCoolingOffExempt: boolean;
  professionalConfirmationCallExempt: boolean;
  /** CAV-02: a PUBLIC equity raise needs CSRC authorisation (CN: not held, so refused at submit). */
  publicEquityAllowed: boolean;
  /** INV-9: the rolling window of the per-investor limit (US-CF-02 "12-month period"). */
  limitWindowDays: number;
  /** CN-SUIT-18 / CN-PF-05: validity of a risk assessment. */
  assessmentValidityDays: number;
  /** US-CF-10 / RW-04: campaign length bounds. */
  minCampaignDurationHours: number;
  maxCampaignDurationDays: number;
  /** How long an approved qualified-investor status lasts (D). */
  qualificationValidityDays: number;
  /** CN model (D, pending local sign-off): ordinary investors in PUBLIC offerings may commit
   * min(cap, max(floor, rate x max(annualIncome, financialAssets))) per rolling 12 months. */
  publicAnnualLimitFloor: number;
  publicAnnualLimitCap: number;
  publicAnnualLimitRate: number;
  /** CN-ECF-03(2): a single pledge of at least this makes a PRIVATE offering open to anyone. */
  privateSinglePledgeMinimum: number;
  /** CN-ECF-03(5) / CN-PF-01: a natural person is qualified with financial assets >= X or income >= Y. */
  qualifiedPersonFinancialAssets: number;
  qualifiedPersonAnnualIncome: number;
  /** CN-ECF-03(4) / CN-PF-01: an organisation is qualified with net assets >= X. */
  qualifiedOrganizationNetAssets: number;
  /** CN-SUIT-04(b): a natural person may opt up to professional. */
  professionalPersonFinancialAssets: number;
  professionalPersonAnnualIncome: number;
  professionalPersonExperienceYears: number;
  /** CN-SUIT-04(a): an organisation may opt up to professional. */
  professionalOrganizationNetAssets: number;
  professionalOrganizationFinancialAssets: number;
  professionalOrganizationExperienceYears: number;
  /** Platform fee by campaign kind, a fraction of gross, rounded half-up to the fen at settlement (D). */
  feeRateEquity: number;
  feeRateDebt: number;
  feeRateReward: number;
  feeRateDonation: number;
  /** RW-03: the share of a reward campaign's net kept in escrow until delivery (rounded half-up). */
  rewardHoldbackRate: number;
  /** RW-03: the holdback is released this many days after the end of the stated delivery month. */
  holdbackReleaseDays: number;
  /** PLAT-08: a charity files a fund-use report within this many days of settlement. */
  charityReportDueDays: number;
  /** CN-ECF-07 (issue 15): an issuer files its annual report within this many days of year end. */
  issuerAnnualReportDueDays: number;
  /** Issue 15 (领投): the share of the target a campaign's lead commits before followers pledge. */
  leadMinShare: number;
  /** Issue 15: tax withheld from each holder's distribution (CN: 20 % on dividends), half-up. */
  distributionWithholdingRate: number;
  /** CN-ECF-04 / CN-PF-03: investors in one private offering, at most. */
  privateInvestorCap: number;
  /** US-CF-02/03 (17 CFR 227.100(a)(2)): the greater-of test. */
  usLimitThreshold: number;
  usLimitFloor: number;
  usLimitLowRate: number;
  usLimitHighRate: number;
  usLimitCap: number;
  /** CN-P2P-02 (issue 14): the highest annual rate a loan may carry, and the hard stop above it. */
  maxAnnualRate: number;
  hardStopAnnualRate: number;
  /** CN-P2P-02: outstanding-principal caps per borrower, on this platform and across platforms. */
  borrowerCapPersonHere: number;
  borrowerCapPersonAll: number;
  borrowerCapOrganizationHere: number;
  borrowerCapOrganizationAll: number;
  /** Longest loan term in months (D, CN-P2P-05(6): no term splitting, so one loan, one term). */
  maxLoanTermMonths: number;
  /** Longest grace period after a due date before an instalment is OVERDUE (D). */
  maxGraceDays: number;
  /** Day-count basis for penalty and early-payoff interest: 365 = ACT/365, 360 = ACT/360. */
  dayCountBasis: number;
  /** Days after an instalment's due date until the loan is DEFAULTED (PLAT-03 credit record). */
  defaultAfterDays: number;
  /** Platform service fee: a fraction of the interest and penalty the lenders receive (D). */
  lendingServiceFeeRate: number;
  /** Early payoff: remaining principal x this rate is paid to the lenders as compensation (D). */
  earlyRepaymentFeeRate: number;
}

export type ParameterName = keyof RulePackParameters;

/** The parameters that are switches (true/false), not numbers. */
export const BOOLEAN_PARAMETERS = new Set<ParameterName>([
  'activeFinancialPledgeCancellable',
  'confirmationCallRequired',
  'professionalCoolingOffExempt',
  'professionalConfirmationCallExempt',
  'publicEquityAllowed',
]);

/** Which per-investor limit formula the pack applies. */
export type LimitModel = 'CN_PUBLIC' | 'US_REGCF';

export interface RulePack {
  id: RulePackId;
  limitModel: LimitModel;
  version: string;
  effectiveFrom: string;
  /** Platform currency (ISO 4217); no code hard-codes one. */
  currency: string;
  parameters: RulePackParameters;
  /** Which rule IDs each parameter implements (for evidence and review). */
  ruleIds: Record<ParameterName, readonly string[]>;
}

/** Debt-crowdfunding parameters (issue 14), the same in both packs unless a pack says otherwise. */
const LENDING_DEFAULTS = {
  maxAnnualRate: 0.24,
  hardStopAnnualRate: 0.36,
  borrowerCapPersonHere: 200_000,
  borrowerCapPersonAll: 1_000_000,
  borrowerCapOrganizationHere: 1_000_000,
  borrowerCapOrganizationAll: 5_000_000,
  maxLoanTermMonths: 60,
  maxGraceDays: 30,
  dayCountBasis: 365,
  defaultAfterDays: 90,
  lendingServiceFeeRate: 0.1,
  earlyRepaymentFeeRate: 0.01,
};

/** Classification thresholds shared by both packs (each pack applies its own limit model). */
const CLASSIFICATION_DEFAULTS = {
  qualificationValidityDays: 365,
  publicAnnualLimitFloor: 20_000,
  publicAnnualLimitCap: 500_000,
  publicAnnualLimitRate: 0.1,
  privateSinglePledgeMinimum: 1_000_000,
  qualifiedPersonFinancialAssets: 3_000_000,
  qualifiedPersonAnnualIncome: 500_000,
  qualifiedOrganizationNetAssets: 10_000_000,
  professionalPersonFinancialAssets: 3_000_000,
  professionalPersonAnnualIncome: 300_000,
  professionalPersonExperienceYears: 1,
  professionalOrganizationNetAssets: 10_000_000,
  professionalOrganizationFinancialAssets: 5_000_000,
  professionalOrganizationExperienceYears: 1,
  feeRateEquity: 0.05,
  feeRateDebt: 0.03,
  feeRateReward: 0.05,
  feeRateDonation: 0,
  rewardHoldbackRate: 0.2,
  holdbackReleaseDays: 30,
  charityReportDueDays: 90,
  issuerAnnualReportDueDays: 120,
  leadMinShare: 0.1,
  privateInvestorCap: 200,
  usLimitThreshold: 124_000,
  usLimitFloor: 2_500,
  usLimitLowRate: 0.05,
  usLimitHighRate: 0.1,
  usLimitCap: 124_000,
};

export const CN_PACK: RulePack = {
  id: 'CN',
  limitModel: 'CN_PUBLIC',
  version: '2026.1',
  effectiveFrom: '2026-01-01T00:00:00Z',
  currency: 'CNY',
  parameters: {
    minimumAgeYears: 18,
    minimumBirthYear: 1900,
    coolingOffHours: 24,
    confirmationCallTimeoutHours: 72,
    reconfirmationWindowHours: 120,
    rewardCancelCutoffHours: 48,
    activeFinancialPledgeCancellable: false,
    confirmationCallRequired: true,
    professionalCoolingOffExempt: false,
    professionalConfirmationCallExempt: true,
    publicEquityAllowed: false,
    limitWindowDays: 365,
    assessmentValidityDays: 1095,
    minCampaignDurationHours: 24,
    maxCampaignDurationDays: 60,
    distributionWithholdingRate: 0.2,
    ...CLASSIFICATION_DEFAULTS,
    ...LENDING_DEFAULTS,
  },
  ruleIds: RULE_IDS,
};

export const US_REGCF_PACK: RulePack = {
  id: 'US_REGCF',
  limitModel: 'US_REGCF',
  version: '2022.9',
  effectiveFrom: '2022-09-18T00:00:00Z',
  currency: 'USD',
  parameters: {
    minimumAgeYears: 18,
    minimumBirthYear: 1900,
    coolingOffHours: 0,
    confirmationCallTimeoutHours: 0,
    reconfirmationWindowHours: 120,
    rewardCancelCutoffHours: 48,
    activeFinancialPledgeCancellable: true,
    confirmationCallRequired: false,
    professionalCoolingOffExempt: true,
    professionalConfirmationCallExempt: true,
    publicEquityAllowed: true,
    limitWindowDays: 365,
    assessmentValidityDays: 730,
    minCampaignDurationHours: 21 * 24,
    maxCampaignDurationDays: 365,
    distributionWithholdingRate: 0,
    ...CLASSIFICATION_DEFAULTS,
    ...LENDING_DEFAULTS,
  },
  ruleIds: RULE_IDS,
};

const PACKS: Record<RulePackId, RulePack> = { CN: CN_PACK, US_REGCF: US_REGCF_PACK };

/** The pack as published, before operator overrides. */
export function basePack(id: RulePackId): RulePack {
  return PACKS[id];
}

/** The pack in force: the base pack plus operator overrides, named `id@version+<hash>`. */
export interface EffectiveRulePack extends RulePack {
  effectiveId: string;
  overrides: Partial<RulePackParameters>;
}

export class RulePackOverrideError extends Error {}

/** Parameters that are amounts of money: an override must be a whole number of fen. */
const AMOUNT_PARAMETERS = new Set<ParameterName>([
  'publicAnnualLimitFloor',
  'publicAnnualLimitCap',
  'privateSinglePledgeMinimum',
  'qualifiedPersonFinancialAssets',
  'qualifiedPersonAnnualIncome',
  'qualifiedOrganizationNetAssets',
  'professionalPersonFinancialAssets',
  'professionalPersonAnnualIncome',
  'professionalOrganizationNetAssets',
  'professionalOrganizationFinancialAssets',
  'usLimitThreshold',
  'usLimitFloor',
  'usLimitCap',
  'borrowerCapPersonHere',
  'borrowerCapPersonAll',
  'borrowerCapOrganizationHere',
  'borrowerCapOrganizationAll',
]);

const AMOUNT_FORMAT = /^(0|[1-9]\d{0,15})(\.\d{1,2})?$/;

/** Parses RULE_PACK_OVERRIDES; unknown names or bad values are errors that stop the service. */
export function parseOverrides(json: string | undefined): Partial<RulePackParameters> {
  if (json === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new RulePackOverrideError('RULE_PACK_OVERRIDES is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RulePackOverrideError(
      'RULE_PACK_OVERRIDES must be a JSON object of parameter name to value',
    );
  }
  const known = new Set<string>(Object.keys(RULE_IDS));
  const overrides: Partial<RulePackParameters> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (!known.has(name))
      throw new RulePackOverrideError(`RULE_PACK_OVERRIDES: unknown parameter "${name}"`);
    if (BOOLEAN_PARAMETERS.has(name as ParameterName)) {
      if (typeof value !== 'boolean')
        throw new RulePackOverrideError(`RULE_PACK_OVERRIDES: "${name}" must be true or false`);
      (overrides as Record<string, unknown>)[name] = value;
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RulePackOverrideError(
        `RULE_PACK_OVERRIDES: "${name}" must be a non-negative number`,
      );
    }
    if (name === 'rewardHoldbackRate' && value > 1) {
      throw new RulePackOverrideError('RULE_PACK_OVERRIDES: "rewardHoldbackRate" is at most 1');
    }
    if (name === 'leadMinShare' && (value <= 0 || value > 1)) {
      throw new RulePackOverrideError('RULE_PACK_OVERRIDES: "leadMinShare" is above 0, at most 1');
    }
    if (name === 'distributionWithholdingRate' && value >= 1) {
      throw new RulePackOverrideError(
        'RULE_PACK_OVERRIDES: "distributionWithholdingRate" is below 1',
      );
    }
    if (AMOUNT_PARAMETERS.has(name as ParameterName) && !AMOUNT_FORMAT.test(String(value))) {
      throw new RulePackOverrideError(
        `RULE_PACK_OVERRIDES: "${name}" is an amount: at most 16 digits and 2 decimals`,
      );
    }
    (overrides as Record<string, unknown>)[name] = value;
  }
  return overrides;
}

export function resolveRulePack(id: RulePackId, overridesJson?: string): EffectiveRulePack {
  const base = PACKS[id];
  const overrides = parseOverrides(overridesJson);
  const names = Object.keys(overrides).sort();
  const suffix =
    names.length === 0
      ? ''
      : '+' +
        createHash('sha256')
          .update(JSON.stringify(names.map((n) => [n, overrides[n as ParameterName]])))
          .digest('hex')
          .slice(0, 12);
  return {
    ...base,
    parameters: { ...base.parameters, ...overrides },
    overrides,
    effectiveId: `${base.id}@${base.version}${suffix}`,
  };
}
