import { Injectable } from '@nestjs/common';
import type { Role } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { Money } from '../../common/money/money.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import type { PageRequest } from '../../database/keyset-page.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { LoanPagesRepository } from './loan-pages.repository.js';
import { daysBetween, utcDate } from './loan-dates.js';
import { owed } from './loan-servicing.js';
import {
  type InstalmentRecord,
  type LoanRecord,
  LoansRepository,
  type LoanStatus,
} from './loans.repository.js';
import { OutstandingPrincipal } from './outstanding-principal.service.js';

export type OverdueBucket = 'CURRENT' | 'M1' | 'M2' | 'M3_PLUS';

export interface LoanView {
  id: string;
  campaignId: string;
  borrowerId: string;
  status: LoanStatus;
  currency: string;
  principal: string;
  /** From the ledger: the loan minus the principal paid out to the lenders (CN-P2P-02). */
  outstandingPrincipal: string;
  annualRate: string;
  termMonths: number;
  method: string;
  graceDays: number;
  penaltyAnnualRate: string;
  dayCountBasis: number;
  startDate: string;
  lenderCount: number;
  /** Unpaid principal, interest and penalty of instalments past due. */
  overdueAmount: string;
  overdueDays: number;
  bucket: OverdueBucket;
  borrowerCredit: string;
  nextDue: { number: number; dueDate: string; amount: string } | null;
  createdAt: string;
  closedAt: string | null;
}

export interface InstalmentView {
  number: number;
  dueDate: string;
  status: string;
  principal: string;
  interest: string;
  interestWaived: string;
  penalty: string;
  principalPaid: string;
  interestPaid: string;
  penaltyPaid: string;
  paidAt: string | null;
}

export interface ClaimView {
  loanId: string;
  campaignId: string;
  loanStatus: LoanStatus;
  currency: string;
  principal: string;
  principalReceived: string;
  principalOutstanding: string;
  interestReceived: string;
  nextPayment: { number: number; dueDate: string; principal: string; interest: string } | null;
}

/** M1 = 1-30 days past due, M2 = 31-60, M3+ = more (CN-P2P-10 reports > 90 days too). */
export function bucketOf(days: number): OverdueBucket {
  if (days <= 0) return 'CURRENT';
  if (days <= 30) return 'M1';
  if (days <= 60) return 'M2';
  return 'M3_PLUS';
}

