import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { Money } from '../../common/money/money.js';
import { type Notice, NOTICES, type NoticeSink } from '../../common/notices/notices.port.js';
import type { Tx } from '../../database/transaction.js';
import { type CustodyRepayment, CustodyRepaymentHandlers } from '../escrow-ledger/index.js';
import { daysBetween, utcDate } from './loan-dates.js';
import { LoanDistribution } from './loan-distribution.service.js';
import { CreditService } from '../credit/index.js';
import { accrue, applyTo, owed, payoffQuote } from './loan-servicing.js';
import { type InstalmentRecord, type LoanRecord, LoansRepository } from './loans.repository.js';

/** What one application of money did, kept with the repayment (and answered to tests). */
export interface ApplicationReport {
  instalments: { number: number; penalty: string; interest: string; principal: string }[];
  earlyPayoff: boolean;
  /** Instalments that became OVERDUE in this application (penalty accrues from their due date). */
  becameOverdue: number[];
  /** Left over and held as the borrower's credit (issue 14: overpayment). */
  credit: string;
}

/**
 * Repayments (issue 14): a custody REPAYMENT lands in the loan's repayment account and is applied
 * here in the same transaction, once per bank reference: penalty, then interest, then principal,
 * oldest due instalment first; each instalment touched is paid out to the lenders in one ledger
 * batch. Money left once every due instalment is paid pays the loan off early when it covers the
 * payoff quote (pack rule), and is otherwise held as the borrower's credit, applied as
 * instalments fall due (the sweep).
 */
@Injectable()
export class LoanRepayments implements OnModuleInit {
  constructor(
    private readonly handlers: CustodyRepaymentHandlers,
    private readonly loans: LoansRepository,
    private readonly distribution: LoanDistribution,
    private readonly credit: CreditService,
    private readonly clock: Clock,
    @Inject(NOTICES) private readonly notices: NoticeSink,
  ) {}

  onModuleInit(): void {
    this.handlers.register((repayment, tx) => this.onRepayment(repayment, tx));
  }

  async onRepayment(r: CustodyRepayment, tx: Tx): Promise<void> {
    // The bank reference's row first: a concurrent duplicate waits here, then applies nothing.
    const fresh = await this.loans.insertRepayment(
      {
        bankReference: r.bankReference,
        loanId: r.loanId,
        amount: r.amount.toString(),
        transferId: r.transferId,
        receivedAt: r.receivedAt,
      },
      tx,
    );
    if (!fresh) return;
    const loan = await this.loans.find(r.loanId, tx, true);
    if (!loan) throw new Error(`repayment account without a loan: ${r.loanId}`);
    const credit = Money.fromDecimalString(loan.borrowerCredit, loan.currency);
    const report = await this.apply(
      loan,
      r.amount.plus(credit),
      `repay:${r.bankReference}`,
      true,
      tx,
    );
    await this.loans.recordApplied(r.bankReference, report, tx);
  }

  /**
   * Applies `funds` (the new money plus any credit) to the locked loan and saves the loan and its
   * instalments. `allowPayoff`: a repayment may pay the loan off early; the sweep's use of held
   * credit may not (only the borrower decides to pay off).
   */
  async apply(
    loan: LoanRecord,
    funds: Money,
    keyTag: string,
    allowPayoff: boolean,
    tx: Tx,
  ): Promise<ApplicationReport> {
    const now = this.clock.now();
    const today = utcDate(now);
    const instalments = await this.loans.instalments(loan.id, tx);
    const report: ApplicationReport = {
      instalments: [],
      earlyPayoff: false,
      becameOverdue: [],
      credit: '0.00',
    };
    const touched = new Set<InstalmentRecord>();
    let left = funds;
    for (const i of instalments) {
      if (i.status === 'PAID') continue;
      if (accrue(i, loan, today)) {
        touched.add(i);
        report.becameOverdue.push(i.number);
      }
      if (daysBetween(i.dueDate, today) < 0 || left.isZero()) {
        if (i.status !== 'SCHEDULED') touched.add(i);
        continue;
      }
      const step = applyTo(i, left, loan.currency, now);
      left = step.left;
      touched.add(i);
      await this.payOut(loan, i, step.applied, Money.zero(loan.currency), keyTag, report, tx);
    }
    const future = instalments.filter((i) => i.status !== 'PAID');
    if (
      allowPayoff &&
      future.length > 0 &&
      !left.isZero() &&
      future.every((i) => i.status === 'SCHEDULED')
    ) {
      const quote = payoffQuote(future, loan);
      if (!left.lessThan(quote.total)) {
        left = left.minus(quote.total);
        future.forEach((i, k) => {
          if (k > 0)
            i.interestWaived = Money.fromDecimalString(i.interest, loan.currency)
              .minus(Money.fromDecimalString(i.interestPaid, loan.currency))
              .toString();
        });
        for (const [k, i] of future.entries()) {
          const due = applyTo(
            i,
            Money.fromFen(10n ** 17n, loan.currency),
            loan.currency,
            now,
          ).applied;
          touched.add(i);
          await this.payOut(
            loan,
            i,
            due,
            k === 0 ? quote.earlyFee : Money.zero(loan.currency),
            keyTag,
            report,
            tx,
          );
        }
        report.earlyPayoff = true;
      }
    }
    for (const i of touched) await this.loans.updateInstalment(i, tx);
    if (instalments.every((i) => i.status === 'PAID') && loan.status !== 'REPAID') {
      loan.status = 'REPAID';
      loan.closedAt = now;
    }
    loan.borrowerCredit = left.toString();
    report.credit = loan.borrowerCredit;
    if (report.becameOverdue.length > 0)
      await this.announceOverdue(loan, instalments, report, now, tx);
    await this.loans.updateLoan(loan, tx);
    return report;
  }

