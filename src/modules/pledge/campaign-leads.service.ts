import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError, ValidationFailedError } from '../../common/errors/domain-error.js';
import { Money } from '../../common/money/money.js';
import {
  ledgerConfig,
  type LedgerConfig,
  rulePackConfig,
  type RulePackConfig,
} from '../../config/namespaces.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { CampaignQueries, CampaignService } from '../campaign/index.js';
import type { CampaignEntity } from '../campaign/campaign.entities.js';
import { UserDirectory } from '../identity/index.js';
import { ClassificationService, InstitutionalInvestors } from '../investor-classification/index.js';
import { RiskDisclosureService } from '../risk-disclosure/risk-disclosure.service.js';
import type {
  AcknowledgementReceipt,
  CampaignDisclosureView,
  ClientInfo,
} from '../risk-disclosure/risk-disclosure.types.js';
import { CampaignLeadsRepository, type CampaignLeadRow } from './campaign-leads.repository.js';
import {
  type LeadGate,
  LeadErrors,
  leadInPlace,
  requiredCommitment,
} from './campaign-leads.policy.js';
import { CampaignNotOpenError } from './pledge.errors.js';

export interface LeadMemoView extends CampaignDisclosureView {
  campaignId: string;
  leadInvestorId: string;
  /** The platform's HMAC-SHA256 over the memo's facts (DOCUMENT_SIGNING_KEY), hex. */
  signature: string;
}

export interface CampaignLeadView {
  campaignId: string;
  leadInvestorId: string;
  leadKind: 'PERSON' | 'ORGANIZATION';
  status: CampaignLeadRow['status'];
  minShare: string;
  required: string;
  committed: string;
  currency: string;
  /** Followers may pledge: the lead committed its share and published its memo. */
  inPlace: boolean;
  /** The lead's share of each follower's profits at distributions (issue 15). */
  carryRate: string;
  memo: { version: number; sha256: string; publishedAt: string } | null;
  namedAt: string;
  withdrawnAt: string | null;
  withdrawalReason: string | null;
}

/** Campaign statuses in which a lead's withdrawal reaches followers' pledges (CN-SUIT-14). */
const OPEN_STATUSES = ['LIVE', 'SUSPENDED', 'CLOSING'];

/**
 * Lead investors (issue 15, 领投 + 跟投): the founder of an EQUITY draft names a lead (a qualified
 * or professional investor, or an organisation ADMIN flagged institutional) and the lead's carry;
 * followers may pledge only once the lead has committed `leadMinShare` of the target and published
 * its due-diligence memo (a LEAD_MEMO disclosure they acknowledge). A lead who withdraws (or whose
 * commitment falls below its share) is a material change for every follower (CN-SUIT-14).
 */
@Injectable()
export class CampaignLeads {
  constructor(
    private readonly repo: CampaignLeadsRepository,
    private readonly campaigns: CampaignQueries,
    private readonly campaignViews: CampaignService,
    private readonly users: UserDirectory,
    private readonly classification: ClassificationService,
    private readonly institutions: InstitutionalInvestors,
    private readonly disclosures: RiskDisclosureService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(rulePackConfig.KEY) private readonly pack: RulePackConfig,
    @Inject(ledgerConfig.KEY) private readonly ledger: LedgerConfig,
  ) {}

  async name(
    founder: AuthUser,
    campaignId: string,
    input: { investorId: string; carryRate: string },
  ): Promise<CampaignLeadView> {
    if (Number(input.carryRate) > 0.5)
      throw new ValidationFailedError([{ field: 'carryRate', problems: ['must be at most 0.5'] }]);
    await this.requireEligible(input.investorId);
    await this.transactions.run(async (tx) => {
      const campaign = await this.campaigns.find(campaignId, tx);
      if (!campaign || campaign.founderId !== founder.id) throw new NotFoundError('Campaign');
      if (campaign.kind !== 'EQUITY' || campaign.status !== 'DRAFT')
        throw LeadErrors.locked(campaign.status, campaign.kind);
      const row: CampaignLeadRow = {
        campaignId,
        leadInvestorId: input.investorId,
        minShare: this.pack.parameters.leadMinShare.toFixed(4),
        carryRate: input.carryRate,
        status: 'ACTIVE',
        namedBy: founder.id,
        namedAt: this.clock.now(),
        withdrawnAt: null,
        withdrawalReason: null,
      };
      await this.repo.upsert(row, tx);
      await this.audit.append(
        {
          occurredAt: row.namedAt,
          actorId: founder.id,
          action: 'campaign.lead_named',
          subjectType: 'campaign',
          subjectId: campaignId,
          details: {
            leadInvestorId: row.leadInvestorId,
            minShare: row.minShare,
            carryRate: row.carryRate,
          },
        },
        tx,
      );
    });
    return this.describe(campaignId);
  }

  /** The lead of a campaign its viewer may see (the campaign's own visibility rules). */
  async view(viewer: AuthUser | null, campaignId: string): Promise<CampaignLeadView> {
    await this.campaignViews.detail(viewer, campaignId);
    return this.describe(campaignId);
  }

