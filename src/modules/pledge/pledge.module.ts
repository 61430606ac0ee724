import { Module } from '@nestjs/common';
import { CampaignModule } from '../campaign/campaign.module.js';
import { CreditModule } from '../credit/credit.module.js';
import { EscrowLedgerModule } from '../escrow-ledger/escrow-ledger.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { InvestorClassificationModule } from '../investor-classification/investor-classification.module.js';
import { RiskDisclosureModule } from '../risk-disclosure/risk-disclosure.module.js';
import { PledgeAdminController, PledgeController } from './pledge.controller.js';
import { PledgeRepository } from './pledge.repository.js';
import { PledgeService } from './pledge.service.js';

/** The pledge workflow: it orchestrates identity, credit, classification, disclosure, campaign and ledger. */
@Module({
  imports: [
    IdentityModule,
    CreditModule,
    InvestorClassificationModule,
    RiskDisclosureModule,
    CampaignModule,
    EscrowLedgerModule,
  ],
  controllers: [PledgeController, PledgeAdminController],
  providers: [PledgeRepository, PledgeService],
  exports: [PledgeService, PledgeRepository],
})
export class PledgeModule {}
