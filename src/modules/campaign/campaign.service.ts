import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import {
  NotFoundError,
  RuleViolationError,
  UnauthenticatedError,
  ValidationFailedError,
} from '../../common/errors/domain-error.js';
import {
  linesConfig,
  type LinesConfig,
  rulePackConfig,
  type RulePackConfig,
} from '../../config/namespaces.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { CreditService } from '../credit/credit.service.js';
import { EmailNotVerifiedError, UserDirectory } from '../identity/index.js';
import { ClassificationService } from '../investor-classification/classification.service.js';
import { NotQualifiedError } from '../investor-classification/classification.errors.js';
import { RiskDisclosureService } from '../risk-disclosure/risk-disclosure.service.js';
import { CampaignSubmitChecks } from './campaign-submit-checks.js';
import { CampaignTransitions } from './campaign-transitions.service.js';
import type { CampaignEntity, RewardTierEntity } from './campaign.entities.js';
import {
  DeadlinePassedError,
  FounderNotEligibleError,
  LineNotEnabledError,
  RealNameRequiredError,
} from './campaign.errors.js';
import { CampaignRepository } from './campaign.repository.js';
import {
  CAMPAIGN_STATUSES,
  type CampaignStatus,
  EDITABLE,
  InvalidCampaignStateError,
  PUBLISHED,
  requireCampaignTransition,
} from './campaign.state.js';
import { type CampaignTerms, type CampaignTermsInput, validateTerms } from './campaign.terms.js';
import { type CampaignKind, isFinancialProduct } from './campaign.types.js';
import { type CampaignView, toCampaignView } from './campaign.view.js';
import type { CampaignSort } from './search/campaign-cursor.js';
import { CampaignSearchRepository } from './search/campaign-search.repository.js';

const STAFF = new Set(['ADMIN', 'FINANCE']);

/** A page of campaigns; `nextCursor` continues the list (null: this was the last page). */
export interface CampaignPage {
  items: CampaignView[];
  pageSize: number;
  nextCursor: string | null;
}

export interface CampaignListQuery {
  kind?: CampaignKind;
  status?: CampaignStatus;
  mine?: boolean;
  /** Words of the title, summary or story (two characters or more; Chinese works, issue 16). */
  q?: string;
  category?: string;
  sort: CampaignSort;
  cursor?: string;
  pageSize: number;
}

/**
 * The founder's side of a campaign up to review (DESIGN §6): terms, edits, submission, and what
 * anyone may see of campaigns (CN-ECF-02, CN-ECF-03, PLAT-01). Review, suspension and cancellation
 * are CampaignReview's; every status change goes through CampaignTransitions.
 */
