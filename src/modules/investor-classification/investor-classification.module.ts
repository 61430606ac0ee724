import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import {
  ApplicationsAdminController,
  InvestorClassificationController,
} from './classification.controller.js';
import { ClassificationRepository } from './classification.repository.js';
import { ClassificationApplications } from './classification-applications.service.js';
import { ClassificationService } from './classification.service.js';

@Module({
  imports: [IdentityModule],
  controllers: [InvestorClassificationController, ApplicationsAdminController],
  // COMMITMENTS (what an investor committed in 12 months) is provided globally from the pledges table.
  providers: [ClassificationRepository, ClassificationService, ClassificationApplications],
  exports: [ClassificationService, ClassificationApplications],
})
export class InvestorClassificationModule {}
