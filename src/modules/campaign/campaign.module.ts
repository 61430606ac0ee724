import { Module } from '@nestjs/common';
import { CreditModule } from '../credit/credit.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { InvestorClassificationModule } from '../investor-classification/investor-classification.module.js';
import { RiskDisclosureModule } from '../risk-disclosure/risk-disclosure.module.js';
import { CampaignAdminController, CampaignController } from './campaign.controller.js';
import { CampaignRepository } from './campaign.repository.js';
import { CampaignContentService } from './campaign-content.service.js';
import { CampaignFounderStanding } from './campaign-founder.service.js';
import { CampaignReview } from './campaign-review.service.js';
import { CampaignSubmitChecks } from './campaign-submit-checks.js';
import { CampaignTransitions } from './campaign-transitions.service.js';
import { CampaignQueries } from './campaign-queries.service.js';
import { CampaignService } from './campaign.service.js';
import { CampaignSearchRepository } from './search/campaign-search.repository.js';
import { mediaConfig, type MediaConfig } from '../../config/namespaces.js';
import { createMediaStore, MEDIA_STORE } from './media/media-store.js';
import { MediaController } from './media/media.controller.js';
import { MediaRepository } from './media/media.repository.js';
import { MediaService } from './media/media.service.js';
import { CampaignPageController } from './page/campaign-page.controller.js';
import { CampaignPageRepository } from './page/campaign-page.repository.js';
import { CampaignPageService } from './page/campaign-page.service.js';
import { CampaignQuestionsController } from './questions/campaign-questions.controller.js';
import { CampaignQuestionsRepository } from './questions/campaign-questions.repository.js';
import { CampaignQuestionsService } from './questions/campaign-questions.service.js';
import { CampaignLinksController } from './linked-raise/campaign-links.controller.js';
import { CampaignLinksRepository } from './linked-raise/campaign-links.repository.js';
import { CampaignLinks } from './linked-raise/campaign-links.service.js';

@Module({
  imports: [IdentityModule, CreditModule, InvestorClassificationModule, RiskDisclosureModule],
  controllers: [
    CampaignController,
    CampaignAdminController,
    CampaignPageController,
    MediaController,
    CampaignQuestionsController,
    CampaignLinksController,
  ],
  providers: [
    CampaignRepository,
    CampaignTransitions,
    CampaignSubmitChecks,
    CampaignService,
    CampaignReview,
    CampaignContentService,
    CampaignFounderStanding,
    CampaignQueries,
    CampaignSearchRepository,
    // Campaign pages, media and questions (issue 16)
    CampaignPageRepository,
    CampaignPageService,
    MediaRepository,
    MediaService,
    {
      provide: MEDIA_STORE,
      inject: [mediaConfig.KEY],
      useFactory: (config: MediaConfig) => createMediaStore(config),
    },
    CampaignQuestionsRepository,
    CampaignQuestionsService,
    // Linked raises (issue 15)
    CampaignLinksRepository,
    CampaignLinks,
  ],
  exports: [
    CampaignService,
    CampaignReview,
    CampaignTransitions,
    CampaignQueries,
    CampaignSubmitChecks,
    CampaignLinks,
  ],
})
export class CampaignModule {}
