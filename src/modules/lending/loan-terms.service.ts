import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { Decimal } from '../../common/money/decimal.js';
import { Money } from '../../common/money/money.js';
import { rulePackConfig, type RulePackConfig } from '../../config/namespaces.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { CampaignQueries, CampaignSubmitChecks } from '../campaign/index.js';
import { UserDirectory } from '../identity/index.js';
import {
  BorrowerCapExceededError,
  LoanTermsInvalidError,
  LoanTermsRequiredError,
  NotADebtCampaignError,
  PurposeForbiddenError,
  RateAboveCapError,
} from './lending.errors.js';
import { LoanTermsRepository, type LoanTermsRecord } from './loan-terms.repository.js';
import type { RepaymentMethod } from './loan-schedule.js';
import { OutstandingPrincipal } from './outstanding-principal.service.js';

/** What a loan may fund; the last four are forbidden (CN-P2P-05(11), CN-P2P-06). */
export const PURPOSE_CATEGORIES = [
  'WORKING_CAPITAL',
  'EQUIPMENT',
  'INVENTORY',
  'EXPANSION',
  'PERSONAL_CONSUMPTION',
  'OTHER',
  'STOCKS',
  'OFF_MARKET_MARGIN',
  'FUTURES',
  'DERIVATIVES',
] as const;
export type PurposeCategory = (typeof PURPOSE_CATEGORIES)[number];
const FORBIDDEN_PURPOSES = new Set<string>([
  'STOCKS',
  'OFF_MARKET_MARGIN',
  'FUTURES',
  'DERIVATIVES',
]);

export interface LoanTermsInput {
  annualRate: string;
  termMonths: number;
  method: RepaymentMethod;
  graceDays: number;
  penaltyAnnualRate: string;
  purposeCategory: PurposeCategory;
  purpose: string;
  /** CN-P2P-02: what the borrower owes on other platforms, declared by them. */
  otherPlatformDebt: string;
}

export interface LoanTermsView extends LoanTermsInput {
  campaignId: string;
  dayCountBasis: number;
  updatedAt: string;
}

/**
 * Loan terms of a DEBT campaign (issue 14) and the checks at submit: terms present, rates within
 * the pack's cap, borrower caps (CN-P2P-02) with the decision recorded. Registered with the
 * campaign module as a submit check, so campaign never imports lending (DESIGN §2).
 */
@Injectable()
export class LoanTermsService implements OnModuleInit {
  constructor(
    private readonly terms: LoanTermsRepository,
    private readonly campaigns: CampaignQueries,
    private readonly submitChecks: CampaignSubmitChecks,
    private readonly users: UserDirectory,
    private readonly outstanding: OutstandingPrincipal,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(rulePackConfig.KEY) private readonly pack: RulePackConfig,
  ) {}

  onModuleInit(): void {
    this.submitChecks.register('DEBT', (campaign, tx) => this.checkAtSubmit(campaign, tx));
  }

  async put(founderId: string, campaignId: string, input: LoanTermsInput): Promise<LoanTermsView> {
    return this.transactions.run(async (tx) => {
      const campaign = await this.campaigns.find(campaignId, tx);
      if (!campaign || campaign.founderId !== founderId) throw new NotFoundError('Campaign');
      if (campaign.kind !== 'DEBT' || campaign.status !== 'DRAFT')
        throw new NotADebtCampaignError(campaign.status, campaign.kind);
      this.validate(input);
      const record: LoanTermsRecord = {
        campaignId,
        borrowerId: founderId,
        ...input,
        annualRate: new Decimal(input.annualRate).toFixed(4),
        penaltyAnnualRate: new Decimal(input.penaltyAnnualRate).toFixed(4),
        otherPlatformDebt: Money.parse(input.otherPlatformDebt, campaign.currency, {
          allowZero: true,
        }).toString(),
        updatedAt: this.clock.now(),
      };
      await this.terms.upsert(record, tx);
      return this.view(record);
    });
  }

  async get(founderId: string, campaignId: string): Promise<LoanTermsView> {
    return this.transactions.run(async (tx) => {
      const campaign = await this.campaigns.find(campaignId, tx);
      const record = await this.terms.find(campaignId, tx);
      if (!campaign || campaign.founderId !== founderId || !record)
        throw new NotFoundError('Loan terms');
      return this.view(record);
    });
  }

  find(campaignId: string, tx: Tx): Promise<LoanTermsRecord | null> {
    return this.terms.find(campaignId, tx);
  }

  /** The cap on the annual rate: the pack's, never above its hard stop (CN: 24 %, 36 %). */
  rateCap(): string {
    const p = this.pack.parameters;
    return Decimal.min(p.maxAnnualRate, p.hardStopAnnualRate).toFixed(4);
  }

