import { Module } from '@nestjs/common';
import { CreditModule } from '../credit/credit.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { InvestorClassificationModule } from '../investor-classification/investor-classification.module.js';
import { RiskDisclosureModule } from '../risk-disclosure/risk-disclosure.module.js';
import { CampaignAdminController, CampaignController } from './campaign.controller.js';
import { CampaignRepository } from './campaign.repository.js';
import { CampaignContentService } from './campaign-content.service.js';
import { CampaignReview } from './campaign-review.service.js';
import { CampaignSubmitChecks } from './campaign-submit-checks.js';
import { CampaignTransitions } from './campaign-transitions.service.js';
import { CampaignQueries } from './campaign-queries.service.js';
import { CampaignService } from './campaign.service.js';

@Module({
  imports: [IdentityModule, CreditModule, InvestorClassificationModule, RiskDisclosureModule],
  controllers: [CampaignController, CampaignAdminController],
  providers: [
    CampaignRepository,
    CampaignTransitions,
    CampaignSubmitChecks,
    CampaignService,
    CampaignReview,
    CampaignContentService,
    CampaignQueries,
  ],
  exports: [
    CampaignService,
    CampaignReview,
    CampaignTransitions,
    CampaignQueries,
    CampaignSubmitChecks,
  ],
})
export class CampaignModule {}
