import { Injectable } from '@nestjs/common';
import type { Money } from '../../common/money/money.js';
import type { Tx } from '../../database/transaction.js';

/** A REPAYMENT the custodian booked into a loan's repayment account (issue 14). */
export interface CustodyRepayment {
  loanId: string;
  amount: Money;
  bankReference: string;
  transferId: string;
  receivedAt: Date;
}

export type CustodyRepaymentHandler = (repayment: CustodyRepayment, tx: Tx) => Promise<void>;

/**
 * The ledger credits a loan's repayment account from custody and hands the money over to the
 * module that owns loans (lending), in the same transaction, without knowing it (DESIGN §2:
 * escrow-ledger imports no other module). The handler is called for every delivery of a notice,
 * replays included: it must apply a bank reference once (lending keys its rows by it).
 */
@Injectable()
export class CustodyRepaymentHandlers {
  private readonly handlers: CustodyRepaymentHandler[] = [];

  register(handler: CustodyRepaymentHandler): void {
    this.handlers.push(handler);
  }

  async handle(repayment: CustodyRepayment, tx: Tx): Promise<void> {
    for (const handler of this.handlers) await handler(repayment, tx);
  }
}
