/** The risk-disclosure module's public face (DESIGN §2): its service, types, errors, the module. */
export { RiskDisclosureModule } from './risk-disclosure.module.js';
export { RiskDisclosureService } from './risk-disclosure.service.js';
export { SpecialWarnings } from './special-warnings.service.js';
export { Client } from './client-info.decorator.js';
export * from './risk-disclosure.types.js';
export * from './risk-disclosure.errors.js';
