import { Module, type OnModuleInit } from '@nestjs/common';
import { CustodyMovementsRepository } from './custody-movements.repository.js';
import { CustodyMovementsService } from './custody-movements.service.js';
import { CustodyDistributionHandlers, CustodyRepaymentHandlers } from './custody-repayments.js';
import { CustodyRepository } from './custody.repository.js';
import { CustodyService } from './custody.service.js';
import {
  CustodyController,
  CustodySignatureGuard,
  WalletController,
} from './escrow-ledger.controller.js';
import { IdempotencyRepository } from './idempotency.repository.js';
import { IdempotencyService } from './idempotency.service.js';
import { LedgerVerifierService } from './ledger-verifier.service.js';
import { LedgerRepository } from './ledger.repository.js';
import { LedgerSealsRepository } from './ledger-seals.repository.js';
import { LedgerService } from './ledger.service.js';
import { AccountCodes } from './ledger.types.js';
import { SealerService } from './sealer.service.js';
import { WalletLines } from './wallet-lines.js';
import { WalletService } from './wallet.service.js';

/**
 * The escrow ledger (DESIGN §4). Imports no other feature module; the one thing it needs to know
 * about users (their role, to find their wallet) comes through the WALLET_OWNERS port.
 */
@Module({
  controllers: [WalletController, CustodyController],
  providers: [
    LedgerRepository,
    LedgerSealsRepository,
    LedgerService,
    IdempotencyRepository,
    IdempotencyService,
    CustodyRepository,
    CustodyService,
    CustodyRepaymentHandlers,
    CustodyDistributionHandlers,
    CustodySignatureGuard,
    WalletService,
    WalletLines,
    SealerService,
    LedgerVerifierService,
    CustodyMovementsRepository,
    CustodyMovementsService,
  ],
  // Services only (DESIGN §2): the repositories stay inside; finance reads through the views of
  // migration 1765000000000 and CustodyMovementsService.
  exports: [
    LedgerService,
    IdempotencyService,
    LedgerVerifierService,
    SealerService,
    WalletService,
    WalletLines,
    CustodyMovementsService,
    CustodyRepaymentHandlers,
    CustodyDistributionHandlers,
  ],
})
export class EscrowLedgerModule implements OnModuleInit {
  constructor(private readonly ledger: LedgerService) {}

  /** The platform's own accounts exist from the start. */
  async onModuleInit(): Promise<void> {
    await this.ledger.openAccount(AccountCodes.custodyCash, 'ASSET');
    await this.ledger.openAccount(AccountCodes.platformFees, 'REVENUE');
  }
}