  async publishMemo(
    lead: AuthUser,
    campaignId: string,
    input: { title: string; body: string },
  ): Promise<LeadMemoView> {
    const { row, campaign } = await this.requireLead(lead, campaignId);
    if (!['DRAFT', 'PENDING_REVIEW', 'LIVE'].includes(campaign.status))
      throw new CampaignNotOpenError(campaign.status);
    const published = await this.disclosures.publishLeadMemo(campaignId, lead.id, input);
    return this.signed(row, published);
  }

  async memo(viewer: AuthUser | null, campaignId: string): Promise<LeadMemoView> {
    await this.campaignViews.detail(viewer, campaignId);
    const row = await this.repo.find(campaignId);
    if (!row) throw new NotFoundError('Campaign lead', { campaignId });
    return this.signed(
      row,
      await this.disclosures.currentCampaignDisclosure(campaignId, 'LEAD_MEMO'),
    );
  }

  /** A follower acknowledges one exact version of the lead's memo (CN-SUIT-15/16). */
  async acknowledgeMemo(
    investor: AuthUser,
    campaignId: string,
    version: number,
    client: ClientInfo,
  ): Promise<AcknowledgementReceipt> {
    await this.campaignViews.detail(investor, campaignId);
    return this.disclosures.acknowledgeCampaign(
      investor.id,
      campaignId,
      version,
      client,
      'LEAD_MEMO',
    );
  }

  /** The lead steps back (issue 15): a material change for every follower while the raise is open. */
  async withdraw(lead: AuthUser, campaignId: string, reason: string): Promise<CampaignLeadView> {
    await this.requireLead(lead, campaignId);
    const published = await this.transactions.run(async (tx) => {
      const row = await this.repo.lock(campaignId, 'UPDATE', tx);
      if (!row || row.leadInvestorId !== lead.id) throw LeadErrors.notTheLead();
      if (row.status !== 'ACTIVE') throw LeadErrors.withdrawn();
      const campaign = await this.campaigns.find(campaignId, tx);
      if (!campaign) throw new NotFoundError('Campaign');
      return this.withdrawIn(campaign, reason.trim(), lead.id, tx);
    });
    this.disclosures.announce(published);
    return this.describe(campaignId);
  }

  /**
   * Admission's read for one pledger (no lock): null when the campaign has no lead; the lead's own
   * pledges pass; a follower's gate carries what the lead has committed and whether its memo is out.
   */
  async gateFor(
    campaign: Pick<CampaignEntity, 'id' | 'targetAmount' | 'currency'>,
    investorId: string,
    memoPublished: boolean,
    from: { tx: Tx } | { row: CampaignLeadRow | null },
  ): Promise<LeadGate | null> {
    // In the pledge's transaction the row is read again under its lock; at admission the caller
    // passes the row it read in its parallel batch (no second read).
    const row = 'tx' in from ? await this.repo.lock(campaign.id, 'SHARE', from.tx) : from.row;
    const tx = 'tx' in from ? from.tx : undefined;
    if (!row) return null;
    if (row.leadInvestorId === investorId) return { role: 'LEAD' };
    const committed = await this.repo.committed(campaign.id, row.leadInvestorId, tx);
    return {
      role: 'FOLLOWER',
      leadStatus: row.status,
      required: requiredCommitment(
        campaign.targetAmount,
        row.minShare,
        campaign.currency,
      ).toString(),
      committed: Money.fromDecimalString(committed, campaign.currency).toString(),
      memoPublished,
    };
  }

  /**
   * In a pledge's transaction, after its campaign row is locked: a lead's pledge that ended (cancel,
   * a call, a reconfirmation that lapsed) and took the lead's commitment below its share withdraws
   * the lead, which is a material change for every follower (CN-SUIT-14).
   */
  async afterPledgesEnded(
    ended: readonly { campaignId: string; investorId: string; amount: string }[],
    tx: Tx,
  ): Promise<void> {
    const leads = await this.repo.activeLeadsAmong(ended, tx);
    for (const lead of leads) {
      const row = await this.repo.lock(lead.campaignId, 'UPDATE', tx);
      const campaign = await this.campaigns.find(lead.campaignId, tx);
      if (!row || row.status !== 'ACTIVE' || !campaign || !OPEN_STATUSES.includes(campaign.status))
        continue;
      const money = (v: string) => Money.fromDecimalString(v, campaign.currency);
      const after = money(await this.repo.committed(row.campaignId, row.leadInvestorId, tx));
      const endedHere = Money.sum(
        ended
          .filter((p) => p.campaignId === row.campaignId && p.investorId === row.leadInvestorId)
          .map((p) => money(p.amount)),
        campaign.currency,
      );
      const required = requiredCommitment(campaign.targetAmount, row.minShare, campaign.currency);
      // Only a lead that was in place withdraws; one still building its stake simply has less.
      if (after.plus(endedHere).lessThan(required) || !after.lessThan(required)) continue;
      await this.withdrawIn(campaign, "the lead's commitment fell below its share", null, tx);
    }
  }

