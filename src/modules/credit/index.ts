/** The credit module's public face (DESIGN §2): CreditService, its types and errors, the module. */
export { CreditModule } from './credit.module.js';
export { CreditService, type CreditRecordView } from './credit.service.js';
export * from './credit.types.js';
export * from './credit.errors.js';
