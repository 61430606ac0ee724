/**
 * The pledge module's public face (DESIGN §2): its services, types, errors and the module class.
 * PledgeRepository stays inside (the settlement service still reaches for it until the lead's
 * reshape lands; see the lint allowlist in eslint.config.js).
 */
export { PledgeModule } from './pledge.module.js';
export { PledgePlacement, type PledgeRequest } from './pledge-placement.service.js';
export { PledgeCancellation } from './pledge-cancellation.service.js';
export {
  CampaignLeads,
  type CampaignLeadView,
  type LeadMemoView,
} from './campaign-leads.service.js';
export type { CampaignLeadRow } from './campaign-leads.repository.js';
export { ConfirmationCalls } from './confirmation-calls.service.js';
export { PledgeReconfirmations } from './pledge-reconfirmation.service.js';
export {
  PledgeLifecycle,
  type PledgeTotals,
  type SettledInvestor,
} from './pledge-lifecycle.service.js';
export { PledgeQueries, type PledgeEvidenceView } from './pledge-queries.service.js';
export { PledgeFactsQueries, type PledgeFacts } from './pledge-facts.service.js';
export * from './pledge.state.js';
export { PledgeCommitmentsReader } from './pledge-commitments.reader.js';
export { type PledgeView, toPledgeView } from './pledge.view.js';
export * from './pledge.errors.js';
