/** The lending module's public face (DESIGN §2): the sweep, the loan reads and the module class. */
export { LendingModule } from './lending.module.js';
export { LoanOverdueSweep, type LendingSweepReport } from './loan-overdue.service.js';
export { LoanQueries, type LoanView, type ClaimView } from './loan-queries.service.js';
export {
  computeSchedule,
  splitSchedule,
  REPAYMENT_METHODS,
  type RepaymentMethod,
} from './loan-schedule.js';
export {
  OperatingDisclosures,
  type OperatingDisclosure,
  canonicalJson,
  disclosureHash,
} from './operating-disclosure.service.js';
export * from './lending.errors.js';