  /** The lead of a campaign and its carry, for distributions (holdings). */
  leadOf(campaignId: string, tx?: Tx): Promise<CampaignLeadRow | null> {
    return this.repo.find(campaignId, tx);
  }

  private async withdrawIn(
    campaign: Readonly<CampaignEntity>,
    reason: string,
    actorId: string | null,
    tx: Tx,
  ) {
    const now = this.clock.now();
    await this.repo.markWithdrawn(campaign.id, now, reason, tx);
    await this.audit.append(
      {
        occurredAt: now,
        actorId,
        action: 'campaign.lead_withdrawn',
        subjectType: 'campaign',
        subjectId: campaign.id,
        details: { reason, status: campaign.status, rules: ['CN-SUIT-14', 'US-CF-14'] },
      },
      tx,
    );
    if (!OPEN_STATUSES.includes(campaign.status)) return null;
    // CN-SUIT-14: a material change of the campaign's disclosure, published by the platform.
    return this.disclosures.publishIn(tx, campaign.id, campaign.kind, null, {
      title: '领投方退出 / The lead investor has withdrawn',
      body: [
        '本项目的领投方已退出（或其认购低于领投比例）。跟投人须重新确认认购，否则认购将被取消并退款。',
        `The lead investor of this campaign has withdrawn (${reason}). Every follower must reconfirm their pledge, or it is cancelled and refunded.`,
      ].join('\n\n'),
      material: true,
    });
  }

  private async describe(campaignId: string): Promise<CampaignLeadView> {
    const [row, campaign] = await Promise.all([
      this.repo.find(campaignId),
      this.campaigns.find(campaignId),
    ]);
    if (!row || !campaign) throw new NotFoundError('Campaign lead', { campaignId });
    const [lead, committed, memo] = await Promise.all([
      this.users.findUserById(row.leadInvestorId),
      this.repo.committed(campaignId, row.leadInvestorId),
      this.disclosures
        .currentCampaignDisclosure(campaignId, 'LEAD_MEMO')
        .catch((error: unknown) => {
          if (error instanceof NotFoundError) return null;
          throw error;
        }),
    ]);
    const required = requiredCommitment(campaign.targetAmount, row.minShare, campaign.currency);
    const gate = {
      leadStatus: row.status,
      required: required.toString(),
      committed: Money.fromDecimalString(committed, campaign.currency).toString(),
      memoPublished: memo !== null,
    };
    return {
      campaignId,
      leadInvestorId: row.leadInvestorId,
      leadKind: lead?.kind ?? 'PERSON',
      status: row.status,
      minShare: row.minShare,
      required: gate.required,
      committed: gate.committed,
      currency: campaign.currency,
      inPlace: leadInPlace(gate, campaign.currency),
      carryRate: row.carryRate,
      memo: memo
        ? { version: memo.version, sha256: memo.sha256, publishedAt: memo.publishedAt }
        : null,
      namedAt: row.namedAt.toISOString(),
      withdrawnAt: row.withdrawnAt?.toISOString() ?? null,
      withdrawalReason: row.withdrawalReason,
    };
  }

  private async requireLead(
    user: AuthUser,
    campaignId: string,
  ): Promise<{ row: CampaignLeadRow; campaign: Readonly<CampaignEntity> }> {
    const [row, campaign] = await Promise.all([
      this.repo.find(campaignId),
      this.campaigns.find(campaignId),
    ]);
    if (!row || !campaign) throw new NotFoundError('Campaign lead', { campaignId });
    if (row.leadInvestorId !== user.id) throw LeadErrors.notTheLead();
    if (row.status !== 'ACTIVE') throw LeadErrors.withdrawn();
    return { row, campaign };
  }

  /** CN-ECF-03 / CN-PF-02: a qualified or professional investor, or a flagged institution. */
  private async requireEligible(investorId: string): Promise<void> {
    const user = await this.users.findUserById(investorId);
    if (!user || user.role !== 'INVESTOR') throw LeadErrors.notEligible('not an investor');
    const inputs = await this.classification.standingInputs(investorId);
    if (inputs.category === 'PROFESSIONAL' || this.classification.qualifiedNow(inputs)) return;
    if (user.kind === 'ORGANIZATION' && (await this.institutions.isInstitutional(investorId)))
      return;
    throw LeadErrors.notEligible(
      user.kind === 'ORGANIZATION'
        ? 'neither qualified, professional nor flagged institutional'
        : 'neither qualified nor professional',
    );
  }

  private signed(row: CampaignLeadRow, memo: CampaignDisclosureView): LeadMemoView {
    const text = [
      'zhongchou-lead-memo-v1',
      `campaignId=${row.campaignId}`,
      `leadInvestorId=${row.leadInvestorId}`,
      `version=${memo.version}`,
      `sha256=${memo.sha256}`,
      `publishedAt=${memo.publishedAt}`,
    ].join('\n');
    const signature = createHmac('sha256', this.ledger.documentSigningKey)
      .update(text, 'utf8')
      .digest('hex');
    return { ...memo, campaignId: row.campaignId, leadInvestorId: row.leadInvestorId, signature };
  }
}
