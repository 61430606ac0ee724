import { Module } from '@nestjs/common';
import { CampaignModule } from '../campaign/campaign.module.js';
import { CreditModule } from '../credit/credit.module.js';
import { EscrowLedgerModule } from '../escrow-ledger/escrow-ledger.module.js';
import { FinanceModule } from '../finance/finance.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { PledgeModule } from '../pledge/pledge.module.js';
import { SettlementModule } from '../settlement/settlement.module.js';
import { DisclosuresController } from './disclosures.controller.js';
import { FinanceLoansController } from './finance-loans.controller.js';
import { LendingController } from './lending.controller.js';
import { LendingScheduler } from './lending.scheduler.js';
import { LoanBook } from './loan-book.service.js';
import { LoanCredit } from './loan-credit.service.js';
import { LoanDistribution } from './loan-distribution.service.js';
import { LoanOrigination } from './loan-origination.service.js';
import { LoanOverdueSweep } from './loan-overdue.service.js';
import { LoanQueries } from './loan-queries.service.js';
import { LoanPagesRepository } from './loan-pages.repository.js';
import { LoanRepayments } from './loan-repayments.service.js';
import { LoanTermsRepository } from './loan-terms.repository.js';
import { LoanTermsService } from './loan-terms.service.js';
import { LoansRepository } from './loans.repository.js';
import { OperatingDisclosureRepository } from './operating-disclosure.repository.js';
import { OperatingDisclosures } from './operating-disclosure.service.js';
import { OutstandingPrincipal } from './outstanding-principal.service.js';

/**
 * Debt crowdfunding (issue 14): loan terms and borrower caps at submit, the loan made at
 * settlement, repayments from custody, overdue and default, the loan book and the monthly
 * operating disclosure. It sits above ledger, campaign, pledge and settlement; none imports it.
 */
@Module({
  imports: [
    EscrowLedgerModule,
    CampaignModule,
    PledgeModule,
    SettlementModule,
    CreditModule,
    IdentityModule,
    FinanceModule,
  ],
  controllers: [LendingController, FinanceLoansController, DisclosuresController],
  providers: [
    LoanTermsRepository,
    LoansRepository,
    LoanPagesRepository,
    LoanTermsService,
    OutstandingPrincipal,
    LoanOrigination,
    LoanDistribution,
    LoanRepayments,
    LoanOverdueSweep,
    LoanQueries,
    LoanBook,
    LoanCredit,
    LendingScheduler,
    OperatingDisclosureRepository,
    OperatingDisclosures,
  ],
  exports: [LoanOverdueSweep, LoanQueries, OperatingDisclosures],
})
export class LendingModule {}
