import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { RuleViolationError } from '../../common/errors/domain-error.js';
import { Money } from '../../common/money/money.js';
import { AuditService } from '../audit/index.js';
import {
  IdempotencyService,
  LedgerService,
  requestHash,
  walletAccount,
  type WalletLine,
  WalletLines,
} from '../escrow-ledger/index.js';

export interface LineTransferView {
  id: string;
  from: WalletLine;
  to: WalletLine;
  amount: string;
  currency: string;
  createdAt: string;
}

/**
 * PLAT-07: an investor's explicit move between their own wallets (GENERAL, EQUITY, DEBT; only the
 * ones this platform keeps). One posted LINE_TRANSFER and an audit event in one transaction, once
 * per Idempotency-Key; the ledger's no-overdraft check refuses what the source wallet cannot
 * cover (422 LEDGER.INSUFFICIENT_FUNDS), so concurrent transfers never overdraw it.
 */
@Injectable()
export class LineTransfers {
  constructor(
    private readonly ledger: LedgerService,
    private readonly lines: WalletLines,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async transfer(
    investorId: string,
    input: { from: string; to: string; amount: string },
    key: string,
  ): Promise<{ body: LineTransferView; replayed: boolean }> {
    const from = this.lines.requireLine(input.from);
    const to = this.lines.requireLine(input.to);
    if (from === to)
      throw new RuleViolationError('WALLET.SAME_LINE', 'Name two different wallets.', { from, to });
    const amount = Money.parse(input.amount, this.ledger.currency);
    const hash = requestHash({
      route: 'POST /wallet/transfers',
      from,
      to,
      amount: amount.toString(),
    });
    return this.idempotency.execute(`line-transfer:${investorId}`, key, hash, async (tx) => {
      const debit = walletAccount(investorId, from);
      const credit = walletAccount(investorId, to);
      await this.ledger.openAccount(debit, 'LIABILITY', this.ledger.currency, tx);
      await this.ledger.openAccount(credit, 'LIABILITY', this.ledger.currency, tx);
      const t = await this.ledger.transfer(
        {
          idempotencyKey: `line-transfer:${investorId}:${key}`,
          kind: 'LINE_TRANSFER',
          debitAccount: debit,
          creditAccount: credit,
          amount,
          reference: `line-transfer:${investorId}`,
        },
        tx,
      );
      await this.audit.append(
        {
          occurredAt: this.clock.now(),
          actorId: investorId,
          action: 'WALLET_LINE_TRANSFER',
          subjectType: 'user',
          subjectId: investorId,
          details: { transferId: t.id, from, to, amount: t.amount, rule: 'PLAT-07' },
        },
        tx,
      );
      return {
        id: t.id,
        from,
        to,
        amount: t.amount,
        currency: t.currency,
        createdAt: t.createdAt.toISOString(),
      };
    });
  }
}
