import { Decimal } from '../../common/money/decimal.js';
import { Money } from '../../common/money/money.js';
import type { CampaignEntity, RewardTierEntity } from './campaign.entities.js';

export interface RewardTierView {
  id: string;
  title: string;
  amount: string;
  stock: number;
  claimed: number;
  remaining: number;
}

export interface CampaignView {
  id: string;
  founderId: string;
  kind: CampaignEntity['kind'];
  offering: CampaignEntity['offering'];
  fundingModel: CampaignEntity['fundingModel'];
  title: string;
  summary: string;
  currency: string;
  targetAmount: string;
  maxAmount: string;
  minPledge: string;
  maxPledge: string | null;
  unitPrice: string | null;
  deadline: string;
  /** The platform's rating (set by ADMIN at approval; null before), CN-SUIT-08/20. */
  riskRating: CampaignEntity['riskRating'];
  proposedRiskRating: CampaignEntity['proposedRiskRating'];
  ratingReason: string | null;
  investorCap: number | null;
  feeRate: string;
  status: CampaignEntity['status'];
  committed: string;
  investorCount: number;
  remaining: string;
  /** committed / targetAmount, 4 decimals rounded down ("1.2500" is 125 %), issue 16. */
  progress: string;
  rejectionReason: string | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  rewardTiers: RewardTierView[];
}

/** The one mapping from a campaign row to its response (STYLE §4). */
export function toCampaignView(c: CampaignEntity, tiers: RewardTierEntity[]): CampaignView {
  const money = (v: string) => Money.fromDecimalString(v, c.currency);
  return {
    id: c.id,
    founderId: c.founderId,
    kind: c.kind,
    offering: c.offering,
    fundingModel: c.fundingModel,
    title: c.title,
    summary: c.summary,
    currency: c.currency,
    targetAmount: money(c.targetAmount).toString(),
    maxAmount: money(c.maxAmount).toString(),
    minPledge: money(c.minPledge).toString(),
    maxPledge: c.maxPledge === null ? null : money(c.maxPledge).toString(),
    unitPrice: c.unitPrice === null ? null : money(c.unitPrice).toString(),
    deadline: c.deadline.toISOString(),
    riskRating: c.riskRating,
    proposedRiskRating: c.proposedRiskRating,
    ratingReason: c.ratingReason,
    investorCap: c.investorCap,
    feeRate: new Decimal(c.feeRate).toFixed(5), // numeric(6,5): one form, stored or not
    status: c.status,
    committed: money(c.committed).toString(),
    investorCount: c.investorCount,
    remaining: money(c.maxAmount).minus(money(c.committed)).toString(),
    progress: campaignProgress(c.committed, c.targetAmount),
    rejectionReason: c.rejectionReason,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    publishedAt: c.publishedAt?.toISOString() ?? null,
    rewardTiers: tiers.map((t) => ({
      id: t.id,
      title: t.title,
      amount: money(t.amount).toString(),
      stock: t.stock,
      claimed: t.claimed,
      remaining: t.stock - t.claimed,
    })),
  };
}

/** committed / target as a decimal string, 4 places, rounded down (never shows a goal met early). */
export function campaignProgress(committed: string, target: string): string {
  return new Decimal(committed).div(target).toDecimalPlaces(4, Decimal.ROUND_DOWN).toFixed(4);
}
