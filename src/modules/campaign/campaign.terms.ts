import type { FieldProblem } from '../../common/errors/domain-error.js';
import { Money } from '../../common/money/money.js';
import type { RulePack } from '../../config/rule-packs/rule-pack.js';
import type { CampaignKind, CampaignOffering, FundingModel, RiskRating } from './campaign.types.js';
import { isFinancialProduct } from './campaign.types.js';

/** A campaign's terms as the founder states them (wire strings for money and time). */
export interface CampaignTermsInput {
  kind: CampaignKind;
  offering?: CampaignOffering | null;
  fundingModel: FundingModel;
  title: string;
  summary: string;
  targetAmount: string;
  maxAmount: string;
  minPledge: string;
  maxPledge?: string | null;
  unitPrice?: string | null;
  deadline: string;
  riskRating?: RiskRating | null;
  investorCap?: number | null;
  rewardTiers?: { title: string; amount: string; stock: number }[];
}

/** The terms after validation, with defaults applied. */
export interface CampaignTerms {
  kind: CampaignKind;
  offering: CampaignOffering | null;
  fundingModel: FundingModel;
  title: string;
  summary: string;
  targetAmount: Money;
  maxAmount: Money;
  minPledge: Money;
  maxPledge: Money | null;
  unitPrice: Money | null;
  deadline: Date;
  /** The founder's proposal; the platform sets the rating at approval (CN-SUIT-08/20). */
  proposedRiskRating: RiskRating | null;
  investorCap: number | null;
  feeRate: number;
  rewardTiers: { title: string; amount: Money; stock: number }[];
}

const FEE_PARAMETER: Record<
  CampaignKind,
  'feeRateEquity' | 'feeRateDebt' | 'feeRateReward' | 'feeRateDonation'
> = {
  EQUITY: 'feeRateEquity',
  DEBT: 'feeRateDebt',
  REWARD: 'feeRateReward',
  DONATION: 'feeRateDonation',
};

/**
 * Checks a campaign's terms against each other, the rule pack and the clock. Returns every problem
 * (one per field) so the founder can fix them all at once.
 */
export function validateTerms(
  input: CampaignTermsInput,
  pack: Pick<RulePack, 'currency' | 'parameters'>,
  now: Date,
): { terms: CampaignTerms } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const problem = (field: string, text: string) => problems.push({ field, problems: [text] });
  const money = (field: string, text: string | null | undefined): Money | null => {
    if (text === null || text === undefined) return null;
    try {
      return Money.parse(text, pack.currency);
    } catch {
      problem(field, `${field} must be a decimal string greater than zero with at most 2 decimals`);
      return null;
    }
  };
  const financial = isFinancialProduct(input.kind);
  const p = pack.parameters;

  // Offering and funding model (CN-ECF-01, RW-01..03).
  let offering: CampaignOffering | null = input.offering ?? null;
  if (financial && !offering)
    problem('offering', 'offering (PUBLIC or PRIVATE) is required for equity and debt');
  if (!financial && offering) problem('offering', 'offering applies only to equity and debt');
  if (!financial) offering = null;
  if (input.fundingModel === 'FLEXIBLE' && financial) {
    problem('fundingModel', 'FLEXIBLE funding is only for reward and donation campaigns (RW-03)');
  }

  // Amounts.
  const target = money('targetAmount', input.targetAmount);
  const max = money('maxAmount', input.maxAmount);
  const minPledge = money('minPledge', input.minPledge);
  const maxPledge = money('maxPledge', input.maxPledge);
  const unitPrice = money('unitPrice', input.unitPrice);
  if (target && max && max.lessThan(target))
    problem('maxAmount', 'maxAmount (the hard cap) must be at least targetAmount');
  if (minPledge && max && minPledge.greaterThan(max))
    problem('minPledge', 'minPledge must not exceed maxAmount');
  if (maxPledge && minPledge && maxPledge.lessThan(minPledge))
    problem('maxPledge', 'maxPledge must be at least minPledge');
  if (maxPledge && max && maxPledge.greaterThan(max))
    problem('maxPledge', 'maxPledge must not exceed maxAmount');
  if (input.kind === 'EQUITY') {
    if (!unitPrice && input.unitPrice == null)
      problem('unitPrice', 'unitPrice is required for equity (pledges are whole units)');
    const whole = (m: Money | null) => !m || !unitPrice || m.fen % unitPrice.fen === 0n;
    if (!whole(minPledge))
      problem('minPledge', 'minPledge must be a whole number of units (unitPrice)');
    if (!whole(maxPledge))
      problem('maxPledge', 'maxPledge must be a whole number of units (unitPrice)');
  } else if (input.unitPrice != null) {
    problem('unitPrice', 'unitPrice applies only to equity');
  }

  // Deadline (RW-04, US-CF-10: campaign length bounds from the rule pack).
  const deadline = new Date(input.deadline);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(input.deadline) || Number.isNaN(deadline.getTime())) {
    problem('deadline', 'deadline must be an ISO 8601 date-time');
  } else if (deadline.getTime() <= now.getTime()) {
    problem('deadline', 'deadline must be in the future');
  } else if (deadline.getTime() < now.getTime() + p.minCampaignDurationHours * 3_600_000) {
    problem('deadline', `a campaign runs at least ${p.minCampaignDurationHours} hours`);
  } else if (deadline.getTime() > now.getTime() + p.maxCampaignDurationDays * 86_400_000) {
    problem('deadline', `a campaign runs at most ${p.maxCampaignDurationDays} days`);
  }

  // Risk rating (CN-SUIT-08, CN-SUIT-20): the founder may propose one for equity and debt; the
  // platform sets the rating that counts when ADMIN approves the campaign.
  const proposedRiskRating: RiskRating | null = financial ? (input.riskRating ?? null) : null;
  if (!financial && input.riskRating != null)
    problem('riskRating', 'riskRating applies only to equity and debt');

  // Investor cap for private offerings (CN-ECF-04: at most 200).
  let investorCap: number | null = input.investorCap ?? null;
  if (offering === 'PRIVATE') {
    investorCap ??= p.privateInvestorCap;
    if (investorCap < 1 || investorCap > p.privateInvestorCap) {
      problem(
        'investorCap',
        `investorCap must be between 1 and ${p.privateInvestorCap} (CN-ECF-04)`,
      );
    }
  } else if (input.investorCap != null) {
    problem('investorCap', 'investorCap applies only to private offerings');
  } else {
    investorCap = null;
  }

  // Reward tiers.
  const tiers: CampaignTerms['rewardTiers'] = [];
  if (input.rewardTiers && input.rewardTiers.length > 0 && input.kind !== 'REWARD') {
    problem('rewardTiers', 'reward tiers apply only to reward campaigns');
  }
  (input.rewardTiers ?? []).forEach((tier, i) => {
    const amount = money(`rewardTiers.${i}.amount`, tier.amount);
    if (amount && minPledge && amount.lessThan(minPledge))
      problem(`rewardTiers.${i}.amount`, 'a tier costs at least minPledge');
    if (amount) tiers.push({ title: tier.title, amount, stock: tier.stock });
  });

  if (problems.length > 0 || !target || !max || !minPledge) return { problems };
  return {
    terms: {
      kind: input.kind,
      offering,
      fundingModel: input.fundingModel,
      title: input.title,
      summary: input.summary,
      targetAmount: target,
      maxAmount: max,
      minPledge,
      maxPledge,
      unitPrice,
      deadline,
      proposedRiskRating,
      investorCap,
      feeRate: p[FEE_PARAMETER[input.kind]],
      rewardTiers: tiers,
    },
  };
}
