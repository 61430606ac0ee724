import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Money } from '../../common/money/money.js';
import { NOTICES, type NoticeSink } from '../../common/notices/notices.port.js';
import { rulePackConfig, type RulePackConfig } from '../../config/namespaces.js';
import type { Tx } from '../../database/transaction.js';
import { AccountCodes, LedgerService } from '../escrow-ledger/index.js';
import { type SettledCampaign, SettlementHandovers } from '../settlement/index.js';
import { addMonths, utcDate } from './loan-dates.js';
import { computeSchedule, splitSchedule } from './loan-schedule.js';
import { LoanTermsService } from './loan-terms.service.js';
import { type InstalmentRecord, type LoanRecord, LoansRepository } from './loans.repository.js';

/**
 * Issue 14: when a DEBT campaign settles, the loan is made in the settling transaction (DESIGN §2
 * hand-over): a claim per lender (principal = their settled pledges), the schedule exact to the
 * fen and each lender's share of each instalment (largest remainder), and the loan's repayment
 * account in the ledger. A failure here rolls the settlement back.
 */
@Injectable()
export class LoanOrigination implements OnModuleInit {
  constructor(
    private readonly handovers: SettlementHandovers,
    private readonly terms: LoanTermsService,
    private readonly loans: LoansRepository,
    private readonly ledger: LedgerService,
    @Inject(NOTICES) private readonly notices: NoticeSink,
    @Inject(rulePackConfig.KEY) private readonly pack: RulePackConfig,
  ) {}

  onModuleInit(): void {
    this.handovers.register('DEBT', async (campaign, tx) => {
      await this.originate(campaign, tx);
    });
  }

  async originate(campaign: SettledCampaign, tx: Tx): Promise<string | null> {
    const terms = await this.terms.find(campaign.id, tx);
    // A debt campaign submitted before the lending module existed has no terms: no loan to make.
    if (!terms) return null;
    const lenders = campaign.investors; // settledByInvestor, read once by settlement
    const principal = Money.sum(
      lenders.map((l) => l.amount),
      campaign.currency,
    );
    if (!principal.equals(campaign.gross)) {
      throw new Error(
        `loan for campaign ${campaign.id}: claims ${principal.toString()} != gross ${campaign.gross.toString()}`,
      );
    }
    const schedule = computeSchedule({
      principal,
      annualRate: terms.annualRate,
      termMonths: terms.termMonths,
      method: terms.method,
    });
    const shares = splitSchedule(
      schedule,
      lenders.map((l) => l.amount),
    );
    const p = this.pack.parameters;
    const startDate = utcDate(campaign.settledAt);
    const loan: LoanRecord = {
      id: randomUUID(),
      campaignId: campaign.id,
      borrowerId: campaign.founderId,
      currency: campaign.currency,
      principal: principal.toString(),
      annualRate: terms.annualRate,
      termMonths: terms.termMonths,
      method: terms.method,
      graceDays: terms.graceDays,
      penaltyAnnualRate: terms.penaltyAnnualRate,
      dayCountBasis: p.dayCountBasis,
      serviceFeeRate: p.lendingServiceFeeRate.toFixed(4),
      earlyRepaymentFeeRate: p.earlyRepaymentFeeRate.toFixed(4),
      defaultAfterDays: p.defaultAfterDays,
      status: 'ACTIVE',
      startDate,
      borrowerCredit: '0.00',
      overdueRecordedAt: null,
      createdAt: campaign.settledAt,
      closedAt: null,
    };
    const instalments: InstalmentRecord[] = schedule.map((i) => {
      const dueDate = addMonths(startDate, i.number);
      return {
        loanId: loan.id,
        number: i.number,
        dueDate,
        principal: i.principal.toString(),
        interest: i.interest.toString(),
        interestWaived: '0.00',
        penalty: '0.00',
        principalPaid: '0.00',
        interestPaid: '0.00',
        penaltyPaid: '0.00',
        penaltyThrough: dueDate,
        status: 'SCHEDULED',
        overdueSince: null,
        paidAt: null,
      };
    });
    await this.loans.insertLoan(
      loan,
      lenders.map((l) => ({
        lenderId: l.investorId,
        principal: l.amount.toString(),
        interest: '0.00',
      })),
      instalments,
      shares.flatMap((row, k) =>
        row.map((s, i) => ({
          number: k + 1,
          lenderId: lenders[i].investorId,
          principal: s.principal.toString(),
          interest: s.interest.toString(),
        })),
      ),
      tx,
    );
    await this.ledger.openAccount(
      AccountCodes.loanRepayment(loan.id),
      'LIABILITY',
      campaign.currency,
      tx,
    );
    await this.notices.record(
      [
        {
          recipientId: loan.borrowerId,
          type: 'loan.created',
          campaignId: campaign.id,
          params: {
            loanId: loan.id,
            amount: loan.principal,
            currency: loan.currency,
            firstDueDate: instalments[0].dueDate,
          },
          dedupeKey: `loan.created:${loan.id}`,
        },
      ],
      tx,
    );
    return loan.id;
  }
}
