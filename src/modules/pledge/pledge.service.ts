import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { KeyedSemaphore } from '../../common/concurrency/keyed-semaphore.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { Money } from '../../common/money/money.js';
import {
  databaseConfig,
  type DatabaseConfig,
  rulePackConfig,
  type RulePackConfig,
} from '../../config/namespaces.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { CampaignRepository } from '../campaign/campaign.repository.js';
import { RealNameRequiredError } from '../campaign/campaign.errors.js';
import type { CampaignEntity } from '../campaign/campaign.entities.js';
import { isFinancialProduct } from '../campaign/campaign.types.js';
import { CreditService } from '../credit/credit.service.js';
import { IdempotencyService, requestHash } from '../escrow-ledger/idempotency.service.js';
import { LedgerService, transferIdFor } from '../escrow-ledger/ledger.service.js';
import { AccountCodes } from '../escrow-ledger/ledger.types.js';
import { ageInYears, shanghaiDate } from '../identity/id-numbers.js';
import { UserDirectory } from '../identity/index.js';
import { NotQualifiedError } from '../investor-classification/classification.errors.js';
import {
  ClassificationService,
  type PledgeStanding,
} from '../investor-classification/classification.service.js';
import { privateOfferingAllowed } from '../investor-classification/limits.policy.js';
import { RiskDisclosureService } from '../risk-disclosure/risk-disclosure.service.js';
import type {
  ClientInfo,
  CurrentAcknowledgements,
  MaterialDisclosureChange,
} from '../risk-disclosure/risk-disclosure.types.js';
import { CampaignNotOpenError, PledgeErrors } from './pledge.errors.js';
import { type PledgeEntity, type PledgeEvidence } from './pledge.entity.js';
import { investorPledgeLock, PledgeRepository } from './pledge.repository.js';
import { type PledgeView, toPledgeView } from './pledge.view.js';

const HOUR_MS = 3_600_000;

/** What admit() established, carried into the transaction. */
interface Admission {
  investorId: string;
  campaign: CampaignEntity;
  amount: Money;
  standing: PledgeStanding;
  acknowledgements: CurrentAcknowledgements;
  specialWarningRequired: boolean;
  /** The pledge as it will be written, but for its evidence (decided in the transaction). */
  draft: Omit<PledgeEntity, 'evidence'>;
}

export interface PledgeRequest {
  amount: string;
  rewardTierId?: string;
  specialWarningAccepted?: boolean;
}

/**
 * The investor's money path (DESIGN §6): every check of the pledge, then one transaction that
 * holds the money in the campaign's escrow, moves the campaign and tier counters, and records the
 * pledge with the evidence of its admission. Idempotent by the Idempotency-Key (DESIGN §4).
 */
@Injectable()
export class PledgeService {
  /** DESIGN §10: a bounded number of this instance's pledge transactions per campaign at once. */
  private readonly hotCampaigns: KeyedSemaphore;

  constructor(
    private readonly pledges: PledgeRepository,
    private readonly campaigns: CampaignRepository,
    private readonly users: UserDirectory,
    private readonly credit: CreditService,
    private readonly classification: ClassificationService,
    private readonly disclosures: RiskDisclosureService,
    private readonly ledger: LedgerService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(rulePackConfig.KEY) private readonly pack: RulePackConfig,
    @Inject(databaseConfig.KEY) database: DatabaseConfig,
  ) {
    this.hotCampaigns = new KeyedSemaphore(database.hotCampaignConcurrency);
  }

  async place(
    investor: AuthUser,
    campaignId: string,
    request: PledgeRequest,
    key: string,
    client: ClientInfo,
  ): Promise<{ body: PledgeView; replayed: boolean }> {
    const amount = Money.parse(request.amount, this.pack.currency);
    const hash = requestHash({
      route: 'POST /campaigns/:id/pledges',
      campaignId,
      amount: amount.toString(),
      rewardTierId: request.rewardTierId ?? null,
      specialWarningAccepted: request.specialWarningAccepted === true,
    });
    let release: (() => void) | undefined;
    try {
      return await this.idempotency.executePrepared(`pledge:${investor.id}`, key, hash, {
        prepare: async () => {
          const admitted = await this.admit(investor.id, campaignId, amount, request);
          release = await this.hotCampaigns.acquire(campaignId);
          return admitted;
        },
        respond: (admitted) => toPledgeView(admitted.draft),
        // INV-9: one investor's pledges are decided one at a time, so their limit check cannot race.
        serializeOn: (admitted) => investorPledgeLock(admitted.investorId),
        work: (tx, admitted) => this.commit(admitted, client, tx),
      });
    } finally {
      release?.();
    }
  }

