/**
 * The escrow ledger's public face (DESIGN §2, §4): its services, types, errors, the canonical
 * hashing the exports verify with, the WALLET_OWNERS port it defines, and the module class.
 * Its repositories stay inside; finance reads the ledger through the views in ledger-views.ts.
 */
export { EscrowLedgerModule } from './escrow-ledger.module.js';
export {
  LedgerService,
  type ResolveRequest,
  type TransferRequest,
  transferIdFor,
} from './ledger.service.js';
export { IdempotencyService, requestHash, requireIdempotencyKey } from './idempotency.service.js';
export {
  LedgerVerifierService,
  type VerificationProblem,
  type VerificationProgress,
  type VerificationReport,
  type VerifyOptions,
} from './ledger-verifier.service.js';
export { SealerService } from './sealer.service.js';
export { CustodyMovementsService } from './custody-movements.service.js';
export {
  type CustodyDistribution,
  CustodyDistributionHandlers,
  type CustodyRepayment,
  type CustodyRepaymentHandler,
  CustodyRepaymentHandlers,
} from './custody-repayments.js';
export {
  BLOCK_COLUMNS,
  type BlockRow,
  LEDGER_READ_VIEWS,
  type LedgerReadView,
  toBlock,
} from './ledger-views.js';
export { type AccountRow, type TransferRow } from './ledger-rows.js';
export { WalletService, type WalletView, type WithdrawalView } from './wallet.service.js';
export {
  FINANCIAL_LINES,
  type FinancialLine,
  isFinancialLine,
  LineNotEnabledError,
  walletAccount,
  WALLET_LINES,
  type WalletLine,
  WalletLines,
} from './wallet-lines.js';
export { WALLET_OWNERS, type WalletOwners } from './wallet-owners.port.js';
export * from './canonical.js';
export * from './ledger.types.js';
export * from './ledger.errors.js';
