import { Module } from '@nestjs/common';
import { CampaignModule } from '../campaign/campaign.module.js';
import { EscrowLedgerModule } from '../escrow-ledger/escrow-ledger.module.js';
import { LineMigration } from './line-migration.service.js';
import { LineProvenanceRepository } from './line-provenance.repository.js';
import { LineTransfers } from './line-transfers.service.js';
import { WalletTransfersController } from './wallet-transfers.controller.js';

/**
 * PLAT-07 line separation above the ledger: an investor's explicit transfers between their own
 * wallets and the one-off migration of general wallets when separation is turned on. The ledger
 * itself (WalletLines) decides which wallet a pledge, deposit or repayment uses.
 */
@Module({
  imports: [EscrowLedgerModule, CampaignModule],
  controllers: [WalletTransfersController],
  providers: [LineProvenanceRepository, LineTransfers, LineMigration],
  exports: [LineMigration],
})
export class LinesModule {}