  /**
   * Every check that only reads (PLAT-01/02/03, CAMPAIGN.NOT_OPEN, CN-ECF-03, disclosures, PLAT-09
   * assessment, CN-SUIT-09..12 suitability, amounts), from one read per module made in parallel,
   * before any transaction; side-effect free, so a replayed request can run it again. What can
   * change under concurrency (limit, caps, stock, funds) is decided again inside the transaction.
   * Market access (PLAT-03) is decided here: a credit record that lands after this read orders
   * after the pledge.
   */
  private async admit(
    investorId: string,
    campaignId: string,
    amount: Money,
    request: PledgeRequest,
  ): Promise<Admission> {
    const now = this.clock.now();
    const [, facts, campaign, inputs, acknowledgementState] = await Promise.all([
      this.credit.assertMarketAccess(investorId), // PLAT-03
      this.users.pledgerFacts(investorId),
      this.campaigns.findPrepared(campaignId),
      this.classification.standingInputs(investorId),
      this.disclosures.acknowledgementState(investorId, campaignId),
    ]);
    if (!facts?.realNameVerified) throw new RealNameRequiredError(); // PLAT-01
    if (facts.birthDate) {
      const [y, m, d] = facts.birthDate.split('-').map(Number);
      if (
        ageInYears({ year: y, month: m, day: d }, shanghaiDate(now)) <
        this.pack.parameters.minimumAgeYears
      )
        throw PledgeErrors.underage();
    }
    if (!campaign) throw new NotFoundError('Campaign');
    if (campaign.status !== 'LIVE' || campaign.deadline <= now)
      throw new CampaignNotOpenError(campaign.status);
    const financial = isFinancialProduct(campaign.kind);
    // CN-ECF-03: private offerings only for qualified investors, or a single pledge of 1,000,000+.
    if (
      campaign.offering === 'PRIVATE' &&
      !this.classification.qualifiedNow(inputs) &&
      !privateOfferingAllowed(this.pack, false, amount)
    ) {
      throw new NotQualifiedError({ rule: 'CN-ECF-03', offering: 'PRIVATE' });
    }
    const acknowledgements = this.disclosures.requireAcknowledged(acknowledgementState, campaignId);
    const standing = this.classification.decideStanding(inputs, {
      financial,
      productRisk: campaign.riskRating,
      offering: campaign.offering,
    });
    const suitabilityDetails = {
      riskLevel: standing.riskLevel,
      productRisk: campaign.riskRating,
      rules: ['CN-SUIT-09', 'CN-SUIT-11', 'CN-SUIT-12'],
    };
    if (standing.suitability === 'BLOCKED') throw PledgeErrors.blocked(suitabilityDetails);
    if (
      standing.suitability === 'SPECIAL_WARNING_REQUIRED' &&
      request.specialWarningAccepted !== true
    ) {
      throw PledgeErrors.specialWarningRequired(suitabilityDetails);
    }
    if (
      standing.limit.kind === 'NOT_ELIGIBLE' &&
      !privateOfferingAllowed(this.pack, false, amount)
    ) {
      throw new NotQualifiedError({ rule: 'CN-ECF-03', offering: campaign.offering });
    }
    await this.checkAmount(campaign, amount, request.rewardTierId);
    // Accounts are opened (and cached) outside the transaction, so the pledge's transaction only
    // writes the hold. Opening an account is idempotent: a replay may run this again.
    await Promise.all([
      this.ledger.ensureAccount(
        AccountCodes.investorAvailable(investorId),
        'LIABILITY',
        this.pack.currency,
      ),
      this.ledger.ensureAccount(
        AccountCodes.campaignEscrow(campaignId),
        'LIABILITY',
        this.pack.currency,
      ),
    ]);

    const pledgeId = randomUUID();
    const coolingOff = financial && facts.kind === 'PERSON'; // CN-PF-06, CN-PF-10
    return {
      investorId,
      campaign,
      amount,
      standing,
      acknowledgements,
      specialWarningRequired: standing.suitability === 'SPECIAL_WARNING_REQUIRED',
      draft: {
        id: pledgeId,
        campaignId,
        investorId,
        amount: amount.toString(),
        currency: this.pack.currency,
        rewardTierId: request.rewardTierId ?? null,
        status: coolingOff ? 'COOLING_OFF' : 'ACTIVE',
        holdTransferId: transferIdFor(`pledge:${pledgeId}`),
        coolingOffEndsAt: coolingOff
          ? new Date(now.getTime() + this.pack.parameters.coolingOffHours * HOUR_MS)
          : null,
        // CN-PF-07 / CN-SUIT-13: ordinary natural persons, and anyone natural on R4/R5, get a call.
        confirmationRequired:
          coolingOff &&
          (standing.category === 'ORDINARY' ||
            campaign.riskRating === 'R4' ||
            campaign.riskRating === 'R5'),
        createdAt: now,
        updatedAt: now,
        endedAt: null,
        reconfirmBy: null,
        resumeStatus: null,
      },
    };
  }

