import { Module } from '@nestjs/common';
import { RiskDisclosureController } from './risk-disclosure.controller.js';
import { RiskDisclosureRepository } from './risk-disclosure.repository.js';
import { RiskDisclosureService } from './risk-disclosure.service.js';
import { SpecialWarnings } from './special-warnings.service.js';

/**
 * Risk disclosure documents, versions, acknowledgements and special warnings (CN-ECF-10,
 * CN-SUIT-11, CN-SUIT-15, CN-SUIT-16). Imports no feature module: campaign and pledge build on
 * RiskDisclosureService and SpecialWarnings.
 */
@Module({
  controllers: [RiskDisclosureController],
  providers: [RiskDisclosureRepository, RiskDisclosureService, SpecialWarnings],
  exports: [RiskDisclosureService, SpecialWarnings],
})
export class RiskDisclosureModule {}
