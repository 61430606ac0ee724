import { Inject, Injectable } from '@nestjs/common';
import { RuleViolationError } from '../../common/errors/domain-error.js';
import { linesConfig, type LinesConfig } from '../../config/namespaces.js';
import { AccountCodes } from './ledger.types.js';

/** PLAT-07: the financial lines that get wallets of their own when both are enabled. */
export const FINANCIAL_LINES = ['EQUITY', 'DEBT'] as const;
export type FinancialLine = (typeof FINANCIAL_LINES)[number];
/** An investor's wallets: the general one and, under separation, one per financial line. */
export const WALLET_LINES = ['GENERAL', ...FINANCIAL_LINES] as const;
export type WalletLine = (typeof WALLET_LINES)[number];

export const isFinancialLine = (kind: string): kind is FinancialLine =>
  (FINANCIAL_LINES as readonly string[]).includes(kind);

/**
 * The one place an investor's wallet account is named (PLAT-07): `investor:<id>:available` is the
 * general wallet; `investor:<id>:available:EQUITY` / `:DEBT` hold a financial line's money when
 * the lines are separated. Which one a movement uses is WalletLines' decision, not the caller's.
 */
export function walletAccount(investorId: string, line: WalletLine = 'GENERAL'): string {
  const general = AccountCodes.investorAvailable(investorId);
  return line === 'GENERAL' ? general : `${general}:${line}`;
}

export class LineNotEnabledError extends RuleViolationError {
  constructor(line: string) {
    super(
      'WALLET.LINE_NOT_ENABLED',
      `This platform keeps no ${line} wallet: the line is not enabled or the lines are not separated (PLAT-07).`,
      { line },
    );
  }
}

/**
 * PLAT-07 line separation as the ledger applies it (docs/lending.md, "Line separation"): with both
 * EQUITY and DEBT enabled, money for each sits in its own wallet and moves between them only by
 * an explicit transfer; otherwise every investor has the general wallet alone.
 */
@Injectable()
export class WalletLines {
  constructor(@Inject(linesConfig.KEY) private readonly config: LinesConfig) {}

  get separated(): boolean {
    return this.config.separated;
  }

  /** The wallets an investor has here: GENERAL, plus EQUITY and DEBT under separation. */
  get lines(): WalletLine[] {
    return this.separated ? [...WALLET_LINES] : ['GENERAL'];
  }

  /** The wallet line that pays for (and is repaid by) a campaign of this kind. */
  lineFor(campaignKind: string): WalletLine {
    return this.separated && isFinancialLine(campaignKind) ? campaignKind : 'GENERAL';
  }

  /** The wallet account that pays for a campaign of this kind. */
  accountFor(investorId: string, campaignKind: string): string {
    return walletAccount(investorId, this.lineFor(campaignKind));
  }

  /** A wallet line a client named (transfers, deposits): one this platform keeps, or a 422. */
  requireLine(named: string): WalletLine {
    if (!(this.lines as string[]).includes(named)) throw new LineNotEnabledError(named);
    return named as WalletLine;
  }

  /**
   * Where a DEPOSIT lands (PLAT-07): the named financial line's wallet under separation; unnamed
   * or GENERAL, the general wallet. Without separation every deposit is general (line wallets are
   * not used), and a deposit may still name the one financial line enabled, its default. A line
   * not enabled is refused.
   */
  depositLine(named: string | undefined): WalletLine {
    if (named === undefined || named === 'GENERAL') return 'GENERAL';
    if (!isFinancialLine(named) || !(this.config.enabled as string[]).includes(named))
      throw new LineNotEnabledError(named);
    return this.separated ? named : 'GENERAL';
  }
}
