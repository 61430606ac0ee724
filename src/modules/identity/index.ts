/**
 * The identity module's public face (DESIGN §2): services, types, errors and the module class.
 * IdentityRepository stays inside; other modules read users through UserDirectory.
 */
export { IdentityModule } from './identity.module.js';
export { IdentityService, type NewUser } from './identity.service.js';
export {
  type DirectoryUser,
  type PledgerFacts,
  type RealNameForReview,
  type RealNameStatus,
  UserDirectory,
  type UserLocale,
} from './user-directory.service.js';
export { PiiVault } from './pii-vault.js';
export { checkUscc, maskName } from './id-numbers.js';
export * from './identity.types.js';
export * from './identity.errors.js';
export { EmailNotVerifiedError } from './account.errors.js';