  /**
   * The effect, in the transaction that claimed the key under the investor's lock (DESIGN §10):
   * the special warning if one was accepted, the pledge row within the rolling limit (INV-9) with
   * its evidence and audit event, then the hot rows last: the hold on the investor's wallet into
   * the campaign escrow, and the campaign's counters with the tier's stock in one guarded UPDATE.
   * Any refusal (limit, funds, cap, investor cap, stock) rolls the whole pledge back.
   */
  private async commit(a: Admission, client: ClientInfo, tx: Tx): Promise<void> {
    const now = this.clock.now();
    const { investorId, campaign, amount, standing, draft } = a;
    const specialWarningId = a.specialWarningRequired
      ? (
          await this.disclosures.recordSpecialWarning(
            investorId,
            campaign.id,
            standing.riskLevel ?? 'C1',
            campaign.riskRating ?? 'R5',
            client,
            tx,
          )
        ).id
      : null;
    const evidence: Omit<PledgeEvidence, 'usedBefore'> = {
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
      platformAcknowledgementId: a.acknowledgements.platformReceiptId,
      campaignAcknowledgementId: a.acknowledgements.campaignReceiptId,
      specialWarningId,
      rules: ['PLAT-01', 'PLAT-03', 'PLAT-09', 'CN-SUIT-09', 'CN-ECF-03', 'CN-PF-06'],
    };
    const placed = await this.pledges.insertWithinLimit(
      { ...draft, evidence },
      {
        since: new Date(now.getTime() - 365 * 24 * HOUR_MS),
        limit: standing.limit.kind === 'LIMITED' ? standing.limit.amount.toString() : null,
        auditDetails: { campaignId: campaign.id, amount: draft.amount },
      },
      tx,
    );
    if (!placed.inserted && standing.limit.kind === 'LIMITED') {
      const used = Money.fromDecimalString(placed.usedBefore, this.pack.currency);
      const left = standing.limit.amount.minus(used);
      throw PledgeErrors.limit({
        rulePack: standing.rulePack,
        annualLimit: standing.limit.amount.toString(),
        usedLast12Months: used.toString(),
        remaining: left.isNegative() ? '0.00' : left.toString(),
      });
    }
    if (!placed.inserted) throw new Error(`pledge ${draft.id} was not inserted`);

    const hold = await this.ledger.prepareHold({
      idempotencyKey: `pledge:${draft.id}`,
      kind: 'PLEDGE',
      debitAccount: AccountCodes.investorAvailable(investorId),
      creditAccount: AccountCodes.campaignEscrow(campaign.id),
      amount,
      reference: `pledge:${draft.id}`,
    });
    const claim = await this.pledges.holdAndClaim(
      hold,
      {
        campaignId: campaign.id,
        amount: draft.amount,
        newInvestor: placed.newInvestor,
        rewardTierId: draft.rewardTierId,
        now,
      },
      tx,
    );
    if (!claim.campaign)
      throw await this.whyClaimFailed(campaign, amount, placed.newInvestor, now, tx);
    if (!claim.tier && draft.rewardTierId) throw PledgeErrors.soldOut(draft.rewardTierId);
    if (!claim.held) throw new Error(`hold for pledge ${draft.id} was not written`);
  }

