import { Inject, Injectable } from '@nestjs/common';
import type { Role } from '../../common/auth/auth.decorators.js';
import { ForbiddenError } from '../../common/errors/domain-error.js';
import { Money } from '../../common/money/money.js';
import { IdempotencyService, requestHash } from './idempotency.service.js';
import { LedgerService } from './ledger.service.js';
import { AccountCodes, type LedgerAccount, type Transfer } from './ledger.types.js';
import { WALLET_OWNERS, type WalletOwners } from './wallet-owners.port.js';

export interface WalletView {
  available: string;
  held: string;
  currency: string;
}

export interface WithdrawalView {
  id: string;
  status: 'PENDING';
  amount: string;
  currency: string;
  createdAt: string;
}

/** The account a user's own money sits in: investors' available balance, founders' payable. */
export function walletAccountCode(userId: string, role: Role): string {
  if (role === 'INVESTOR') return AccountCodes.investorAvailable(userId);
  if (role === 'FOUNDER') return AccountCodes.founderPayable(userId);
  throw new ForbiddenError('Staff accounts have no wallet.');
}

/** Available = credits posted - debits posted - debits pending (DESIGN §4), held = debits pending. */
export function toWalletView(account: LedgerAccount | null, currency: string): WalletView {
  if (!account)
    return {
      available: Money.zero(currency).toString(),
      held: Money.zero(currency).toString(),
      currency,
    };
  const m = (v: string) => Money.fromDecimalString(v, account.currency);
  return {
    available: m(account.creditsPosted)
      .minus(m(account.debitsPosted))
      .minus(m(account.debitsPending))
      .toString(),
    held: m(account.debitsPending).toString(),
    currency: account.currency,
  };
}

@Injectable()
export class WalletService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly idempotency: IdempotencyService,
    @Inject(WALLET_OWNERS) private readonly owners: WalletOwners,
  ) {}

  async wallet(userId: string, role: Role): Promise<WalletView> {
    return toWalletView(
      await this.ledger.findAccount(walletAccountCode(userId, role)),
      this.ledger.currency,
    );
  }

  /** The wallet account code of a user the identity module knows; null for unknown users and staff. */
  async walletCodeOf(userId: string): Promise<string | null> {
    const role = await this.owners.roleOf(userId);
    return role === 'INVESTOR' || role === 'FOUNDER' ? walletAccountCode(userId, role) : null;
  }

  /** A withdrawal holds the amount against custody until the bank confirms (WITHDRAWAL_SETTLED). */
  async requestWithdrawal(
    userId: string,
    role: Role,
    amountText: string,
    key: string,
  ): Promise<{ body: WithdrawalView; replayed: boolean }> {
    const amount = Money.parse(amountText, this.ledger.currency);
    const code = walletAccountCode(userId, role);
    const hash = requestHash({ route: 'POST /wallet/withdrawals', amount: amount.toString() });
    return this.idempotency.execute(`withdrawal:${userId}`, key, hash, async (tx) => {
      await this.ledger.openAccount(code, 'LIABILITY', this.ledger.currency, tx);
      const hold = await this.ledger.hold(
        {
          idempotencyKey: `withdrawal:${userId}:${key}`,
          kind: 'WITHDRAWAL',
          debitAccount: code,
          creditAccount: AccountCodes.custodyCash,
          amount,
          reference: `withdrawal:${userId}`,
        },
        tx,
      );
      return toWithdrawalView(hold);
    });
  }
}

function toWithdrawalView(t: Transfer): WithdrawalView {
  return {
    id: t.id,
    status: 'PENDING',
    amount: t.amount,
    currency: t.currency,
    createdAt: t.createdAt.toISOString(),
  };
}
