import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { Money } from '../../common/money/money.js';
import { NOTICES, type NoticeSink } from '../../common/notices/notices.port.js';
import { TransactionRunner } from '../../database/transaction.js';
import { CreditService } from '../credit/index.js';
import { daysBetween, utcDate } from './loan-dates.js';
import { LoanRepayments } from './loan-repayments.service.js';
import { OperatingDisclosures } from './operating-disclosure.service.js';
import { LoansRepository } from './loans.repository.js';

export interface LendingSweepReport {
  loansSwept: number;
  becameOverdue: number;
  defaulted: number;
}

/**
 * The lending sweep (issue 14), idempotent and safe side by side (each loan in its own short
 * transaction under its row lock): instalments past their grace days become OVERDUE and accrue
 * penalty interest to the day; held borrower credit is applied as instalments fall due; a loan
 * whose oldest unpaid instalment is `defaultAfterDays` past due is DEFAULTED, with a BLOCKING
 * credit record on the borrower (PLAT-03: the seed ties credit to market access).
 */
@Injectable()
export class LoanOverdueSweep {
  constructor(
    private readonly loans: LoansRepository,
    private readonly repayments: LoanRepayments,
    private readonly credit: CreditService,
    private readonly disclosures: OperatingDisclosures,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(NOTICES) private readonly notices: NoticeSink,
  ) {}

  async runOnce(limit = 500): Promise<LendingSweepReport> {
    const today = utcDate(this.clock.now());
    const report: LendingSweepReport = { loansSwept: 0, becameOverdue: 0, defaulted: 0 };
    const ids = await this.transactions.run((tx) => this.loans.loansToSweep(today, limit, tx));
    for (const id of ids) {
      await this.transactions.run(async (tx) => {
        const loan = await this.loans.find(id, tx, true);
        if (!loan || loan.status === 'REPAID') return;
        const credit = Money.fromDecimalString(loan.borrowerCredit, loan.currency);
        const applied = await this.repayments.apply(
          loan,
          credit,
          `credit:${randomUUID()}`,
          false,
          tx,
        );
        report.loansSwept++;
        report.becameOverdue += applied.becameOverdue.length;
        if (loan.status !== 'ACTIVE') return;
        const unpaid = (await this.loans.instalments(id, tx)).filter((i) => i.status !== 'PAID');
        const oldest = unpaid[0];
        if (!oldest || daysBetween(oldest.dueDate, today) < loan.defaultAfterDays) return;
        loan.status = 'DEFAULTED';
        await this.loans.updateLoan(loan, tx);
        await this.credit.recordAutomatic(
          {
            userId: loan.borrowerId,
            kind: 'DEFAULT',
            severity: 'BLOCKING',
            source: `lending:loan:${loan.id}`,
            note: `Loan ${loan.id} is in default: instalment ${oldest.number} due ${oldest.dueDate} unpaid for ${loan.defaultAfterDays} days or more (issue 14).`,
          },
          tx,
        );
        const lenders = await this.loans.claims(id, tx);
        await this.notices.record(
          [loan.borrowerId, ...lenders.map((l) => l.lenderId)].map((recipientId) => ({
            recipientId,
            type: 'loan.defaulted' as const,
            campaignId: loan.campaignId,
            params: { loanId: loan.id, days: loan.defaultAfterDays },
            dedupeKey: `loan.defaulted:${loan.id}`,
          })),
          tx,
        );
        report.defaulted++;
      });
    }
    // CN-P2P-10: the month that ended is frozen early in the next (first run after month end).
    await this.disclosures.freezeLastMonth();
    return report;
  }
}
