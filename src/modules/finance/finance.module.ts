import { Module } from '@nestjs/common';
import { EscrowLedgerModule } from '../escrow-ledger/escrow-ledger.module.js';
import { FinanceController } from './finance.controller.js';
import { FinanceService } from './finance.service.js';
import { ReconciliationController } from './reconciliation.controller.js';
import { ReconciliationRepository } from './reconciliation.repository.js';
import { ReconciliationService } from './reconciliation.service.js';

@Module({
  imports: [EscrowLedgerModule],
  controllers: [FinanceController, ReconciliationController],
  providers: [FinanceService, ReconciliationService, ReconciliationRepository],
})
export class FinanceModule {}
