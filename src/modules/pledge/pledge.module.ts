import { ConfirmationCallQueueController } from './confirmation-call-queue.controller.js';
import { Logger, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { RiskDisclosureService } from '../risk-disclosure/risk-disclosure.service.js';
import { CampaignModule } from '../campaign/campaign.module.js';
import { CreditModule } from '../credit/credit.module.js';
import { EscrowLedgerModule } from '../escrow-ledger/escrow-ledger.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { InvestorClassificationModule } from '../investor-classification/investor-classification.module.js';
import { RiskDisclosureModule } from '../risk-disclosure/risk-disclosure.module.js';
import { CampaignLeadsController } from './campaign-leads.controller.js';
import { CampaignLeadsRepository } from './campaign-leads.repository.js';
import { CampaignLeads } from './campaign-leads.service.js';
import { ConfirmationCallsRepository } from './confirmation-calls.repository.js';
import { ConfirmationCalls } from './confirmation-calls.service.js';
import { MaterialChangesRepository } from './material-changes.repository.js';
import { PledgeCancellation } from './pledge-cancellation.service.js';
import { PledgeEnding } from './pledge-ending.service.js';
import { PledgeLifecycle } from './pledge-lifecycle.service.js';
import { PledgePlacement } from './pledge-placement.service.js';
import { PledgeFactsRepository } from './pledge-facts.repository.js';
import { PledgeFactsQueries } from './pledge-facts.service.js';
import { PledgeQueries } from './pledge-queries.service.js';
import { PledgeReconfirmations } from './pledge-reconfirmation.service.js';
import { PledgeRefusals } from './pledge-refusals.service.js';
import { PledgeAdminController, PledgeController } from './pledge.controller.js';
import { PledgeBatchesRepository } from './pledge-batches.repository.js';
import { PledgeRepository } from './pledge.repository.js';
import { PledgeTotalsRepository } from './pledge-totals.repository.js';

/** The pledge workflow: it orchestrates identity, credit, classification, disclosure, campaign and ledger. */
@Module({
  imports: [
    IdentityModule,
    CreditModule,
    InvestorClassificationModule,
    RiskDisclosureModule,
    CampaignModule,
    EscrowLedgerModule,
  ],
  controllers: [
    PledgeController,
    PledgeAdminController,
    ConfirmationCallQueueController,
    CampaignLeadsController,
  ],
  providers: [
    CampaignLeadsRepository,
    CampaignLeads,
    PledgeRefusals,
    PledgeRepository,
    PledgeBatchesRepository,
    PledgeTotalsRepository,
    ConfirmationCallsRepository,
    MaterialChangesRepository,
    PledgeEnding,
    PledgePlacement,
    PledgeCancellation,
    ConfirmationCalls,
    PledgeReconfirmations,
    PledgeLifecycle,
    PledgeQueries,
    PledgeFactsRepository,
    PledgeFactsQueries,
  ],
  // Settlement orchestrates through these; the repository stays inside (DESIGN §2).
  exports: [
    CampaignLeads,
    PledgeLifecycle,
    ConfirmationCalls,
    PledgeReconfirmations,
    PledgePlacement,
    PledgeQueries,
    PledgeFactsQueries,
  ],
})
export class PledgeModule implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Pledges');
  private subscription?: Subscription;

  constructor(
    private readonly disclosures: RiskDisclosureService,
    private readonly reconfirmations: PledgeReconfirmations,
  ) {}

  /** Material disclosure changes put the campaign's live pledges into reconfirmation. */
  onModuleInit(): void {
    this.subscription = this.disclosures.materialChanges$.subscribe((change) => {
      this.reconfirmations
        .onMaterialChange(change)
        .catch((error: unknown) =>
          this.logger.error(
            { err: error, campaignId: change.campaignId },
            'reconfirmation marking failed; the next sweep applies it',
          ),
        );
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }
}
