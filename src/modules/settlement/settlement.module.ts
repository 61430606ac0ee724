import { Module } from '@nestjs/common';
import { EscrowLedgerModule } from '../escrow-ledger/escrow-ledger.module.js';
import { PledgeModule } from '../pledge/pledge.module.js';
import { SettlementRepository } from './settlement.repository.js';
import { SettlementScheduler } from './settlement.scheduler.js';
import { SettlementService } from './settlement.service.js';

@Module({
  imports: [PledgeModule, EscrowLedgerModule],
  providers: [SettlementRepository, SettlementService, SettlementScheduler],
  exports: [SettlementService],
})
export class SettlementModule {}
