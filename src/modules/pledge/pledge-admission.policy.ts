import type { DomainError } from '../../common/errors/domain-error.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { Money } from '../../common/money/money.js';
import type { EffectiveRulePack } from '../../config/rule-packs/rule-pack.js';
import { acceptsPledges } from '../campaign/campaign.state.js';
import { isFinancialProduct } from '../campaign/campaign.types.js';
import type { PledgeCampaign } from '../campaign/index.js';
import { RealNameRequiredError } from '../campaign/campaign.errors.js';
import { EmailNotVerifiedError } from '../identity/index.js';
import { ageInYears, shanghaiDate } from '../identity/id-numbers.js';
import { NotQualifiedError } from '../investor-classification/classification.errors.js';
import type { PledgeStanding } from '../investor-classification/classification.service.js';
import { privateOfferingAllowed } from '../investor-classification/limits.policy.js';
import { SpecialWarningStaleError } from '../risk-disclosure/risk-disclosure.errors.js';
import type { SpecialWarningText } from '../risk-disclosure/risk-disclosure.types.js';
import { checkLeadGate, LEAD_RULES, type LeadGate } from './campaign-leads.policy.js';
import type { PledgeEntity, PledgeEvidence } from './pledge.entity.js';
import type { CurrentAcknowledgements } from '../risk-disclosure/risk-disclosure.types.js';
import { CampaignNotOpenError, PledgeErrors } from './pledge.errors.js';
import { initialWindows, type PledgeWindows } from './pledge.state.js';

/** What the investor asked for. */
export interface PledgeAsk {
  amount: Money;
  rewardTierId?: string;
  /** CN-SUIT-11: the special written warning the investor was shown and accepts. */
  specialWarning?: { version: string; sha256: string };
}

export interface PledgerFacts {
  kind: 'PERSON' | 'ORGANIZATION';
  realNameVerified: boolean;
  /** Issue 13: an unverified e-mail cannot pledge. */
  emailVerified: boolean;
  /** YYYY-MM-DD from the resident ID number (persons). */
  birthDate: string | null;
}

/** Everything the decision needs, read before it (one read per module, in parallel). */
export interface AdmissionInputs {
  now: Date;
  pack: Pick<EffectiveRulePack, 'parameters' | 'currency'>;
  investor: PledgerFacts | null;
  campaign: PledgeCampaign | null;
  /** The tier asked for, when one was: null when the campaign has no such tier. */
  tier: { id: string; amount: string } | null;
  qualifiedNow: boolean;
  ask: PledgeAsk;
  /** Issue 15 (领投 + 跟投): where the pledger stands when the campaign has a lead, else null. */
  lead?: LeadGate | null;
  /**
   * The remaining decisions come from the modules that own them and may throw their own
   * refusals (acknowledgements: DISCLOSURE.*; standing: CLASSIFICATION.ASSESSMENT_*), so they are
   * taken in order, after the checks before them passed.
   */
  requireAcknowledgements: () => void;
  standing: () => PledgeStanding;
  /** The CN-SUIT-11 warning text for these levels, as the investor must be shown it. */
  specialWarningFor: (standing: PledgeStanding, campaign: PledgeCampaign) => SpecialWarningText;
}

/** What admission established. */
export interface Admitted {
  campaign: PledgeCampaign;
  standing: PledgeStanding;
  financial: boolean;
  windows: PledgeWindows;
  /** The warning accepted, when one was required (written with the pledge, CN-SUIT-16). */
  specialWarning: SpecialWarningText | null;
}

/**
 * The rule each refusal code enforces, for the audit trail of refusals (CONV-05). Codes not listed
 * are platform design decisions (D).
 */
