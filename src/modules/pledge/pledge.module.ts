import { Logger, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { RiskDisclosureService } from '../risk-disclosure/risk-disclosure.service.js';
import { CampaignModule } from '../campaign/campaign.module.js';
import { CreditModule } from '../credit/credit.module.js';
import { EscrowLedgerModule } from '../escrow-ledger/escrow-ledger.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { InvestorClassificationModule } from '../investor-classification/investor-classification.module.js';
import { RiskDisclosureModule } from '../risk-disclosure/risk-disclosure.module.js';
import { PledgeAdminController, PledgeController } from './pledge.controller.js';
import { PledgeRepository } from './pledge.repository.js';
import { PledgeService } from './pledge.service.js';

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
  controllers: [PledgeController, PledgeAdminController],
  providers: [PledgeRepository, PledgeService],
  exports: [PledgeService, PledgeRepository],
})
export class PledgeModule implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Pledges');
  private subscription?: Subscription;

  constructor(
    private readonly disclosures: RiskDisclosureService,
    private readonly pledges: PledgeService,
  ) {}

  /** Material disclosure changes put the campaign's live pledges into reconfirmation. */
  onModuleInit(): void {
    this.subscription = this.disclosures.materialChanges$.subscribe((change) => {
      this.pledges
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
