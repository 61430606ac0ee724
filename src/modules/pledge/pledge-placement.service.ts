import { Inject, Injectable } from '@nestjs/common';
import { v7 as timeOrderedUuid } from 'uuid';
import type { AuthUser } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { KeyedSemaphore } from '../../common/concurrency/keyed-semaphore.js';
import { Money } from '../../common/money/money.js';
import { NOTICES, type NoticeSink } from '../../common/notices/notices.port.js';
import {
  databaseConfig,
  type DatabaseConfig,
  rulePackConfig,
  type RulePackConfig,
} from '../../config/namespaces.js';
import { pgError, type Tx, type TxEnd } from '../../database/transaction.js';
import { CampaignQueries } from '../campaign/index.js';
import { CreditService } from '../credit/credit.service.js';
import { IdempotencyService, requestHash } from '../escrow-ledger/idempotency.service.js';
import { LedgerService } from '../escrow-ledger/ledger.service.js';
import type { NewTransfer } from '../escrow-ledger/ledger.types.js';
import { AccountCodes } from '../escrow-ledger/ledger.types.js';
import { WalletLines } from '../escrow-ledger/wallet-lines.js';
import { UserDirectory } from '../identity/index.js';
import { ClassificationService } from '../investor-classification/classification.service.js';
import { RiskDisclosureService } from '../risk-disclosure/risk-disclosure.service.js';
import { SpecialWarnings } from '../risk-disclosure/special-warnings.service.js';
import type {
  ClientInfo,
  CurrentAcknowledgements,
} from '../risk-disclosure/risk-disclosure.types.js';
import { CampaignLeads } from './campaign-leads.service.js';
import { checkLeadGate, type LeadGate } from './campaign-leads.policy.js';
import {
  admissionEvidence,
  admitPledge,
  type Admitted,
  type PledgeAsk,
} from './pledge-admission.policy.js';
import { LOCKED_SECTION_REFUSED, type LockedSectionInput } from './pledge-locked-section.js';
import { PledgeRefusals } from './pledge-refusals.service.js';
import { CampaignNotOpenError, PledgeErrors } from './pledge.errors.js';
import type { PledgeEntity } from './pledge.entity.js';
import { investorPledgeLock, PledgeRepository } from './pledge.repository.js';
import { type PledgeView, toPledgeView } from './pledge.view.js';

const DAY_MS = 86_400_000;

export interface PledgeRequest {
  amount: string;
  rewardTierId?: string;
  specialWarning?: { version: string; sha256: string };
}

/** What admission established, carried into the transaction. */
interface Admission extends Admitted {
  investorId: string;
  amount: Money;
  acknowledgements: CurrentAcknowledgements;
  /** Issue 15: the pledger's place on a campaign with a lead (null: no lead). */
  lead: LeadGate | null;
  /** The pledge as it will be written, but for its evidence (decided in the transaction). */
  draft: PledgeEntity;
  /** Worked out before the campaign's admission slot is taken, so the slot is held only for SQL. */
  view: PledgeView;
  hold: NewTransfer;
  notices: string;
}

/**
 * Placing a pledge (DESIGN §6, §10): the admission checks from one read per module, then one
 * transaction that holds the money in the campaign's escrow, moves the campaign and tier counters,
 * and records the pledge with the evidence of its admission. Idempotent by the Idempotency-Key
 * (DESIGN §4). Every refusal is audited with its rule and inputs (CONV-05).
 */
@Injectable()
export class PledgePlacement {
  /** DESIGN §10: a bounded number of this instance's pledge transactions per campaign at once. */
  private readonly hotCampaigns: KeyedSemaphore;