  /** Cancel: free in cooling-off (CN-PF-06), rescission until the call (CN-PF-08), reward until the cut-off. */
  async cancel(
    investor: AuthUser,
    pledgeId: string,
    key: string,
  ): Promise<{ body: PledgeView; replayed: boolean }> {
    const hash = requestHash({ route: 'POST /pledges/:id/cancel', pledgeId });
    return this.idempotency.execute(`pledge-cancel:${investor.id}`, key, hash, async (tx) => {
      const pledge = await this.pledges.lock(pledgeId, tx);
      if (!pledge || pledge.investorId !== investor.id) throw new NotFoundError('Pledge');
      const campaign = await this.campaigns.find(pledge.campaignId, tx);
      if (!campaign) throw new NotFoundError('Campaign');
      const now = this.clock.now();
      this.assertCancellable(pledge, campaign, now);
      await this.pledges.lockInvestors([pledge.investorId], tx); // INV-7, before money moves
      await this.release(pledge, 'CANCELLED', investor.id, 'pledge.cancelled', now, tx);
      return toPledgeView(pledge);
    });
  }

  /**
   * CN-PF-07/08: an ADMIN records the confirmation call, which is only valid after the cooling-off
   * period. CONFIRMED makes the pledge ACTIVE; RESCINDED cancels it with a full refund;
   * UNREACHABLE is recorded and the pledge keeps waiting (the sweep cancels it at the timeout).
   */
  async recordConfirmationCall(
    adminId: string,
    pledgeId: string,
    input: { outcome: 'CONFIRMED' | 'RESCINDED' | 'UNREACHABLE'; notes: string },
  ): Promise<PledgeView> {
    return this.transactions.run(async (tx) => {
      const pledge = await this.pledges.lock(pledgeId, tx);
      if (!pledge) throw new NotFoundError('Pledge');
      const now = this.clock.now();
      if (pledge.coolingOffEndsAt && now < pledge.coolingOffEndsAt) {
        throw PledgeErrors.callTooEarly(pledge.coolingOffEndsAt.toISOString());
      }
      if (
        !pledge.confirmationRequired ||
        !['COOLING_OFF', 'AWAITING_CONFIRMATION'].includes(pledge.status)
      ) {
        throw PledgeErrors.notAwaitingCall(pledge.status);
      }
      await this.pledges.insertCall(
        {
          id: randomUUID(),
          pledgeId,
          adminId,
          outcome: input.outcome,
          notes: input.notes,
          calledAt: now,
        },
        tx,
      );
      if (input.outcome === 'CONFIRMED') {
        Object.assign(pledge, { status: 'ACTIVE', updatedAt: now });
        await this.pledges.save(pledge, tx);
      } else if (input.outcome === 'RESCINDED') {
        await this.pledges.lockInvestors([pledge.investorId], tx); // INV-7, before money moves
        await this.release(pledge, 'CANCELLED', adminId, 'pledge.rescinded', now, tx);
      } else if (pledge.status === 'COOLING_OFF') {
        Object.assign(pledge, { status: 'AWAITING_CONFIRMATION', updatedAt: now });
        await this.pledges.save(pledge, tx);
      }
      await this.audit.append(
        {
          occurredAt: now,
          actorId: adminId,
          action: 'pledge.confirmation_call',
          subjectType: 'pledge',
          subjectId: pledgeId,
          details: { outcome: input.outcome, rules: ['CN-PF-07', 'CN-PF-08'] },
        },
        tx,
      );
      return toPledgeView(pledge);
    });
  }

  /** Everything that admitted the pledge and happened to it since (CN-SUIT-16/17, CONV-05). */
  async evidence(pledgeId: string) {
    const pledge = await this.pledges.find(pledgeId);
    if (!pledge) throw new NotFoundError('Pledge');
    const [calls, warnings] = await Promise.all([
      this.pledges.calls(pledgeId),
      this.disclosures.specialWarnings(pledge.investorId, pledge.campaignId),
    ]);
    return {
      pledge: toPledgeView(pledge),
      investorId: pledge.investorId,
      decision: pledge.evidence,
      specialWarnings: warnings,
      confirmationCalls: calls.map((c) => ({
        id: c.id,
        adminId: c.adminId,
        outcome: c.outcome,
        notes: c.notes,
        calledAt: c.calledAt.toISOString(),
      })),
    };
  }

