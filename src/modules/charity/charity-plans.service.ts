import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { Money } from '../../common/money/money.js';
import { type Tx } from '../../database/transaction.js';
import { CampaignQueries, CampaignSubmitChecks } from '../campaign/index.js';
import { checkUscc, InvalidUsccError, UserDirectory } from '../identity/index.js';
import {
  CharityNotRegisteredError,
  CharityPlanLockedError,
  CharityPlanRequiredError,
  CharityPlanTooSmallError,
  NotADonationCampaignError,
} from './charity.errors.js';
import { CharityRepository, type PlanItem } from './charity.repository.js';

export interface CharityPlanView {
  campaignId: string;
  charity: { name: string; uscc: string; certificateReference: string };
  fundUsePlan: PlanItem[];
  planTotal: string;
  currency: string;
}

/** A campaign row as CampaignQueries returns it (read-only). */
export type CampaignRow = NonNullable<Awaited<ReturnType<CampaignQueries['find']>>>;

/**
 * PLAT-08: a donation campaign names its registered charity (by USCC, GB 32100-checked, and the
 * charity qualification an ADMIN recorded for the founder organisation whose verified USCC it is)
 * and a fund-use plan that accounts for at least its target. Required at submit.
 */
@Injectable()
export class CharityPlans implements OnModuleInit {
  constructor(
    private readonly repo: CharityRepository,
    private readonly campaigns: CampaignQueries,
    private readonly submitChecks: CampaignSubmitChecks,
    private readonly users: UserDirectory,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.submitChecks.register('DONATION', (campaign, tx) => this.requirePlan(campaign, tx));
  }

  async requirePlan(campaign: Readonly<CampaignRow>, tx: Tx): Promise<void> {
    const plan = await this.repo.findPlan(campaign.id, tx);
    if (!plan) throw new CharityPlanRequiredError();
    await this.registeredCharity(campaign.founderId, plan.charityUscc); // still qualified
  }

  async setPlan(
    founder: AuthUser,
    campaignId: string,
    input: { charityUscc: string; fundUsePlan: PlanItem[] },
  ): Promise<CharityPlanView> {
    const campaign = await this.ownDonation(founder, campaignId);
    if (campaign.status !== 'DRAFT' && campaign.status !== 'REJECTED')
      throw new CharityPlanLockedError(campaign.status);
    const uscc = checkUscc(input.charityUscc);
    if (!uscc.ok) throw new InvalidUsccError('charityUscc', uscc.problem);
    await this.registeredCharity(founder.id, uscc.normalized);
    const currency = campaign.currency;
    const items = input.fundUsePlan.map((i) => ({
      purpose: i.purpose.trim(),
      amount: Money.parse(i.amount, currency).toString(),
    }));
    const total = Money.sum(
      items.map((i) => Money.fromDecimalString(i.amount, currency)),
      currency,
    );
    const target = Money.fromDecimalString(campaign.targetAmount, currency);
    if (total.lessThan(target))
      throw new CharityPlanTooSmallError(target.toString(), total.toString());
    await this.repo.upsertPlan({
      campaignId,
      charityId: founder.id,
      charityUscc: uscc.normalized,
      fundUsePlan: items,
      planTotal: total.toString(),
      updatedAt: this.clock.now(),
    });
    return this.view(campaignId);
  }

  async view(campaignId: string): Promise<CharityPlanView> {
    const [campaign, plan] = await Promise.all([
      this.campaigns.find(campaignId),
      this.repo.findPlan(campaignId),
    ]);
    if (!campaign || !plan) throw new NotFoundError('Charity plan');
    const [registration, qualification] = await Promise.all([
      this.users.organizationRegistration(plan.charityId),
      this.campaigns.charityQualification(plan.charityId),
    ]);
    return {
      campaignId,
      charity: {
        name: registration?.name ?? '',
        uscc: plan.charityUscc,
        certificateReference: qualification?.certificateReference ?? '',
      },
      fundUsePlan: plan.fundUsePlan,
      planTotal: plan.planTotal,
      currency: campaign.currency,
    };
  }

  /** The charity, if the organisation is ADMIN-qualified and verified under exactly this USCC. */
  private async registeredCharity(charityId: string, uscc: string): Promise<void> {
    const [qualification, registration] = await Promise.all([
      this.campaigns.charityQualification(charityId),
      this.users.organizationRegistration(charityId),
    ]);
    if (!qualification || !registration) throw new CharityNotRegisteredError('NOT_QUALIFIED');
    if (registration.uscc !== uscc) throw new CharityNotRegisteredError('USCC_MISMATCH');
  }

  async ownDonation(founder: AuthUser, campaignId: string): Promise<CampaignRow> {
    const campaign = await this.campaigns.find(campaignId);
    if (!campaign || campaign.founderId !== founder.id) throw new NotFoundError('Campaign');
    if (campaign.kind !== 'DONATION') throw new NotADonationCampaignError(campaign.kind);
    return campaign;
  }
}
