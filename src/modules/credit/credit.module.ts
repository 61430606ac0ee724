import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import { CreditRecordsAdminController } from './credit.controller.js';
import { CreditRepository } from './credit.repository.js';
import { CreditService } from './credit.service.js';

/**
 * Credit records -> market access (PLAT-03). Campaign submission and pledging call
 * `CreditService.assertMarketAccess`; this module imports neither of them.
 */
@Module({
  imports: [IdentityModule],
  controllers: [CreditRecordsAdminController],
  providers: [CreditRepository, CreditService],
  exports: [CreditService],
})
export class CreditModule {}