export const REFUSAL_RULES: Readonly<Record<string, readonly string[]>> = {
  'IDENTITY.REAL_NAME_REQUIRED': ['PLAT-01'],
  'IDENTITY.UNDERAGE': ['PLAT-02'],
  'IDENTITY.EMAIL_NOT_VERIFIED': ['D: verified e-mail before pledging'],
  'CREDIT.MARKET_ACCESS_DENIED': ['PLAT-03'],
  'CAMPAIGN.NOT_OPEN': ['DESIGN §6', 'PLAT-03'],
  'CLASSIFICATION.NOT_QUALIFIED': ['CN-ECF-03', 'CN-ECF-02'],
  'CLASSIFICATION.ASSESSMENT_REQUIRED': ['PLAT-09', 'CN-SUIT-06'],
  'CLASSIFICATION.ASSESSMENT_EXPIRED': ['PLAT-09', 'CN-SUIT-18'],
  'DISCLOSURE.ACKNOWLEDGEMENT_REQUIRED': ['CN-ECF-10', 'CN-SUIT-15'],
  'DISCLOSURE.STALE_VERSION': ['CN-SUIT-11', 'CN-SUIT-16'],
  'SUITABILITY.SPECIAL_WARNING_REQUIRED': ['CN-SUIT-11', 'CN-SUIT-12(3)'],
  'SUITABILITY.BLOCKED': ['CN-SUIT-10', 'CN-SUIT-11(2)', 'CN-SUIT-12(5)'],
  'PLEDGE.LIMIT_EXCEEDED': ['INV-9', 'US-CF-02', 'US-CF-03'],
  'PLEDGE.HARD_CAP_EXCEEDED': ['INV-7'],
  'PLEDGE.INVESTOR_CAP_REACHED': ['INV-7', 'CN-ECF-04'],
  'PLEDGE.REWARD_SOLD_OUT': ['INV-7'],
  'PLEDGE.NOT_A_UNIT_MULTIPLE': ['CN-ECF-01 (whole units)'],
  'LEDGER.INSUFFICIENT_FUNDS': ['INV-5'],
  'CAMPAIGN.LEAD_REQUIRED': LEAD_RULES,
};

export function refusalRules(error: DomainError): readonly string[] {
  return REFUSAL_RULES[error.code] ?? ['D'];
}

/**
 * Every check of a pledge that only reads (DESIGN §6, rules-spec §2-§6), in a fixed order, as a
 * pure decision over what was read. What can change under concurrency (the rolling limit, caps,
 * stock, funds) is decided again inside the transaction.
 */
export function admitPledge(input: AdmissionInputs): Admitted {
  const { now, pack, investor, campaign, ask } = input;
  if (!investor?.realNameVerified) throw new RealNameRequiredError(); // PLAT-01
  if (!investor.emailVerified) throw new EmailNotVerifiedError(); // notices must reach them
  if (investor.birthDate) {
    const [y, m, d] = investor.birthDate.split('-').map(Number);
    if (
      ageInYears({ year: y, month: m, day: d }, shanghaiDate(now)) < pack.parameters.minimumAgeYears
    )
      throw PledgeErrors.underage(); // PLAT-02
  }
  if (!campaign) throw new NotFoundError('Campaign');
  if (!acceptsPledges(campaign.status) || campaign.deadline <= now)
    throw new CampaignNotOpenError(campaign.status);
  checkLeadGate(input.lead ?? null, campaign.currency); // issue 15: the lead first, then followers
  const financial = isFinancialProduct(campaign.kind);
  // CN-ECF-03: private offerings only for qualified investors, or a single pledge of 1,000,000+.
  if (
    campaign.offering === 'PRIVATE' &&
    !input.qualifiedNow &&
    !privateOfferingAllowed(pack, false, ask.amount)
  ) {
    throw new NotQualifiedError({ rule: 'CN-ECF-03', offering: 'PRIVATE' });
  }
  input.requireAcknowledgements(); // CN-ECF-10, CN-SUIT-15
  const standing = input.standing(); // PLAT-09, CN-SUIT-18
  const suitability = {
    riskLevel: standing.riskLevel,
    productRisk: campaign.riskRating,
    category: standing.category,
    lowestCategory: standing.lowestCategory,
    rules: ['CN-SUIT-09', 'CN-SUIT-11', 'CN-SUIT-12'],
  };
  if (standing.suitability === 'BLOCKED') throw PledgeErrors.blocked(suitability);
  let specialWarning: SpecialWarningText | null = null;
  if (standing.suitability === 'SPECIAL_WARNING_REQUIRED') {
    // CN-SUIT-11: shown first (in the refusal), then accepted by version and hash.
    const warning = input.specialWarningFor(standing, campaign);
    if (!ask.specialWarning) throw PledgeErrors.specialWarningRequired({ ...suitability, warning });
    if (
      ask.specialWarning.version !== warning.version ||
      ask.specialWarning.sha256 !== warning.sha256
    )
      throw new SpecialWarningStaleError(ask.specialWarning, warning);
    specialWarning = warning;
  }
  if (standing.limit.kind === 'NOT_ELIGIBLE' && !privateOfferingAllowed(pack, false, ask.amount)) {
    throw new NotQualifiedError({ rule: 'CN-ECF-03', offering: campaign.offering });
  }
  checkAmount(campaign, input.tier, ask);
  const windows = initialWindows(
    { professionalOrQualified: standing.category === 'PROFESSIONAL' || standing.qualified },
    { kind: campaign.kind, riskRating: campaign.riskRating },
    pack.parameters,
    now,
  );
  return { campaign, standing, financial, windows, specialWarning };
}

