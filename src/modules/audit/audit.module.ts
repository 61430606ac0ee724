import { Global, Module } from '@nestjs/common';
import { AuditEventsController } from './audit.controller.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';

/** Global: every module records its events through AuditService; the repository stays inside. */
@Global()
@Module({
  controllers: [AuditEventsController],
  providers: [AuditRepository, AuditService],
  exports: [AuditService],
})
export class AuditModule {}
