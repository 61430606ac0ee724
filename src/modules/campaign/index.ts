/**
 * The campaign module's public face (DESIGN §2): services, types, errors and the module class.
 * Other modules read campaigns through CampaignQueries; CampaignRepository stays inside.
 */
export { CampaignModule } from './campaign.module.js';
export { CampaignService, type CampaignPage } from './campaign.service.js';
export { CampaignContentService } from './campaign-content.service.js';
export { CampaignQueries, type PledgeCampaign } from './campaign-queries.service.js';
export { CampaignReview } from './campaign-review.service.js';
export { type CampaignSubmitCheck, CampaignSubmitChecks } from './campaign-submit-checks.js';
export { CampaignTransitions, type TransitionInput } from './campaign-transitions.service.js';
export { CAMPAIGN_BACKERS, type CampaignBackers } from './campaign-backers.port.js';
export type { CampaignView, RewardTierView } from './campaign.view.js';
export * from './campaign.state.js';
export * from './campaign.types.js';
export * from './campaign.errors.js';
export {
  CampaignLinks,
  type LinkedRaiseView,
  type LockedPair,
} from './linked-raise/campaign-links.service.js';
export type { CampaignLink } from './linked-raise/linked-raise.rules.js';
