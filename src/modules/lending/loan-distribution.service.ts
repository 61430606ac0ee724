import { Injectable } from '@nestjs/common';
import { Money } from '../../common/money/money.js';
import type { Tx } from '../../database/transaction.js';
import {
  AccountCodes,
  LedgerService,
  type TransferRequest,
  WalletLines,
} from '../escrow-ledger/index.js';
import { allocateByFen } from './loan-schedule.js';
import { type LoanRecord, LoansRepository } from './loans.repository.js';
import { LoanReferences } from './outstanding-principal.service.js';

/** What one application of money paid on one instalment. */
export interface AppliedAmounts {
  penalty: Money;
  interest: Money;
  principal: Money;
  /** Early-repayment compensation paid with this instalment (issue 14, pack rule). */
  earlyFee: Money;
}

/**
 * Pays what was applied to one instalment out of the loan's repayment account to the lenders'
 * wallets, in ONE ledger batch (issue 14): principal by each lender's principal share of the
 * instalment, interest by their interest share, penalty and early fee by their part of the loan;
 * the platform's service fee (pack rate x interest and penalty, half-up) is shared the same way
 * and goes to platform:fees. Every split is largest-remainder, so the lenders' amounts and the fee
 * add up to what was applied exactly.
 */
@Injectable()
export class LoanDistribution {
  constructor(
    private readonly loans: LoansRepository,
    private readonly ledger: LedgerService,
    private readonly walletLines: WalletLines,
  ) {}

  async distribute(
    loan: LoanRecord,
    instalmentNumber: number,
    applied: AppliedAmounts,
    keyTag: string,
    tx: Tx,
  ): Promise<{ lenders: number; fee: Money }> {
    const currency = loan.currency;
    const zero = Money.zero(currency);
    const shares = await this.loans.shares(loan.id, instalmentNumber, tx);
    const fen = (v: string) => Money.fromDecimalString(v, currency).fen;
    const principalW = shares.map((s) => fen(s.principal));
    const interestW = shares.map((s) => fen(s.interest));
    const claims = new Map(
      (await this.loans.claims(loan.id, tx)).map((c) => [c.lenderId, fen(c.principal)]),
    );
    const loanW = shares.map((s) => claims.get(s.lenderId) ?? 0n);
    const split = (amount: Money, weights: bigint[]) =>
      amount.isZero() ? shares.map(() => zero) : allocateByFen(amount, weights);
    const principal = split(applied.principal, principalW.some((w) => w > 0n) ? principalW : loanW);
    const interest = split(applied.interest, interestW.some((w) => w > 0n) ? interestW : loanW);
    const penalty = split(applied.penalty, loanW);
    const early = split(applied.earlyFee, loanW);
    const income = shares.map((_, i) => interest[i].plus(penalty[i]).plus(early[i]));
    const totalIncome = Money.sum(income, currency);
    const fee = totalIncome.times(loan.serviceFeeRate, 'HALF_UP');
    const feeShares = split(
      fee,
      income.map((m) => m.fen),
    );
    const repayment = AccountCodes.loanRepayment(loan.id);
    // PLAT-07: lenders are repaid into their DEBT wallet when the lines are separated.
    // The wallet exists from the lender's pledge, unless the lines were separated after it (then
    // it is opened here, outside the transaction: opening is idempotent and commits on its own).
    const wallet = (lenderId: string) => this.walletLines.accountFor(lenderId, 'DEBT');
    if (this.walletLines.separated)
      for (const s of shares) await this.ledger.ensureAccount(wallet(s.lenderId), 'LIABILITY');
    const key = `lending:${loan.id}:${keyTag}:${instalmentNumber}`;
    const requests: TransferRequest[] = [];
    const received: { lenderId: string; principal: string; interest: string }[] = [];
    shares.forEach((s, i) => {
      const net = income[i].minus(feeShares[i]);
      if (!principal[i].isZero()) {
        requests.push({
          idempotencyKey: `${key}:${s.lenderId}:principal`,
          kind: 'REPAYMENT',
          debitAccount: repayment,
          creditAccount: wallet(s.lenderId),
          amount: principal[i],
          reference: LoanReferences.principal(loan.id),
        });
      }
      if (!net.isZero()) {
        requests.push({
          idempotencyKey: `${key}:${s.lenderId}:interest`,
          kind: 'REPAYMENT',
          debitAccount: repayment,
          creditAccount: wallet(s.lenderId),
          amount: net,
          reference: LoanReferences.interest(loan.id),
        });
      }
      if (!principal[i].isZero() || !net.isZero()) {
        received.push({
          lenderId: s.lenderId,
          principal: principal[i].toString(),
          interest: net.toString(),
        });
      }
    });
    if (!fee.isZero()) {
      requests.push({
        idempotencyKey: `${key}:fee`,
        kind: 'FEE',
        debitAccount: repayment,
        creditAccount: AccountCodes.platformFees,
        amount: fee,
        reference: LoanReferences.fee(loan.id),
      });
    }
    await this.ledger.transferMany(requests, tx);
    await this.loans.addReceived(loan.id, received, tx);
    return { lenders: received.length, fee };
  }
}