/** Reading loans (issue 14): who may see a loan, its schedule, a lender's claims. */
@Injectable()
export class LoanQueries {
  constructor(
    private readonly loans: LoansRepository,
    private readonly pages: LoanPagesRepository,
    private readonly outstanding: OutstandingPrincipal,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** The borrower, its lenders, ADMIN and FINANCE; anyone else gets 404. */
  async get(user: { id: string; role: Role }, loanId: string): Promise<LoanView> {
    return this.transactions.run(async (tx) => {
      const loan = await this.visible(user, loanId, tx);
      return (await this.views([loan], tx))[0];
    });
  }

  async schedule(user: { id: string; role: Role }, loanId: string): Promise<InstalmentView[]> {
    return this.transactions.run(async (tx) => {
      await this.visible(user, loanId, tx);
      return (await this.loans.instalments(loanId, tx)).map(toInstalmentView);
    });
  }

  /** A borrower's loans, oldest first, one cursor page at a time (issue 16). */
  myLoans(borrowerId: string, page: PageRequest): Promise<Page<LoanView>> {
    return this.transactions.run(async (tx) =>
      this.viewPage(await this.pages.byBorrower(borrowerId, page, tx), tx),
    );
  }

  /** Every loan (in `status`): the finance totals and the CSV read the whole book. */
  async list(status: LoanStatus | null): Promise<LoanView[]> {
    return this.transactions.run(async (tx) =>
      this.views(await this.loans.byStatus(status, tx), tx),
    );
  }

  /** One cursor page of the book (in `status`), oldest first (issue 16). */
  page(status: LoanStatus | null, page: PageRequest): Promise<Page<LoanView>> {
    return this.transactions.run(async (tx) =>
      this.viewPage(await this.pages.byStatus(status, page, tx), tx),
    );
  }

  private async viewPage(page: Page<LoanRecord>, tx: Tx): Promise<Page<LoanView>> {
    return { items: await this.views(page.items, tx), nextCursor: page.nextCursor };
  }

  /** A lender's claims in the order of their loans, one cursor page at a time (issue 16). */
  async myClaims(lenderId: string, page: PageRequest): Promise<Page<ClaimView>> {
    return this.transactions.run(async (tx) => {
      const out: ClaimView[] = [];
      const claims = await this.pages.claimsOfLender(lenderId, page, tx);
      for (const claim of claims.items) {
        const loan = await this.loans.find(claim.loanId, tx);
        if (!loan) continue;
        const m = (v: string) => Money.fromDecimalString(v, loan.currency);
        const next = (await this.loans.instalments(loan.id, tx)).find((i) => i.status !== 'PAID');
        const share = next
          ? (await this.loans.shares(loan.id, next.number, tx)).find((s) => s.lenderId === lenderId)
          : undefined;
        out.push({
          loanId: loan.id,
          campaignId: loan.campaignId,
          loanStatus: loan.status,
          currency: loan.currency,
          principal: claim.principal,
          principalReceived: claim.principalReceived,
          principalOutstanding: m(claim.principal).minus(m(claim.principalReceived)).toString(),
          interestReceived: claim.interestReceived,
          nextPayment:
            next && share
              ? {
                  number: next.number,
                  dueDate: next.dueDate,
                  principal: share.principal,
                  interest: share.interest,
                }
              : null,
        });
      }
      return { items: out, nextCursor: claims.nextCursor };
    });
  }

  private async visible(
    user: { id: string; role: Role },
    loanId: string,
    tx: Tx,
  ): Promise<LoanRecord> {
    const loan = await this.loans.find(loanId, tx);
    const allowed =
      loan &&
      (user.role === 'ADMIN' ||
        user.role === 'FINANCE' ||
        loan.borrowerId === user.id ||
        (await this.loans.isLender(loanId, user.id, tx)));
    if (!loan || !allowed) throw new NotFoundError('Loan', { loanId });
    return loan;
  }

  async views(loans: readonly LoanRecord[], tx: Tx): Promise<LoanView[]> {
    if (loans.length === 0) return [];
    const today = utcDate(this.clock.now());
    const outstanding = await this.outstanding.ofLoans(loans, loans[0].currency, tx);
    const out: LoanView[] = [];
    for (const loan of loans) {
      const instalments = await this.loans.instalments(loan.id, tx);
      const lenders = await this.loans.claims(loan.id, tx);
      out.push(
        toView(
          loan,
          instalments,
          lenders.length,
          outstanding.get(loan.id)?.toString() ?? '0.00',
          today,
        ),
      );
    }
    return out;
  }
}

function toView(
  loan: LoanRecord,
  instalments: readonly InstalmentRecord[],
  lenderCount: number,
  outstandingPrincipal: string,
  today: string,
): LoanView {
  const zero = Money.zero(loan.currency);
  const unpaid = instalments.filter((i) => i.status !== 'PAID');
  const pastDue = unpaid.filter((i) => daysBetween(i.dueDate, today) > 0);
  const overdueAmount = pastDue.reduce((s, i) => {
    const o = owed(i, loan.currency);
    return s.plus(o.penalty).plus(o.interest).plus(o.principal);
  }, zero);
  const overdueDays = pastDue.length > 0 ? daysBetween(pastDue[0].dueDate, today) : 0;
  const next = unpaid[0];
  const nextOwed = next ? owed(next, loan.currency) : null;
  return {
    id: loan.id,
    campaignId: loan.campaignId,
    borrowerId: loan.borrowerId,
    status: loan.status,
    currency: loan.currency,
    principal: loan.principal,
    outstandingPrincipal,
    annualRate: loan.annualRate,
    termMonths: loan.termMonths,
    method: loan.method,
    graceDays: loan.graceDays,
    penaltyAnnualRate: loan.penaltyAnnualRate,
    dayCountBasis: loan.dayCountBasis,
    startDate: loan.startDate,
    lenderCount,
    overdueAmount: overdueAmount.toString(),
    overdueDays,
    bucket: bucketOf(overdueDays),
    borrowerCredit: loan.borrowerCredit,
    nextDue:
      next && nextOwed
        ? {
            number: next.number,
            dueDate: next.dueDate,
            amount: nextOwed.penalty.plus(nextOwed.interest).plus(nextOwed.principal).toString(),
          }
        : null,
    createdAt: loan.createdAt.toISOString(),
    closedAt: loan.closedAt?.toISOString() ?? null,
  };
}

export function toInstalmentView(i: InstalmentRecord): InstalmentView {
  return {
    number: i.number,
    dueDate: i.dueDate,
    status: i.status,
    principal: i.principal,
    interest: i.interest,
    interestWaived: i.interestWaived,
    penalty: i.penalty,
    principalPaid: i.principalPaid,
    interestPaid: i.interestPaid,
    penaltyPaid: i.penaltyPaid,
    paidAt: i.paidAt?.toISOString() ?? null,
  };
}
