import { Module } from '@nestjs/common';
import { EscrowLedgerModule } from '../escrow-ledger/escrow-ledger.module.js';
import { DailyFlowsService } from './daily-flows.service.js';
import { FinanceAuditInterceptor } from './finance-audit.interceptor.js';
import { FinanceController } from './finance.controller.js';
import { FinanceRepository } from './finance.repository.js';
import { LedgerAsOfRepository } from './ledger-as-of.repository.js';
import { FinanceService } from './finance.service.js';
import { InvariantMonitorRepository } from './invariant-monitor.repository.js';
import { InvariantMonitorService } from './invariant-monitor.service.js';
import { JournalController } from './journal.controller.js';
import { JournalRepository } from './journal.repository.js';
import { JournalService } from './journal.service.js';
import { LedgerExportService } from './ledger-export.service.js';
import { ReconciliationController } from './reconciliation.controller.js';
import { ReconciliationRepository } from './reconciliation.repository.js';
import { ReconciliationService } from './reconciliation.service.js';
import { StatementService } from './statement.service.js';
import { VerificationJobsController } from './verification-jobs.controller.js';
import { VerificationJobsRepository } from './verification-jobs.repository.js';
import { VerificationJobsService } from './verification-jobs.service.js';

@Module({
  imports: [EscrowLedgerModule],
  controllers: [
    FinanceController,
    JournalController,
    ReconciliationController,
    VerificationJobsController,
  ],
  providers: [
    FinanceService,
    DailyFlowsService,
    FinanceRepository,
    LedgerAsOfRepository,
    StatementService,
    InvariantMonitorRepository,
    InvariantMonitorService,
    FinanceAuditInterceptor,
    JournalRepository,
    JournalService,
    LedgerExportService,
    ReconciliationService,
    ReconciliationRepository,
    VerificationJobsRepository,
    VerificationJobsService,
  ],
  exports: [FinanceAuditInterceptor, LedgerExportService],
})
export class FinanceModule {}
