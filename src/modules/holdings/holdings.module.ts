import { Module } from '@nestjs/common';
import { CampaignModule } from '../campaign/campaign.module.js';
import { CreditModule } from '../credit/credit.module.js';
import { EscrowLedgerModule } from '../escrow-ledger/escrow-ledger.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { PledgeModule } from '../pledge/pledge.module.js';
import { SettlementModule } from '../settlement/settlement.module.js';
import { DistributionsController } from './distributions.controller.js';
import { DistributionsRepository } from './distributions.repository.js';
import { Distributions } from './distributions.service.js';
import { EquityTermsService } from './equity-terms.service.js';
import { HoldingsScheduler } from './holdings.scheduler.js';
import { IssuerReportsController } from './issuer-reports.controller.js';
import { IssuerReportsRepository } from './issuer-reports.repository.js';
import { IssuerReports } from './issuer-reports.service.js';
import { CertificateSigner } from './holding-certificate.js';
import { HoldingsController } from './holdings.controller.js';
import { HoldingsRepository } from './holdings.repository.js';
import { HoldingsRegister } from './register.service.js';

/**
 * Equity after the close (issue 15): the share class and vehicle a campaign issues, the register
 * made in the settling transaction (a settlement hand-over), holdings, signed certificates and
 * ADMIN corrections, distributions to holders. It sits above settlement (DESIGN §2); nothing below imports it.
 */
@Module({
  imports: [
    IdentityModule,
    CreditModule,
    CampaignModule,
    PledgeModule,
    SettlementModule,
    EscrowLedgerModule,
  ],
  controllers: [HoldingsController, DistributionsController, IssuerReportsController],
  providers: [
    HoldingsRepository,
    DistributionsRepository,
    IssuerReportsRepository,
    IssuerReports,
    HoldingsScheduler,
    EquityTermsService,
    HoldingsRegister,
    Distributions,
    CertificateSigner,
  ],
  exports: [EquityTermsService, HoldingsRegister, Distributions, IssuerReports, CertificateSigner],
})
export class HoldingsModule {}
