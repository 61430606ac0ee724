import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, RuleViolationError } from '../../common/errors/domain-error.js';
import { Money } from '../../common/money/money.js';
import { NOTICES, type NoticeSink, type NoticeType } from '../../common/notices/notices.port.js';
import { ledgerConfig, type LedgerConfig } from '../../config/namespaces.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import type { CustodyNotificationDto } from './dto/custody.dto.js';
import { requestHash } from './idempotency.service.js';
import { CustodyDistributionHandlers, CustodyRepaymentHandlers } from './custody-repayments.js';
import { CustodyRepository } from './custody.repository.js';
import { IdempotencyKeyReusedError } from './ledger.errors.js';
import { LedgerService } from './ledger.service.js';
import { AccountCodes, type Transfer } from './ledger.types.js';
import { WalletService } from './wallet.service.js';

export class BadSignatureError extends DomainError {
  constructor() {
    super(
      'CUSTODY.BAD_SIGNATURE',
      'UNAUTHENTICATED',
      'The custody notification signature is missing or wrong.',
    );
  }
}

/** REPAYMENT has none here: the lending module tells the borrower and lenders what it applied. */
const CUSTODY_NOTICES: Record<CustodyNotificationDto['type'], NoticeType | null> = {
  DEPOSIT: 'deposit.received',
  WITHDRAWAL_SETTLED: 'withdrawal.settled',
  WITHDRAWAL_FAILED: 'withdrawal.failed',
  PAYOUT_SETTLED: 'payout.paid',
  PAYOUT_FAILED: 'payout.failed',
  REPAYMENT: null,
  DISTRIBUTION: null, // the holdings module tells each holder what they received
};

export interface CustodyResult {
  bankReference: string;
  transferId: string;
  transferStatus: Transfer['status'];
  replayed: boolean;
}

/**
 * Notifications from the custodian bank (PLAT-05): deposits credit a wallet; settled or failed
 * withdrawals and payouts post or void their hold. Authenticated by HMAC-SHA256 over the raw body,
 * idempotent by bankReference (one effect however often the bank retries).
 */
@Injectable()
export class CustodyService {
  constructor(
    @Inject(ledgerConfig.KEY) private readonly config: LedgerConfig,
    private readonly ledger: LedgerService,
    private readonly wallets: WalletService,
    private readonly notifications: CustodyRepository,
    private readonly transactions: TransactionRunner,
    @Inject(NOTICES) private readonly notices: NoticeSink,
    private readonly repayments: CustodyRepaymentHandlers,
    private readonly distributions: CustodyDistributionHandlers,
  ) {}

  /** Constant-time check of `X-Custody-Signature: sha256=<hex>`. */
  verifySignature(rawBody: Buffer | undefined, header: unknown): void {
    if (!rawBody || typeof header !== 'string' || !header.startsWith('sha256='))
      throw new BadSignatureError();
    const given = Buffer.from(header.slice('sha256='.length), 'hex');
    const expected = createHmac('sha256', this.config.custodyWebhookSecret)
      .update(rawBody)
      .digest();
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new BadSignatureError();
  }

  /**
   * Issue 14: a REPAYMENT credits the loan's repayment account from custody cash, then the loan's
   * owner (lending) applies it in this transaction. Issue 15: a DISTRIBUTION credits the announced
   * distribution's funding account, then holdings pays the holders. A concurrent duplicate waits on
   * the transfer's key, replays it, and the handler (keyed by bank reference) applies nothing twice.
   */
  private async creditAndHandOver(
    n: CustodyNotificationDto,
    amount: Money,
    key: string,
    tx: Tx,
  ): Promise<Transfer> {
    const repayment = n.type === 'REPAYMENT';
    const targetId = repayment ? n.loanId : n.distributionId;
    if (!targetId)
      throw repayment
        ? new RuleViolationError('CUSTODY.LOAN_REQUIRED', 'A repayment names the loan it repays.')
        : new RuleViolationError(
            'CUSTODY.DISTRIBUTION_REQUIRED',
            'A distribution notice names the distribution it funds.',
          );
    const account = repayment
      ? AccountCodes.loanRepayment(targetId)
      : AccountCodes.distributionFunding(targetId);
    if (!(await this.ledger.findAccount(account, tx)))
      throw repayment
        ? new RuleViolationError('CUSTODY.UNKNOWN_LOAN', 'No loan has this id.')
        : new RuleViolationError(
            'CUSTODY.UNKNOWN_DISTRIBUTION',
            'No announced distribution has this id.',
          );
    const transfer = await this.ledger.transfer(
      {
        idempotencyKey: key,
        kind: repayment ? 'REPAYMENT' : 'DISTRIBUTION',
        debitAccount: AccountCodes.custodyCash,
        creditAccount: account,
        amount,
        reference: key,
      },
      tx,
    );
    const credit = {
      amount,
      bankReference: n.bankReference,
      transferId: transfer.id,
      receivedAt: transfer.createdAt,
    };
    if (repayment) await this.repayments.handle({ ...credit, loanId: targetId }, tx);
    else await this.distributions.handle({ ...credit, distributionId: targetId }, tx);
    return transfer;
  }