function checkAmount(
  campaign: PledgeCampaign,
  tier: AdmissionInputs['tier'],
  ask: PledgeAsk,
): void {
  const money = (v: string) => Money.fromDecimalString(v, campaign.currency);
  const amount = ask.amount;
  if (amount.lessThan(money(campaign.minPledge)))
    throw PledgeErrors.belowMinimum(campaign.minPledge);
  if (campaign.maxPledge !== null && amount.greaterThan(money(campaign.maxPledge)))
    throw PledgeErrors.aboveMaximum(campaign.maxPledge);
  if (campaign.unitPrice !== null && amount.fen % money(campaign.unitPrice).fen !== 0n)
    throw PledgeErrors.notUnitMultiple(campaign.unitPrice);
  if (!ask.rewardTierId) return; // a reward pledge without a tier is a plain contribution
  if (!tier) throw PledgeErrors.tierRequired();
  if (amount.lessThan(money(tier.amount))) throw PledgeErrors.belowMinimum(tier.amount);
}

/**
 * The evidence a pledge is written with (CONV-05): what admission decided and on which inputs,
 * the receipts of the disclosures acknowledged, the special warning accepted (CN-SUIT-11) and the
 * pledge's windows. The limit's use before the pledge is added by the statement that writes it.
 */
export function admissionEvidence(
  a: Admitted & { acknowledgements: CurrentAcknowledgements },
  draft: Pick<PledgeEntity, 'createdAt' | 'coolingOffEndsAt' | 'confirmationRequired'>,
  warning: { id: string; textVersion: string; textSha256: string } | null,
  windowDays: number,
): Omit<PledgeEvidence, 'usedBefore'> {
  const { standing, campaign } = a;
  return {
    rulePack: standing.rulePack,
    decidedAt: draft.createdAt.toISOString(),
    suitability: standing.suitability,
    category: standing.category,
    qualified: standing.qualified,
    riskLevel: standing.riskLevel,
    lowestCategory: standing.lowestCategory,
    productRisk: campaign.riskRating,
    assessmentId: standing.assessmentId ?? null,
    annualLimit:
      standing.limit.kind === 'LIMITED' ? standing.limit.amount.toString() : standing.limit.kind,
    limitInputs: standing.limitInputs ? { ...standing.limitInputs, windowDays } : null,
    platformAcknowledgementId: a.acknowledgements.platformReceiptId,
    campaignAcknowledgementId: a.acknowledgements.campaignReceiptId,
    leadMemoAcknowledgementId: a.acknowledgements.leadMemoReceiptId,
    specialWarningId: warning?.id ?? null,
    specialWarning: warning
      ? { id: warning.id, version: warning.textVersion, sha256: warning.textSha256 }
      : null,
    windows: {
      coolingOffEndsAt: draft.coolingOffEndsAt?.toISOString() ?? null,
      confirmationRequired: draft.confirmationRequired,
    },
    rules: ['PLAT-01', 'PLAT-03', 'PLAT-09', 'CN-SUIT-09', 'CN-ECF-03', 'CN-PF-06', 'CN-PF-10'],
  };
}