  constructor(
    private readonly pledges: PledgeRepository,
    private readonly campaigns: CampaignQueries,
    private readonly users: UserDirectory,
    private readonly credit: CreditService,
    private readonly classification: ClassificationService,
    private readonly disclosures: RiskDisclosureService,
    private readonly warnings: SpecialWarnings,
    private readonly ledger: LedgerService,
    private readonly idempotency: IdempotencyService,
    private readonly walletLines: WalletLines,
    private readonly refusals: PledgeRefusals,
    private readonly leads: CampaignLeads,
    private readonly clock: Clock,
    @Inject(rulePackConfig.KEY) private readonly pack: RulePackConfig,
    @Inject(NOTICES) private readonly notices: NoticeSink,
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
    const ask: PledgeAsk = {
      amount,
      rewardTierId: request.rewardTierId,
      specialWarning: request.specialWarning,
    };
    const hash = requestHash({
      route: 'POST /campaigns/:id/pledges',
      campaignId,
      amount: amount.toString(),
      rewardTierId: request.rewardTierId ?? null,
      specialWarning: request.specialWarning ?? null,
    });
    let release: (() => void) | undefined;
    let refused: unknown; // the refusal this request produced (not one replayed from its key)
    let admitted: Admission | undefined;
    try {
      return await this.idempotency.executePrepared(`pledge:${investor.id}`, key, hash, {
        prepare: async () => {
          try {
            admitted = await this.admit(investor.id, campaignId, ask);
          } catch (error) {
            refused = error;
            throw error;
          }
          release = await this.hotCampaigns.acquire(campaignId);
          return admitted;
        },
        respond: (a) => a.view,
        // INV-9: one investor's pledges are decided one at a time, so their limit check cannot race.
        serializeOn: (a) => investorPledgeLock(a.investorId),
        work: async (tx, a, end) => {
          try {
            await this.commit(a, client, tx, end);
          } catch (error) {
            refused = error;
            throw error;
          }
        },
      });
    } catch (error) {
      if (error === refused)
        await this.refusals.record(investor.id, campaignId, ask, admitted, error);
      throw error;
    } finally {
      release?.();
    }
  }

