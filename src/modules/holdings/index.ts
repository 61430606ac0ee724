/**
 * The holdings module's public face (DESIGN §2): equity terms, the register and certificates
 * (issue 15). HoldingsRepository stays inside.
 */
export { HoldingsModule } from './holdings.module.js';
export {
  DEFAULT_EQUITY_TERMS,
  EquityTermsService,
  type EquityTermsView,
  VEHICLES,
} from './equity-terms.service.js';
export { HoldingsRegister, type HoldingView, type RegisterView } from './register.service.js';
export {
  Distributions,
  type DistributionView,
  type StatementView,
} from './distributions.service.js';
export {
  IssuerReports,
  type IssuerReportView,
  annualReportDueAt,
  fiscalYearOf,
  lastDueYear,
} from './issuer-reports.service.js';
export { splitDistribution } from './distribution-split.js';
export { CertificateSigner, certificateDocument, certificateText } from './holding-certificate.js';
export * from './holdings.errors.js';
