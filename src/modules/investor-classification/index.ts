/**
 * The investor-classification module's public face (DESIGN §2): ClassificationService, the pure
 * policies other modules apply, the COMMITMENTS port it defines, types, errors and the module.
 */
export { InvestorClassificationModule } from './investor-classification.module.js';
export {
  ClassificationService,
  type LimitDecisionInputs,
  type PledgeStanding,
  type StandingProduct,
} from './classification.service.js';
export { ClassificationApplications } from './classification-applications.service.js';
export { InstitutionalInvestors, type InstitutionalView } from './institutional-investors.js';
export type {
  ApplicationView,
  AssessmentView,
  ProfileView,
  QuestionnaireView,
} from './classification.views.js';
export { COMMITMENTS, type CommitmentsReader } from './commitments.port.js';
export { privateOfferingAllowed } from './limits.policy.js';
export * from './classification.types.js';
export * from './classification.errors.js';