  /** Every check that only reads, from one read per module made in parallel (side-effect free). */
  private async admit(investorId: string, campaignId: string, ask: PledgeAsk): Promise<Admission> {
    const now = this.clock.now();
    const escrow = AccountCodes.campaignEscrow(campaignId);
    const [, facts, campaign, inputs, acknowledgementState, tiers, leadRow] = await Promise.all([
      this.credit.assertMarketAccess(investorId), // PLAT-03
      this.users.pledgerFacts(investorId),
      this.campaigns.findForPledge(campaignId),
      this.classification.standingInputs(investorId),
      this.disclosures.acknowledgementState(investorId, campaignId),
      ask.rewardTierId ? this.campaigns.tiers(campaignId) : Promise.resolve([]),
      this.leads.leadOf(campaignId),
      // The campaign's escrow account, read (never opened) with the rest the first time.
      this.ledger.learnAccount(escrow, 'LIABILITY'),
    ]);
    // Issue 15: a follower's gate (the lead's commitment) is read only where there is a lead.
    const lead =
      leadRow && campaign
        ? await this.leads.gateFor(
            campaign,
            investorId,
            acknowledgementState.some((d) => d.scope === 'LEAD_MEMO' && d.version !== null),
            { row: leadRow },
          )
        : null;
    let acknowledgements: CurrentAcknowledgements | undefined;
    const admitted = admitPledge({
      now,
      pack: this.pack,
      investor: facts,
      campaign,
      tier: tiers.find((t) => t.id === ask.rewardTierId) ?? null,
      qualifiedNow: this.classification.qualifiedNow(inputs),
      ask,
      lead,
      requireAcknowledgements: () => {
        acknowledgements = this.disclosures.requireAcknowledged(acknowledgementState, campaignId, {
          leadMemo: lead?.role !== 'LEAD', // a follower acknowledges the lead's memo (issue 15)
        });
      },
      standing: () =>
        this.classification.decideStanding(inputs, {
          financial: campaign?.kind === 'EQUITY' || campaign?.kind === 'DEBT',
          productRisk: campaign?.riskRating ?? null,
          offering: campaign?.offering ?? null,
        }),
      specialWarningFor: (standing, c) =>
        this.warnings.textFor(standing.riskLevel ?? 'C1', c.riskRating ?? 'R5'),
    });
    if (!acknowledgements) throw new Error('acknowledgements were not checked');
    // Accounts are opened (and cached) outside the transaction, so the pledge's transaction only
    // writes the hold. Opening an account is idempotent: a replay may run this again.
    await Promise.all([
      this.ledger.ensureAccount(
        this.walletLines.accountFor(investorId, admitted.campaign.kind),
        'LIABILITY',
      ),
      this.ledger.ensureAccount(escrow, 'LIABILITY'),
    ]);
    // Time-ordered (UUID version 7): a campaign's pledges and their holds sit side by side in the
    // indexes that settlement and refunds write in bulk (issue 18).
    const pledgeId = timeOrderedUuid();
    const open = admitted.campaign;
    // What does not depend on the transaction is made now, before the campaign's admission slot
    // is taken (issue 18): the hold's row, the notice's and the answer.
    const hold = await this.ledger.prepareHold({
      idempotencyKey: `pledge:${pledgeId}`,
      kind: 'PLEDGE',
      // PLAT-07: the wallet of the campaign's line (the general one unless the lines are separated).
      debitAccount: this.walletLines.accountFor(investorId, open.kind),
      creditAccount: AccountCodes.campaignEscrow(open.id),
      amount: ask.amount,
      reference: `pledge:${pledgeId}`,
    });
    const draft: Admission['draft'] = {
      id: pledgeId,
      campaignId,
      investorId,
      amount: ask.amount.toString(),
      currency: this.pack.currency,
      rewardTierId: ask.rewardTierId ?? null,
      financial: admitted.financial,
      status: admitted.windows.status,
      holdTransferId: hold.id, // transferIdFor(`pledge:${pledgeId}`), derived once
      coolingOffEndsAt: admitted.windows.coolingOffEndsAt,
      confirmationRequired: admitted.windows.confirmationRequired,
      createdAt: now,
      updatedAt: now,
      endedAt: null,
      reconfirmBy: null,
      resumeStatus: null,
    };
    const notices = this.notices.encode([
      {
        recipientId: investorId,
        type: 'pledge.placed',
        campaignId: open.id,
        params: {
          pledgeId,
          campaignTitle: open.title,
          amount: draft.amount,
          currency: draft.currency,
          status: draft.status,
          // US-CF-11 / CN-PF-06: until when it may be cancelled freely.
          coolingOffEndsAt: draft.coolingOffEndsAt?.toISOString() ?? null,
        },
        dedupeKey: `pledge:${pledgeId}:placed`,
      },
    ]);
    return {
      ...admitted,
      investorId,
      amount: ask.amount,
      acknowledgements,
      lead,
      draft,
      view: toPledgeView(draft),
      hold,
      notices,
    };
  }

  /**
   * The effect, in the transaction that claimed the key under the investor's lock (DESIGN §10):
   * the special warning the investor accepted, the pledge row within the rolling limit (INV-9) with
   * its evidence, audit event and notice in one statement, then the hot rows last in one call (the
   * hold on the investor's wallet into the campaign escrow, the campaign's and tier's counters)
   * sent with the COMMIT (issue 18) unless a follower's lead gate is decided after it. Any
   * refusal (limit, funds, cap, investor cap, stock) rolls the whole pledge back.
   */
  private async commit(a: Admission, client: ClientInfo, tx: Tx, end: TxEnd): Promise<void> {
    const now = this.clock.now();
    const { investorId, campaign, standing, draft } = a;
    const warning = a.specialWarning
      ? await this.warnings.record(investorId, campaign.id, a.specialWarning, client, tx)
      : null;
    const evidence = admissionEvidence(a, draft, warning, this.pack.parameters.limitWindowDays);
    const placed = await this.pledges.insertWithinLimit(
      { ...draft, evidence },
      {
        since: new Date(now.getTime() - this.pack.parameters.limitWindowDays * DAY_MS),
        limit: standing.limit.kind === 'LIMITED' ? standing.limit.amount.toString() : null,
        auditDetails: { campaignId: campaign.id, amount: draft.amount },
        notices: a.notices,
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
        windowDays: this.pack.parameters.limitWindowDays,
      });
    }
    if (!placed.inserted) throw new Error(`pledge ${draft.id} was not inserted`);

