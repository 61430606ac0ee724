import { Module } from '@nestjs/common';
import { EscrowLedgerModule } from '../escrow-ledger/escrow-ledger.module.js';
import { FinanceController } from './finance.controller.js';
import { FinanceService } from './finance.service.js';
import { JournalController } from './journal.controller.js';
import { JournalRepository } from './journal.repository.js';
import { JournalService } from './journal.service.js';
import { LedgerExportService } from './ledger-export.service.js';

@Module({
  imports: [EscrowLedgerModule],
  controllers: [FinanceController, JournalController],
  providers: [FinanceService, JournalRepository, JournalService, LedgerExportService],
  exports: [LedgerExportService],
})
export class FinanceModule {}
