/**
 * The investor-classification module's public face (DESIGN §2): ClassificationService, the pure
 * policies other modules apply, the COMMITMENTS port it defines, types, errors and the module.
 */
export { InvestorClassificationModule } from './investor-classification.module.js';
export {
  type ApplicationView,
  type AssessmentView,
  ClassificationService,
  type PledgeStanding,
  type ProfileView,
  type QuestionnaireView,
  type StandingProduct,
} from './classification.service.js';
export { COMMITMENTS, type CommitmentsReader } from './commitments.port.js';
export { privateOfferingAllowed } from './limits.policy.js';
export * from './classification.types.js';
export * from './classification.errors.js';
