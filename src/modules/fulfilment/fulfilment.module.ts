import { Module } from '@nestjs/common';
import { CampaignModule } from '../campaign/campaign.module.js';
import { CreditModule } from '../credit/credit.module.js';
import { EscrowLedgerModule } from '../escrow-ledger/escrow-ledger.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { PledgeModule } from '../pledge/pledge.module.js';
import { SettlementModule } from '../settlement/settlement.module.js';
import { BackerClaimsRepository } from './backer-claims.repository.js';
import { BackerClaims } from './backer-claims.service.js';
import { ClaimsController } from './claims.controller.js';
import { Deliveries } from './deliveries.service.js';
import { DeliveryController } from './delivery.controller.js';
import { FulfilmentController } from './fulfilment.controller.js';
import { FulfilmentRepository } from './fulfilment.repository.js';
import { FulfilmentScheduler } from './fulfilment.scheduler.js';
import { Holdbacks } from './holdbacks.service.js';
import { LateRefunds } from './late-refunds.service.js';
import { Shipments } from './shipments.service.js';

/**
 * Reward delivery (issue 16; RW-02, RW-03, RW-05): delivery plans, shipping addresses, shipments,
 * the holdback and late-delivery refunds. It sits above settlement (DESIGN §2): settlement hands
 * a settled reward campaign over through SettlementHandovers; nothing below imports this module.
 */
@Module({
  imports: [
    IdentityModule,
    CreditModule,
    CampaignModule,
    PledgeModule,
    EscrowLedgerModule,
    SettlementModule,
  ],
  controllers: [FulfilmentController, DeliveryController, ClaimsController],
  providers: [
    FulfilmentRepository,
    Deliveries,
    Shipments,
    Holdbacks,
    LateRefunds,
    BackerClaims,
    BackerClaimsRepository,
    FulfilmentScheduler,
  ],
  exports: [Holdbacks, Deliveries, Shipments, LateRefunds, BackerClaims],
})
export class FulfilmentModule {}