  /**
   * A material disclosure change on a LIVE campaign (US-CF-14 analogue, CN-SUIT-14): every live
   * pledge waits for its investor to acknowledge the new version and reconfirm, or is cancelled when
   * the window (reconfirmationWindowHours, from publication) ends. Applied exactly once per
   * version, in one transaction, whether from the in-process event or from the sweep.
   */
  async onMaterialChange(change: MaterialDisclosureChange): Promise<number | null> {
    const by = new Date(
      change.publishedAt.getTime() + this.pack.parameters.reconfirmationWindowHours * HOUR_MS,
    );
    return this.transactions.run(async (tx) => {
      const now = this.clock.now();
      if (!(await this.pledges.claimMaterialChange(change, now, tx))) return null;
      const n = await this.pledges.markForReconfirmation(
        change.campaignId,
        change.publishedAt,
        by,
        now,
        tx,
      );
      await this.pledges.recordMaterialChangePledges(change.campaignId, change.version, n, tx);
      await this.audit.append(
        {
          occurredAt: now,
          actorId: null,
          action: 'pledge.reconfirmation_requested',
          subjectType: 'campaign',
          subjectId: change.campaignId,
          details: {
            version: change.version,
            pledges: n,
            reconfirmBy: by.toISOString(),
            rules: ['CN-SUIT-14', 'US-CF-14'],
          },
        },
        tx,
      );
      return n;
    });
  }

  /**
   * The sweep's side of material changes: any version published within the reconfirmation window
   * (twice over, for an outage) that no event applied, because the process died in between.
   */
  async applyMissedMaterialChanges(): Promise<number> {
    const since = new Date(
      this.clock.now().getTime() - 2 * this.pack.parameters.reconfirmationWindowHours * HOUR_MS,
    );
    const missed = await this.pledges.unappliedMaterialChanges(
      await this.disclosures.recentMaterialChanges(since),
    );
    let applied = 0;
    for (const change of missed) if ((await this.onMaterialChange(change)) !== null) applied++;
    return applied;
  }

  /** The investor has acknowledged the new version and keeps the pledge. */
  async reconfirm(investor: AuthUser, pledgeId: string): Promise<PledgeView> {
    const pledge0 = await this.pledges.find(pledgeId);
    if (!pledge0 || pledge0.investorId !== investor.id) throw new NotFoundError('Pledge');
    await this.disclosures.requireCurrentAcknowledgements(investor.id, pledge0.campaignId);
    return this.transactions.run(async (tx) => {
      const pledge = await this.pledges.lock(pledgeId, tx);
      const now = this.clock.now();
      if (
        !pledge ||
        pledge.status !== 'AWAITING_RECONFIRMATION' ||
        !pledge.reconfirmBy ||
        pledge.reconfirmBy <= now
      ) {
        throw PledgeErrors.notAwaitingReconfirmation(pledge?.status ?? 'UNKNOWN');
      }
      Object.assign(pledge, {
        status: pledge.resumeStatus ?? 'ACTIVE',
        resumeStatus: null,
        reconfirmBy: null,
        updatedAt: now,
      });
      await this.pledges.save(pledge, tx);
      await this.audit.append(
        {
          occurredAt: now,
          actorId: investor.id,
          action: 'pledge.reconfirmed',
          subjectType: 'pledge',
          subjectId: pledgeId,
          details: { status: pledge.status },
        },
        tx,
      );
      return toPledgeView(pledge);
    });
  }

  /** Sweep: pledges not reconfirmed in time are cancelled with their money returned. */
  async cancelExpiredReconfirmations(limit = 2000): Promise<number> {
    return this.transactions.run(async (tx) => {
      const now = this.clock.now();
      const due = await this.pledges.lockExpiredReconfirmations(now, limit, tx);
      await this.pledges.lockInvestors(
        due.map((p) => p.investorId),
        tx,
      );
      for (const pledge of due)
        await this.release(
          pledge,
          'CANCELLED',
          pledge.investorId,
          'pledge.reconfirmation_expired',
          now,
          tx,
        );
      return due.length;
    });
  }

