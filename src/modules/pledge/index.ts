/**
 * The pledge module's public face (DESIGN §2): its services, types, errors and the module class.
 * PledgeRepository stays inside (the settlement service still reaches for it until the lead's
 * reshape lands; see the lint allowlist in eslint.config.js).
 */
export { PledgeModule } from './pledge.module.js';
export { PledgeService, type PledgeRequest } from './pledge.service.js';
export { PledgeCommitmentsReader } from './pledge-commitments.reader.js';
export { type PledgeView, toPledgeView } from './pledge.view.js';
export { LIVE_PLEDGE_STATUSES } from './pledge.entity.js';
export * from './pledge.errors.js';
