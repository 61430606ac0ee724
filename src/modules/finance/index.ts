/**
 * The finance module's public face (DESIGN §2): the services other parts of the application call
 * (the CLI's exports and verification, settlement's payout routes under the finance read audit),
 * their types and errors, and the module class. Its repositories stay inside.
 */
export { FinanceModule } from './finance.module.js';
export {
  type CampaignEscrowReport,
  FinanceService,
  type KindTotals,
  type SealsPage,
  type TrialBalance,
} from './finance.service.js';
export { FinanceAudited, FinanceAuditInterceptor } from './finance-audit.interceptor.js';
export {
  InvariantMonitorService,
  type MonitorProblem,
  type MonitorReport,
} from './invariant-monitor.service.js';
export { JournalService } from './journal.service.js';
export { LedgerExportService } from './ledger-export.service.js';
export { ReconciliationService } from './reconciliation.service.js';
export { StatementService, type Statement } from './statement.service.js';
export { type OfflineReport, verifyExportFile } from './offline-verifier.js';
export * from './finance.errors.js';
export * from './journal.errors.js';
export * from './reconciliation.errors.js';