    const { hold } = a;
    const lockedSection: LockedSectionInput = {
      campaignId: campaign.id,
      amount: hold.amount,
      newInvestor: placed.newInvestor,
      rewardTierId: draft.rewardTierId,
      now,
      holdId: hold.id,
      debitAccountId: hold.debitAccountId,
      creditAccountId: hold.creditAccountId,
      currency: hold.currency,
      reference: hold.reference ?? `pledge:${draft.id}`,
    };
    if (a.lead?.role !== 'FOLLOWER') {
      try {
        await this.pledges.holdClaimAndCommit(lockedSection, end);
      } catch (error) {
        const code = pgError(error).code;
        // The transaction is rolled back: the refusal is named from a read outside it.
        if (code === LOCKED_SECTION_REFUSED.campaign)
          throw await this.whyClaimFailed(a, placed.newInvestor, now);
        if (code === LOCKED_SECTION_REFUSED.tier && draft.rewardTierId)
          throw PledgeErrors.soldOut(draft.rewardTierId);
        if (code === LOCKED_SECTION_REFUSED.held)
          throw new Error(`hold for pledge ${draft.id} was not written`, { cause: error });
        throw this.ledger.translateWriteError(error, [hold]);
      }
      return;
    }
    let claim: { campaign: boolean; tier: boolean; held: boolean };
    try {
      claim = await this.pledges.holdAndClaim(lockedSection, tx);
    } catch (error) {
      throw this.ledger.translateWriteError(error, [hold]);
    }
    if (!claim.campaign) throw await this.whyClaimFailed(a, placed.newInvestor, now, tx);
    if (!claim.tier && draft.rewardTierId) throw PledgeErrors.soldOut(draft.rewardTierId);
    if (!claim.held) throw new Error(`hold for pledge ${draft.id} was not written`);
    // Issue 15: decided again under the lead row's lock, taken after the campaign row as a
    // withdrawal takes them: a follower either sees the withdrawal or its change reaches them.
    const gate = await this.leads.gateFor(campaign, investorId, a.lead.memoPublished, { tx });
    checkLeadGate(gate, campaign.currency);
  }

  /**
   * Names the refusal of a campaign claim from a second read. Only an investor new to the campaign
   * can be refused by the investor cap, and only while the cap is reached; anything else was the
   * hard cap, even if a cancellation has freed room since the claim.
   */
  private async whyClaimFailed(
    a: Admission,
    newInvestor: boolean,
    now: Date,
    tx?: Tx,
  ): Promise<Error> {
    const current = await this.campaigns.find(a.campaign.id, tx);
    if (!current || current.status !== 'LIVE' || current.deadline <= now)
      return new CampaignNotOpenError(current?.status ?? 'UNKNOWN');
    const money = (v: string) => Money.fromDecimalString(v, current.currency);
    const remaining = money(current.maxAmount).minus(money(current.committed));
    const investorCapReached =
      newInvestor && current.investorCap !== null && current.investorCount >= current.investorCap;
    if (investorCapReached && !a.amount.greaterThan(remaining))
      return PledgeErrors.investorCap(current.investorCap ?? 0);
    return PledgeErrors.hardCap(remaining.isNegative() ? '0.00' : remaining.toString());
  }
}