  /**
   * Voids the hold, ends the pledge and gives the counters back. The caller has taken the
   * investor's pledge lock (INV-7: a pledge of theirs on the same LIVE campaign may be committing);
   * the sweep takes all of a batch's investors at once, in id order.
   */
  private async release(
    pledge: PledgeEntity,
    status: 'CANCELLED' | 'REFUNDED',
    actorId: string,
    action: string,
    now: Date,
    tx: Tx,
  ): Promise<void> {
    await this.ledger.void({ pendingId: pledge.holdTransferId }, tx);
    const from = pledge.status;
    Object.assign(pledge, {
      status,
      updatedAt: now,
      endedAt: now,
      reconfirmBy: null,
      resumeStatus: null,
    });
    await this.pledges.save(pledge, tx);
    await this.pledges.releaseCounters([pledge.id], now, tx);
    await this.audit.append(
      {
        occurredAt: now,
        actorId,
        action,
        subjectType: 'pledge',
        subjectId: pledge.id,
        details: { from, campaignId: pledge.campaignId },
      },
      tx,
    );
  }

  async list(investorId: string): Promise<PledgeView[]> {
    return (await this.pledges.listForInvestor(investorId, 500)).map(toPledgeView);
  }

  async get(investorId: string, pledgeId: string): Promise<PledgeView> {
    const pledge = await this.pledges.find(pledgeId);
    if (!pledge || pledge.investorId !== investorId) throw new NotFoundError('Pledge');
    return toPledgeView(pledge);
  }

  private assertCancellable(pledge: PledgeEntity, campaign: CampaignEntity, now: Date): void {
    if (
      pledge.status === 'COOLING_OFF' ||
      pledge.status === 'AWAITING_CONFIRMATION' ||
      pledge.status === 'AWAITING_RECONFIRMATION'
    )
      return;
    if (pledge.status === 'ACTIVE' && !isFinancialProduct(campaign.kind)) {
      const cutoff =
        campaign.deadline.getTime() - this.pack.parameters.rewardCancelCutoffHours * HOUR_MS;
      if (now.getTime() < cutoff && campaign.status === 'LIVE') return;
      throw PledgeErrors.notCancellable(
        pledge.status,
        `Reward pledges can be cancelled until ${this.pack.parameters.rewardCancelCutoffHours} hours before the deadline.`,
      );
    }
    throw PledgeErrors.notCancellable(pledge.status, 'This pledge can no longer be cancelled.');
  }

  private async checkAmount(
    campaign: CampaignEntity,
    amount: Money,
    rewardTierId: string | undefined,
  ): Promise<void> {
    const money = (v: string) => Money.fromDecimalString(v, campaign.currency);
    if (amount.lessThan(money(campaign.minPledge)))
      throw PledgeErrors.belowMinimum(campaign.minPledge);
    if (campaign.maxPledge !== null && amount.greaterThan(money(campaign.maxPledge)))
      throw PledgeErrors.aboveMaximum(campaign.maxPledge);
    if (campaign.unitPrice !== null && amount.fen % money(campaign.unitPrice).fen !== 0n)
      throw PledgeErrors.notUnitMultiple(campaign.unitPrice);
    if (campaign.kind === 'REWARD' || rewardTierId) {
      if (!rewardTierId) return; // a reward pledge without a tier is a plain contribution
      const tier = (await this.campaigns.tiers(campaign.id)).find((t) => t.id === rewardTierId);
      if (!tier) throw PledgeErrors.tierRequired();
      if (amount.lessThan(money(tier.amount))) throw PledgeErrors.belowMinimum(tier.amount);
    }
  }

  /**
   * Names the refusal of a campaign claim from a second read. Only an investor new to the campaign
   * can be refused by the investor cap, and only while the cap is reached; anything else was the
   * hard cap, even if a cancellation has freed room since the claim.
   */
  private async whyClaimFailed(
    campaign: CampaignEntity,
    amount: Money,
    newInvestor: boolean,
    now: Date,
    tx: Tx,
  ): Promise<Error> {
    const current = await this.campaigns.find(campaign.id, tx);
    if (!current || current.status !== 'LIVE' || current.deadline <= now)
      return new CampaignNotOpenError(current?.status ?? 'UNKNOWN');
    const money = (v: string) => Money.fromDecimalString(v, current.currency);
    const remaining = money(current.maxAmount).minus(money(current.committed));
    const investorCapReached =
      newInvestor && current.investorCap !== null && current.investorCount >= current.investorCap;
    if (investorCapReached && !amount.greaterThan(remaining))
      return PledgeErrors.investorCap(current.investorCap ?? 0);
    return PledgeErrors.hardCap(remaining.isNegative() ? '0.00' : remaining.toString());
  }
}
