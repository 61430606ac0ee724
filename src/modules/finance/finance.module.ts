import { Module } from '@nestjs/common';
import { EscrowLedgerModule } from '../escrow-ledger/escrow-ledger.module.js';
import { FinanceController } from './finance.controller.js';
import { FinanceService } from './finance.service.js';

@Module({
  imports: [EscrowLedgerModule],
  controllers: [FinanceController],
  providers: [FinanceService],
})
export class FinanceModule {}