@Injectable()
export class CampaignService {
  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly search: CampaignSearchRepository,
    private readonly transitions: CampaignTransitions,
    private readonly submitChecks: CampaignSubmitChecks,
    private readonly users: UserDirectory,
    private readonly credit: CreditService,
    private readonly classification: ClassificationService,
    private readonly disclosures: RiskDisclosureService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(rulePackConfig.KEY) private readonly pack: RulePackConfig,
    @Inject(linesConfig.KEY) private readonly lines: LinesConfig,
  ) {}

  async create(founderId: string, input: CampaignTermsInput): Promise<CampaignView> {
    const now = this.clock.now();
    const terms = this.validate(input, now);
    const campaign: CampaignEntity = {
      id: randomUUID(),
      founderId,
      ...this.columns(terms),
      riskRating: null,
      ratingReason: null,
      status: 'DRAFT',
      committed: '0.00',
      investorCount: 0,
      rejectionReason: null,
      createdAt: now,
      updatedAt: now,
      publishedAt: null,
    };
    const tiers = this.tierRows(campaign.id, terms);
    await this.transactions.run(async (tx) => {
      await this.campaigns.insert(campaign, tiers, tx);
      await this.transitions.created(campaign, founderId, tx);
    });
    return toCampaignView(campaign, tiers);
  }

  /** PATCH: merge, re-validate everything, replace tiers if given; a REJECTED campaign returns to DRAFT. */
  async update(
    founderId: string,
    id: string,
    patch: Partial<CampaignTermsInput>,
  ): Promise<CampaignView> {
    return this.transactions.run(async (tx) => {
      const campaign = await this.ownLocked(founderId, id, tx);
      if (!EDITABLE.includes(campaign.status))
        throw new InvalidCampaignStateError(campaign.status, 'edited');
      const currentTiers = await this.campaigns.tiers(id, tx);
      const merged: CampaignTermsInput = {
        ...this.toInput(campaign, currentTiers),
        ...stripUndefined(patch),
      };
      const now = this.clock.now();
      const terms = this.validate(merged, now);
      Object.assign(campaign, this.columns(terms), { updatedAt: now });
      await this.campaigns.saveTerms(campaign, tx);
      const tiers = this.tierRows(id, terms);
      if (patch.rewardTiers !== undefined || campaign.kind !== 'REWARD')
        await this.campaigns.replaceTiers(id, tiers, tx);
      if (campaign.status === 'REJECTED') {
        await this.transitions.apply(
          campaign,
          {
            event: 'EDIT_AFTER_REJECTION',
            actorId: founderId,
            reason: 'edited after rejection',
            fields: { rejectionReason: null },
          },
          tx,
        );
      }
      return toCampaignView(campaign, patch.rewardTiers !== undefined ? tiers : currentTiers);
    });
  }

  /**
   * DRAFT -> PENDING_REVIEW: real name (PLAT-01), market access (PLAT-03), CN-ECF-06, PLAT-08,
   * CAV-02 (public equity needs an authorisation the pack must grant), a disclosure (CN-ECF-07).
   */
  async submit(founderId: string, id: string): Promise<CampaignView> {
    await this.credit.assertMarketAccess(founderId);
    const founder = await this.users.findUserById(founderId);
    if (!founder) throw new NotFoundError('User');
    if (!(await this.users.findRealNameIdentity(founderId))) throw new RealNameRequiredError();
    if (!founder.emailVerified) throw new EmailNotVerifiedError(); // issue 13
    // Read before the transaction: a transaction never waits for a second pooled connection.
    const hasDisclosure = await this.disclosures.currentCampaignDisclosure(id).then(
      () => true,
      (error: unknown) => {
        if (error instanceof NotFoundError) return false;
        throw error;
      },
    );
    return this.transactions.run(async (tx) => {
      const campaign = await this.ownLocked(founderId, id, tx);
      requireCampaignTransition(campaign.status, 'SUBMIT');
      if (campaign.kind === 'EQUITY' && founder.kind !== 'ORGANIZATION') {
        throw new FounderNotEligibleError(
          'Equity is raised by an organisation (a small or micro enterprise), CN-ECF-06.',
          'CN-ECF-06',
        );
      }
      if (
        campaign.kind === 'EQUITY' &&
        campaign.offering === 'PUBLIC' &&
        !this.pack.parameters.publicEquityAllowed
      ) {
        throw new RuleViolationError(
          'CAMPAIGN.PUBLIC_EQUITY_NOT_AUTHORISED',
          'Public equity crowdfunding needs an authorisation this platform does not hold (CAV-02); raise it as a private offering.',
          { rule: 'CAV-02', rulePack: this.pack.effectiveId },
        );
      }
      if (campaign.kind === 'DONATION' && !(await this.campaigns.findCharity(founderId, tx))) {
        throw new FounderNotEligibleError(
          'Only a qualified charity organisation may run a donation campaign (PLAT-08).',
          'PLAT-08',
        );
      }
      if (campaign.deadline <= this.clock.now()) throw new DeadlinePassedError();
      // CN-ECF-07/10: investors acknowledge a disclosure before pledging, so one must exist first.
      if (!hasDisclosure) {
        throw new RuleViolationError(
          'CAMPAIGN.DISCLOSURE_REQUIRED',
          'Publish the campaign disclosure before submitting (CN-ECF-07).',
        );
      }
      await this.submitChecks.run(campaign, tx); // the checks of the modules above (DESIGN §2)
      await this.transitions.apply(
        campaign,
        { event: 'SUBMIT', actorId: founderId, reason: null },
        tx,
      );
      return toCampaignView(campaign, await this.campaigns.tiers(id, tx));
    });
  }

  async detail(viewer: AuthUser | null, id: string): Promise<CampaignView> {
    const campaign = await this.visible(viewer, id);
    return toCampaignView(campaign, await this.campaigns.tiers(id));
  }

  /**
   * The campaign if `viewer` may see it: published reward and donation campaigns to anyone, signed
   * in or not; equity and debt only to real-name verified users (PLAT-01, CN-ECF-02) and private
   * offerings only to qualified ones (CN-ECF-03); the founder and staff see their own/all.
   */
  async visible(viewer: AuthUser | null, id: string): Promise<CampaignEntity> {
    const campaign = await this.campaigns.find(id);
    if (!campaign) throw new NotFoundError('Campaign');
    if (viewer && (campaign.founderId === viewer.id || STAFF.has(viewer.role))) return campaign;
    if (!PUBLISHED.includes(campaign.status)) throw new NotFoundError('Campaign');
    if (isFinancialProduct(campaign.kind)) {
      if (!viewer)
        throw new UnauthenticatedError(
          'Sign in: equity and debt campaigns are shown only to verified users (CN-ECF-02).',
        );
      if (!(await this.users.findRealNameIdentity(viewer.id))) throw new RealNameRequiredError();
    }
    if (
      campaign.offering === 'PRIVATE' &&
      !(viewer && (await this.classification.isQualified(viewer.id)))
    ) {
      throw new NotQualifiedError({ rule: 'CN-ECF-03', offering: 'PRIVATE' });
    }
    return campaign;
  }

  /**
   * Staff see every campaign; a founder with `mine` sees their own in any status; everyone else,
   * signed in or not, sees published ones, without equity/debt unless real-name verified
   * (CN-ECF-02, PLAT-01) and without private offerings unless qualified (CN-ECF-03).
   */
  async list(viewer: AuthUser | null, query: CampaignListQuery): Promise<CampaignPage> {
    const privileged = viewer !== null && (STAFF.has(viewer.role) || query.mine === true);
    const statuses: readonly CampaignStatus[] = privileged
      ? query.status
        ? [query.status]
        : CAMPAIGN_STATUSES
      : PUBLISHED.filter((s) => s === (query.status ?? 'LIVE'));
    const realName =
      privileged ||
      (viewer !== null && (await this.users.findRealNameIdentity(viewer.id)) !== null);
    const qualified =
      privileged || (viewer !== null && (await this.classification.isQualified(viewer.id)));
    const empty = { items: [], pageSize: query.pageSize, nextCursor: null };
    if (statuses.length === 0 || (!realName && query.kind && isFinancialProduct(query.kind)))
      return empty;
    const { items, nextCursor } = await this.search.search({
      statuses,
      kind: query.kind,
      founderId: query.mine === true && viewer ? viewer.id : undefined,
      publicOnly: !qualified,
      excludeKinds: realName ? [] : ['EQUITY', 'DEBT'],
      q: query.q,
      category: query.category,
      sort: query.sort,
      cursor: query.cursor,
      limit: query.pageSize,
    });
    return { items: items.map((c) => toCampaignView(c, [])), pageSize: query.pageSize, nextCursor };
  }

  /** Another founder's campaign is reported as not found: its existence is not theirs to learn. */
  private async ownLocked(founderId: string, id: string, tx: Tx): Promise<CampaignEntity> {
    const campaign = await this.campaigns.lock(id, tx);
    if (!campaign || campaign.founderId !== founderId) throw new NotFoundError('Campaign');
    return campaign;
  }

  private validate(input: CampaignTermsInput, now: Date): CampaignTerms {
    const result = validateTerms(input, this.pack, now);
    if ('problems' in result) throw new ValidationFailedError(result.problems);
    if (!this.lines.enabled.includes(result.terms.kind))
      throw new LineNotEnabledError(result.terms.kind, this.lines.enabled);
    return result.terms;
  }

  private columns(t: CampaignTerms) {
    return {
      kind: t.kind,
      offering: t.offering,
      fundingModel: t.fundingModel,
      title: t.title,
      summary: t.summary,
      currency: this.pack.currency,
      targetAmount: t.targetAmount.toString(),
      maxAmount: t.maxAmount.toString(),
      minPledge: t.minPledge.toString(),
      maxPledge: t.maxPledge?.toString() ?? null,
      unitPrice: t.unitPrice?.toString() ?? null,
      deadline: t.deadline,
      proposedRiskRating: t.proposedRiskRating,
      investorCap: t.investorCap,
      feeRate: String(t.feeRate),
    };
  }

  private tierRows(campaignId: string, terms: CampaignTerms): RewardTierEntity[] {
    return terms.rewardTiers.map((tier, position) => ({
      id: randomUUID(),
      campaignId,
      position,
      title: tier.title,
      amount: tier.amount.toString(),
      stock: tier.stock,
      claimed: 0,
    }));
  }

  private toInput(c: CampaignEntity, tiers: RewardTierEntity[]): CampaignTermsInput {
    return {
      kind: c.kind,
      offering: c.offering,
      fundingModel: c.fundingModel,
      title: c.title,
      summary: c.summary,
      targetAmount: c.targetAmount,
      maxAmount: c.maxAmount,
      minPledge: c.minPledge,
      maxPledge: c.maxPledge,
      unitPrice: c.unitPrice,
      deadline: c.deadline.toISOString(),
      riskRating: c.proposedRiskRating,
      investorCap: c.investorCap,
      rewardTiers: tiers.map((t) => ({ title: t.title, amount: t.amount, stock: t.stock })),
    };
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
