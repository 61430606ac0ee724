import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError, RuleViolationError } from '../../common/errors/domain-error.js';
import { Money } from '../../common/money/money.js';
import { AuditService } from '../audit/index.js';
import {
  AccountCodes,
  IdempotencyService,
  LedgerService,
  requestHash,
} from '../escrow-ledger/index.js';
import { LoansRepository } from './loans.repository.js';

export interface CreditWithdrawalView {
  loanId: string;
  transferId: string;
  amount: string;
  currency: string;
  createdAt: string;
}

/**
 * Issue 14: an overpayment is held as the borrower's credit in the loan's repayment account and
 * applied as instalments fall due. The borrower may take it back instead: all of it moves, by one
 * posted CREDIT_WITHDRAWAL, to their wallet (a founder's payable account), audited. The loan row
 * is locked first, so concurrent requests (a duplicate key, or another key) move it once; the
 * rest find no credit left (422 LENDING.NO_CREDIT).
 */
@Injectable()
export class LoanCredit {
  constructor(
    private readonly loans: LoansRepository,
    private readonly ledger: LedgerService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async withdraw(
    borrowerId: string,
    loanId: string,
    key: string,
  ): Promise<{ body: CreditWithdrawalView; replayed: boolean }> {
    const hash = requestHash({ route: 'POST /loans/:id/credit/withdrawal', loanId });
    return this.idempotency.execute(`loan-credit:${borrowerId}`, key, hash, async (tx) => {
      const loan = await this.loans.find(loanId, tx, true);
      if (!loan || loan.borrowerId !== borrowerId) throw new NotFoundError('Loan');
      const credit = Money.fromDecimalString(loan.borrowerCredit, loan.currency);
      if (credit.isZero() || credit.isNegative())
        throw new RuleViolationError('LENDING.NO_CREDIT', 'The loan holds no credit to withdraw.', {
          loanId,
        });
      const wallet = AccountCodes.founderPayable(borrowerId);
      await this.ledger.openAccount(wallet, 'LIABILITY', loan.currency, tx);
      const t = await this.ledger.transfer(
        {
          idempotencyKey: `loan-credit:${loanId}:${key}`,
          kind: 'CREDIT_WITHDRAWAL',
          debitAccount: AccountCodes.loanRepayment(loanId),
          creditAccount: wallet,
          amount: credit,
          reference: `loan:${loanId}:credit`,
        },
        tx,
      );
      loan.borrowerCredit = Money.zero(loan.currency).toString();
      await this.loans.updateLoan(loan, tx);
      await this.audit.append(
        {
          occurredAt: this.clock.now(),
          actorId: borrowerId,
          action: 'LOAN_CREDIT_WITHDRAWN',
          subjectType: 'loan',
          subjectId: loanId,
          details: { transferId: t.id, amount: t.amount },
        },
        tx,
      );
      return {
        loanId,
        transferId: t.id,
        amount: t.amount,
        currency: t.currency,
        createdAt: t.createdAt.toISOString(),
      };
    });
  }
}
