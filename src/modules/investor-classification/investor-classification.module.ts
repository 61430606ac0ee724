import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import {
  ApplicationsAdminController,
  InvestorClassificationController,
} from './classification.controller.js';
import { ClassificationRepository } from './classification.repository.js';
import { ClassificationApplications } from './classification-applications.service.js';
import { ClassificationService } from './classification.service.js';
import {
  InstitutionalInvestors,
  InstitutionalInvestorsController,
} from './institutional-investors.js';
import { InstitutionalInvestorsRepository } from './institutional-investors.repository.js';

@Module({
  imports: [IdentityModule],
  controllers: [
    InvestorClassificationController,
    ApplicationsAdminController,
    InstitutionalInvestorsController,
  ],
  // COMMITMENTS (what an investor committed in 12 months) is provided globally from the pledges table.
  providers: [
    ClassificationRepository,
    ClassificationService,
    ClassificationApplications,
    InstitutionalInvestors,
    InstitutionalInvestorsRepository,
  ],
  exports: [ClassificationService, ClassificationApplications, InstitutionalInvestors],
})
export class InvestorClassificationModule {}