  /**
   * Issue 14: the borrower and the lenders hear of each instalment that went OVERDUE, and the
   * borrower's first overdue instalment on a loan writes a WARNING credit record (PLAT-03).
   */
  private async announceOverdue(
    loan: LoanRecord,
    instalments: readonly InstalmentRecord[],
    report: ApplicationReport,
    now: Date,
    tx: Tx,
  ): Promise<void> {
    const lenders = await this.loans.claims(loan.id, tx);
    const recipients = [loan.borrowerId, ...lenders.map((l) => l.lenderId)];
    const notices: Notice[] = [];
    for (const number of report.becameOverdue) {
      const i = instalments.find((x) => x.number === number);
      if (!i) continue;
      const o = owed(i, loan.currency);
      for (const recipientId of recipients) {
        notices.push({
          recipientId,
          type: 'loan.instalment_overdue',
          campaignId: loan.campaignId,
          params: {
            loanId: loan.id,
            instalment: number,
            dueDate: i.dueDate,
            amount: o.interest.plus(o.principal).toString(),
            currency: loan.currency,
          },
          dedupeKey: `loan.overdue:${loan.id}:${number}`,
        });
      }
    }
    await this.notices.record(notices, tx);
    if (!loan.overdueRecordedAt) {
      loan.overdueRecordedAt = now;
      await this.credit.recordAutomatic(
        {
          userId: loan.borrowerId,
          kind: 'DEFAULT',
          severity: 'WARNING',
          source: `lending:loan:${loan.id}`,
          note: `Instalment ${report.becameOverdue[0]} of loan ${loan.id} is overdue (issue 14).`,
        },
        tx,
      );
    }
  }

  private async payOut(
    loan: LoanRecord,
    i: InstalmentRecord,
    applied: { penalty: Money; interest: Money; principal: Money },
    earlyFee: Money,
    keyTag: string,
    report: ApplicationReport,
    tx: Tx,
  ): Promise<void> {
    const total = applied.penalty.plus(applied.interest).plus(applied.principal).plus(earlyFee);
    if (total.isZero()) return;
    await this.distribution.distribute(loan, i.number, { ...applied, earlyFee }, keyTag, tx);
    report.instalments.push({
      number: i.number,
      penalty: applied.penalty.toString(),
      interest: applied.interest.plus(earlyFee).toString(),
      principal: applied.principal.toString(),
    });
    const lenders = await this.loans.claims(loan.id, tx);
    const params = {
      loanId: loan.id,
      instalment: i.number,
      amount: total.toString(),
      currency: loan.currency,
      status: i.status,
    };
    const notices: Notice[] = [loan.borrowerId, ...lenders.map((l) => l.lenderId)].map(
      (recipientId) => ({
        recipientId,
        type: 'loan.repayment_received',
        campaignId: loan.campaignId,
        params,
        dedupeKey: `loan.repaid:${keyTag}:${loan.id}:${i.number}`,
      }),
    );
    await this.notices.record(notices, tx);
  }
}
