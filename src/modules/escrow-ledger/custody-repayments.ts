import { Injectable } from '@nestjs/common';
import type { Money } from '../../common/money/money.js';
import type { Tx } from '../../database/transaction.js';

/** What the custodian booked into an account a module above owns (a loan's, a distribution's). */
interface CustodyCredit {
  amount: Money;
  bankReference: string;
  transferId: string;
  receivedAt: Date;
}

/** A REPAYMENT the custodian booked into a loan's repayment account (issue 14). */
export interface CustodyRepayment extends CustodyCredit {
  loanId: string;
}

/** A DISTRIBUTION an issuer funded through the custodian (issue 15). */
export interface CustodyDistribution extends CustodyCredit {
  distributionId: string;
}

type Handler<T> = (credit: T, tx: Tx) => Promise<void>;
export type CustodyRepaymentHandler = Handler<CustodyRepayment>;

/**
 * The ledger credits an account from custody and hands the money over to the module that owns
 * what the account is for, in the same transaction, without knowing it (DESIGN §2: escrow-ledger
 * imports no other module). A handler is called for every delivery of a notice, replays included:
 * it must apply a bank reference once (it keys its rows by it).
 */
class CustodyHandlers<T> {
  private readonly handlers: Handler<T>[] = [];

  register(handler: Handler<T>): void {
    this.handlers.push(handler);
  }

  async handle(credit: T, tx: Tx): Promise<void> {
    for (const handler of this.handlers) await handler(credit, tx);
  }
}

/** Lending registers here: a loan's repayment is applied to its instalments. */
@Injectable()
export class CustodyRepaymentHandlers extends CustodyHandlers<CustodyRepayment> {}

/** Holdings registers here: a funded distribution is paid out to the holders. */
@Injectable()
export class CustodyDistributionHandlers extends CustodyHandlers<CustodyDistribution> {}