  async apply(n: CustodyNotificationDto): Promise<CustodyResult> {
    const amount = Money.parse(n.amount, n.currency);
    if (n.currency !== this.ledger.currency) {
      throw new RuleViolationError(
        'CUSTODY.CURRENCY_MISMATCH',
        `The platform holds ${this.ledger.currency} only.`,
      );
    }
    const hash = requestHash({ ...n });
    const key = `custody:${n.bankReference}`;
    // Resolved before the transaction opens: it reads through another pooled connection.
    const walletOwnerKnown =
      n.type === 'DEPOSIT' && n.userId ? await this.wallets.walletCodeOf(n.userId, n.line) : null;
    return this.transactions.run(async (tx) => {
      const previous = await this.notifications.find(n.bankReference, tx);
      if (previous) {
        if (previous.requestHash !== hash) throw new IdempotencyKeyReusedError();
        const transfer = await this.ledger.getTransfer(previous.transferId, tx);
        return {
          bankReference: n.bankReference,
          transferId: transfer.id,
          transferStatus: transfer.status,
          replayed: true,
        };
      }
      let transfer: Transfer;
      if (n.type === 'DEPOSIT') {
        if (!n.userId)
          throw new RuleViolationError(
            'CUSTODY.USER_REQUIRED',
            'A deposit names the user it is for.',
          );
        const wallet = walletOwnerKnown;
        if (!wallet)
          throw new RuleViolationError(
            'CUSTODY.UNKNOWN_USER',
            'No investor or founder has this id.',
          );
        await this.ledger.openAccount(wallet, 'LIABILITY', this.ledger.currency, tx);
        transfer = await this.ledger.transfer(
          {
            idempotencyKey: key,
            kind: 'DEPOSIT',
            debitAccount: AccountCodes.custodyCash,
            creditAccount: wallet,
            amount,
            reference: key,
          },
          tx,
        );
      } else if (n.type === 'REPAYMENT' || n.type === 'DISTRIBUTION') {
        transfer = await this.creditAndHandOver(n, amount, key, tx);
      } else {
        if (!n.transferId)
          throw new RuleViolationError(
            'CUSTODY.TRANSFER_REQUIRED',
            'Settlement notices name the held transfer.',
          );
        const hold = await this.ledger.getTransfer(n.transferId, tx);
        const expectedKind = n.type.startsWith('WITHDRAWAL') ? 'WITHDRAWAL' : 'PAYOUT';
        if (
          hold.status !== 'PENDING' ||
          hold.kind !== expectedKind ||
          hold.amount !== amount.toString()
        ) {
          throw new RuleViolationError(
            'CUSTODY.MISMATCH',
            'The notice does not match a held transfer of that kind and amount.',
            {
              transferId: hold.id,
            },
          );
        }
        const resolve = n.type.endsWith('SETTLED')
          ? this.ledger.post.bind(this.ledger)
          : this.ledger.void.bind(this.ledger);
        transfer = await resolve({ pendingId: hold.id, idempotencyKey: key }, tx);
      }
      // If the same reference raced in from another delivery, the ledger replayed the same transfer
      // and this insert does nothing.
      const first = await this.notifications.insert(
        {
          bankReference: n.bankReference,
          type: n.type,
          requestHash: hash,
          transferId: transfer.id,
          receivedAt: transfer.createdAt,
        },
        tx,
      );
      // Issue 13: the wallet's owner hears of it (a deposit's credit, a hold's debit account).
      const noticeType = CUSTODY_NOTICES[n.type];
      if (noticeType && first) {
        const owner = n.type === 'DEPOSIT' ? n.userId! : transfer.debitAccountCode.split(':')[1];
        await this.notices.record(
          [
            {
              recipientId: owner,
              type: noticeType,
              params: { amount: transfer.amount, currency: transfer.currency },
            },
          ],
          tx,
        );
      }
      return {
        bankReference: n.bankReference,
        transferId: transfer.id,
        transferStatus: transfer.status,
        replayed: !first,
      };
    });
  }
}
