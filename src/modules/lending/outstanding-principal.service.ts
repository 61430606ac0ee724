import { Injectable } from '@nestjs/common';
import { Money } from '../../common/money/money.js';
import type { Tx } from '../../database/transaction.js';
import { LedgerService } from '../escrow-ledger/index.js';
import { LoansRepository } from './loans.repository.js';

/** Ledger references the lending module writes: each loan's principal and interest paid out. */
export const LoanReferences = {
  principal: (loanId: string) => `loan:${loanId}:principal`,
  interest: (loanId: string) => `loan:${loanId}:interest`,
  fee: (loanId: string) => `loan:${loanId}:fee`,
  campaign: (campaignId: string) => `campaign:${campaignId}`,
} as const;

/**
 * CN-P2P-02: a borrower's outstanding principal on this platform, computed from the ledger: for
 * each of their loans, what settlement moved out of the campaign's escrow (net + fee = the loan)
 * minus the principal distributed to lenders since.
 */
@Injectable()
export class OutstandingPrincipal {
  constructor(
    private readonly loans: LoansRepository,
    private readonly ledger: LedgerService,
  ) {}

  async ofBorrower(borrowerId: string, currency: string, tx: Tx): Promise<Money> {
    const loans = await this.loans.byBorrower(borrowerId, tx);
    const byLoan = await this.ofLoans(
      loans.map((l) => ({ id: l.id, campaignId: l.campaignId })),
      currency,
      tx,
    );
    return Money.sum([...byLoan.values()], currency);
  }

  /** Each loan's outstanding principal now, or as it stood just before `before`. */
  async ofLoans(
    loans: readonly { id: string; campaignId: string }[],
    currency: string,
    tx: Tx,
    before?: Date,
  ): Promise<Map<string, Money>> {
    // One transaction, one connection: the two sums go one after the other (pg 9).
    const lent = await this.ledger.sumPostedByReference(
      loans.map((l) => LoanReferences.campaign(l.campaignId)),
      ['SETTLEMENT', 'FEE'],
      tx,
      before,
    );
    const repaid = await this.ledger.sumPostedByReference(
      loans.map((l) => LoanReferences.principal(l.id)),
      ['REPAYMENT'],
      tx,
      before,
    );
    const money = (v: string | undefined) => Money.fromDecimalString(v ?? '0', currency);
    return new Map(
      loans.map((l) => [
        l.id,
        money(lent.get(LoanReferences.campaign(l.campaignId))).minus(
          money(repaid.get(LoanReferences.principal(l.id))),
        ),
      ]),
    );
  }
}
