import { Module } from '@nestjs/common';
import { CampaignModule } from '../campaign/campaign.module.js';
import { CreditModule } from '../credit/credit.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { PledgeModule } from '../pledge/pledge.module.js';
import { SettlementModule } from '../settlement/settlement.module.js';
import { CharityPlans } from './charity-plans.service.js';
import { CharityController } from './charity.controller.js';
import { CharityRepository } from './charity.repository.js';
import { CharityScheduler } from './charity.scheduler.js';
import { FundUse } from './fund-use.service.js';
import { ReceiptsController } from './receipts.controller.js';
import { Receipts } from './receipts.service.js';

/**
 * Charitable crowdfunding (公益众筹, issue 16; PLAT-08, RW-07): the named charity and fund-use
 * plan, numbered receipts issued in the settling transaction, fund-use reports and the overdue
 * sweep. It sits above settlement (DESIGN §2); nothing below imports it.
 */
@Module({
  imports: [IdentityModule, CreditModule, CampaignModule, PledgeModule, SettlementModule],
  controllers: [CharityController, ReceiptsController],
  providers: [CharityRepository, CharityPlans, Receipts, FundUse, CharityScheduler],
  exports: [CharityPlans, Receipts, FundUse],
})
export class CharityModule {}
