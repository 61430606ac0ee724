import { Module } from '@nestjs/common';
import { Money } from '../../common/money/money.js';
import { IdentityModule } from '../identity/identity.module.js';
import {
  ApplicationsAdminController,
  InvestorClassificationController,
} from './classification.controller.js';
import { ClassificationRepository } from './classification.repository.js';
import { ClassificationService } from './classification.service.js';
import { COMMITMENTS, type CommitmentsReader } from './commitments.port.js';

/** Until the pledge module provides the real reader, nobody has committed anything. */
const noPledgesYet: CommitmentsReader = {
  committedSince: async (_userId, _since, currency) => Money.zero(currency),
};

@Module({
  imports: [IdentityModule],
  controllers: [InvestorClassificationController, ApplicationsAdminController],
  providers: [
    ClassificationRepository,
    ClassificationService,
    { provide: COMMITMENTS, useValue: noPledgesYet },
  ],
  exports: [ClassificationService],
})
export class InvestorClassificationModule {}
