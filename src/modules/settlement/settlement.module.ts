import { Module } from '@nestjs/common';
import { EscrowLedgerModule } from '../escrow-ledger/escrow-ledger.module.js';
import { PledgeModule } from '../pledge/pledge.module.js';
import { CampaignModule } from '../campaign/campaign.module.js';
import { PayoutsController } from './payouts.controller.js';
import { PayoutsRepository } from './payouts.repository.js';
import { PayoutsService } from './payouts.service.js';
import { SettlementScheduler } from './settlement.scheduler.js';
import { SettlementHandovers } from './settlement-handovers.js';
import { SettlementService } from './settlement.service.js';
import { SettlementCompletion } from './settlement-completion.js';
import { LinkedSettlement } from './linked-settlement.service.js';

@Module({
  imports: [PledgeModule, EscrowLedgerModule, CampaignModule],
  controllers: [PayoutsController],
  providers: [
    SettlementService,
    SettlementCompletion,
    LinkedSettlement,
    SettlementHandovers,
    SettlementScheduler,
    PayoutsRepository,
    PayoutsService,
  ],
  exports: [SettlementService, SettlementHandovers, PayoutsService],
})
export class SettlementModule {}