  private validate(input: LoanTermsInput): void {
    const p = this.pack.parameters;
    const cap = this.rateCap();
    if (new Decimal(input.annualRate).gt(cap))
      throw new RateAboveCapError('annualRate', input.annualRate, cap);
    const hardStop = new Decimal(p.hardStopAnnualRate).toFixed(4);
    if (new Decimal(input.penaltyAnnualRate).gt(hardStop))
      throw new RateAboveCapError('penaltyAnnualRate', input.penaltyAnnualRate, hardStop);
    if (input.termMonths > p.maxLoanTermMonths)
      throw new LoanTermsInvalidError('termMonths', `termMonths is at most ${p.maxLoanTermMonths}`);
    if (input.graceDays > p.maxGraceDays)
      throw new LoanTermsInvalidError('graceDays', `graceDays is at most ${p.maxGraceDays}`);
    if (FORBIDDEN_PURPOSES.has(input.purposeCategory))
      throw new PurposeForbiddenError(input.purposeCategory);
  }

  /** DESIGN §2 submit check for DEBT: terms, rate cap, borrower caps (CN-P2P-02). */
  private async checkAtSubmit(
    campaign: { id: string; founderId: string; maxAmount: string; currency: string },
    tx: Tx,
  ): Promise<void> {
    const record = await this.terms.find(campaign.id, tx);
    if (!record) throw new LoanTermsRequiredError();
    this.validate(record as LoanTermsInput); // the pack may have changed since the terms were set
    const borrower = await this.users.findUserById(campaign.founderId);
    const person = borrower?.kind !== 'ORGANIZATION';
    const p = this.pack.parameters;
    const money = (n: number | string) => Money.fromDecimalString(String(n), campaign.currency);
    const capHere = money(person ? p.borrowerCapPersonHere : p.borrowerCapOrganizationHere);
    const capAll = money(person ? p.borrowerCapPersonAll : p.borrowerCapOrganizationAll);
    const requested = money(campaign.maxAmount);
    // One borrower's submits take turns, so two DEBT campaigns submitted at once both count.
    await this.terms.lockBorrower(campaign.founderId, tx);
    const outstandingHere = await this.outstanding.ofBorrower(
      campaign.founderId,
      campaign.currency,
      tx,
    );
    // A submitted, live, closing or suspended DEBT campaign is no loan yet but may become one:
    // its `maxAmount` counts too, or a borrower could pass the cap with several at once.
    const inFlight = await this.campaigns.debtInFlight(campaign.founderId, campaign.id, tx);
    const inFlightHere = Money.sum(
      inFlight.map((c) => money(c.maxAmount)),
      campaign.currency,
    );
    const other = money(record.otherPlatformDebt);
    const figures = {
      requested: requested.toString(),
      outstandingHere: outstandingHere.toString(),
      inFlightHere: inFlightHere.toString(),
      otherPlatformDebt: other.toString(),
      capHere: capHere.toString(),
      capAll: capAll.toString(),
    };
    const here = outstandingHere.plus(inFlightHere).plus(requested);
    if (here.greaterThan(capHere)) {
      throw new BorrowerCapExceededError({
        scope: 'PLATFORM',
        ...figures,
        wouldOwe: here.toString(),
        cap: capHere.toString(),
      });
    }
    const all = here.plus(other);
    if (all.greaterThan(capAll)) {
      throw new BorrowerCapExceededError({
        scope: 'ALL_PLATFORMS',
        ...figures,
        wouldOwe: all.toString(),
        cap: capAll.toString(),
      });
    }
    await this.terms.insertCapDecision(
      {
        id: randomUUID(),
        campaignId: campaign.id,
        borrowerId: campaign.founderId,
        borrowerKind: person ? 'PERSON' : 'ORGANIZATION',
        ...figures,
        rulePack: this.pack.effectiveId,
        decidedAt: this.clock.now(),
      },
      tx,
    );
  }

  private view(r: LoanTermsRecord): LoanTermsView {
    return {
      campaignId: r.campaignId,
      annualRate: r.annualRate,
      termMonths: r.termMonths,
      method: r.method,
      graceDays: r.graceDays,
      penaltyAnnualRate: r.penaltyAnnualRate,
      purposeCategory: r.purposeCategory as PurposeCategory,
      purpose: r.purpose,
      otherPlatformDebt: r.otherPlatformDebt,
      dayCountBasis: this.pack.parameters.dayCountBasis,
      updatedAt: r.updatedAt.toISOString(),
    };
  }
}
