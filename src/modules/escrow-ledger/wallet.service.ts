import { Inject, Injectable } from '@nestjs/common';
import type { Role } from '../../common/auth/auth.decorators.js';
import { ForbiddenError } from '../../common/errors/domain-error.js';
import { Money } from '../../common/money/money.js';
import { IdempotencyService, requestHash } from './idempotency.service.js';
import { LedgerService } from './ledger.service.js';
import { AccountCodes, type LedgerAccount, type Transfer } from './ledger.types.js';
import {
  LineNotEnabledError,
  walletAccount,
  type WalletLine,
  WalletLines,
} from './wallet-lines.js';
import { WALLET_OWNERS, type WalletOwners } from './wallet-owners.port.js';

export interface WalletBalance {
  available: string;
  held: string;
  currency: string;
}

/** One of an investor's wallets (PLAT-07): GENERAL, and EQUITY and DEBT under line separation. */
export interface LineWalletView extends WalletBalance {
  line: WalletLine;
}

/** The general wallet and, for investors under line separation (PLAT-07), every wallet. */
export interface WalletView extends WalletBalance {
  wallets?: LineWalletView[];
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
export function toWalletView(account: LedgerAccount | null, currency: string): WalletBalance {
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
    private readonly lines: WalletLines,
  ) {}

  async wallet(userId: string, role: Role): Promise<WalletView> {
    const general = toWalletView(
      await this.ledger.findAccount(walletAccountCode(userId, role)),
      this.ledger.currency,
    );
    if (role !== 'INVESTOR' || !this.lines.separated) return general;
    const wallets: LineWalletView[] = [{ line: 'GENERAL', ...general }];
    for (const line of this.lines.lines.filter((l) => l !== 'GENERAL')) {
      const account = await this.ledger.findAccount(walletAccount(userId, line));
      wallets.push({ line, ...toWalletView(account, this.ledger.currency) });
    }
    return { ...general, wallets };
  }

  /**
   * The account a deposit for a user the identity module knows lands in; null for unknown users
   * and staff. An investor's names the wallet line (PLAT-07, WalletLines.depositLine: a line not
   * enabled is a 422); a founder has the one payable account and names no line.
   */
  async walletCodeOf(userId: string, line?: string): Promise<string | null> {
    const role = await this.owners.roleOf(userId);
    if (role === 'INVESTOR') return walletAccount(userId, this.lines.depositLine(line));
    if (role === 'FOUNDER' && line !== undefined && line !== 'GENERAL')
      throw new LineNotEnabledError(line);
    return role === 'FOUNDER' ? walletAccountCode(userId, role) : null;
  }

  /** A withdrawal holds the amount against custody until the bank confirms (WITHDRAWAL_SETTLED). */
  async requestWithdrawal(
    userId: string,
    role: Role,
    amountText: string,
    key: string,
    line?: string,
  ): Promise<{ body: WithdrawalView; replayed: boolean }> {
    const amount = Money.parse(amountText, this.ledger.currency);
    const code = this.withdrawalAccount(userId, role, line);
    const hash = requestHash({
      route: 'POST /wallet/withdrawals',
      amount: amount.toString(),
      ...(line === undefined ? {} : { line }),
    });
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

  /** An investor withdraws from the general wallet or a named line's (PLAT-07); a founder names none. */
  private withdrawalAccount(userId: string, role: Role, line: string | undefined): string {
    if (line === undefined || line === 'GENERAL') return walletAccountCode(userId, role);
    if (role !== 'INVESTOR') throw new LineNotEnabledError(line);
    return walletAccount(userId, this.lines.requireLine(line));
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
