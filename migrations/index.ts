import type { MigrationInterface } from 'typeorm';
import { Identity1764300000000 } from './1764300000000-identity.js';
import { EscrowLedger1764400000000 } from './1764400000000-escrow-ledger.js';
import { InvestorClassification1764500000000 } from './1764500000000-investor-classification.js';
import { Credit1764600000000 } from './1764600000000-credit.js';
import { Campaigns1764650000000 } from './1764650000000-campaigns.js';
import { RiskDisclosure1764700000000 } from './1764700000000-risk-disclosure.js';
import { Pledges1764800000000 } from './1764800000000-pledges.js';
import { ConfirmationCalls1764810000000 } from './1764810000000-confirmation-calls.js';
import { PledgeReconfirmation1764820000000 } from './1764820000000-pledge-reconfirmation.js';
import { Payouts1764830000000 } from './1764830000000-payouts.js';
import { MaterialChangeApplications1764840000000 } from './1764840000000-material-change-applications.js';
import { Reconciliations1764900000000 } from './1764900000000-reconciliations.js';
import { EscrowLedgerReadViews1765000000000 } from './1765000000000-escrow-ledger-read-views.js';
import { CampaignFinanceViews1765000100000 } from './1765000100000-campaign-finance-views.js';
import { PledgeFinanceViews1765000200000 } from './1765000200000-pledge-finance-views.js';
import { PayoutFinanceViews1765000300000 } from './1765000300000-payout-finance-views.js';
import { AuditEventIndexes1765000400000 } from './1765000400000-audit-event-indexes.js';
import { CampaignRatingAndSuspension1765100000000 } from './1765100000000-campaign-rating-and-suspension.js';
import { LedgerHoldFunctions1765100100000 } from './1765100100000-ledger-hold-functions.js';
import { AuditAppendFunction1765100200000 } from './1765100200000-audit-append-function.js';
import { PledgeLockedSection1765100300000 } from './1765100300000-pledge-locked-section.js';
import { Accounts1765200000000 } from './1765200000000-accounts.js';
import { Notifications1765300000000 } from './1765300000000-notifications.js';
import { Lending1765400000000 } from './1765400000000-lending.js';
import { CampaignPagesAndSearch1765500000000 } from './1765500000000-campaign-pages-and-search.js';
import { Fulfilment1765550000000 } from './1765550000000-fulfilment.js';
import { Charity1765560000000 } from './1765560000000-charity.js';
import { CreditRecordsByRule1765570000000 } from './1765570000000-credit-records-by-rule.js';
import { LeastPrivilege1765600000000 } from './1765600000000-least-privilege.js';
import { PledgeHoldFkAndTransferKinds1765600100000 } from './1765600100000-pledge-hold-fk-and-transfer-kinds.js';
import { LineTransferKinds1765900000000 } from './1765900000000-line-transfer-kinds.js';
import { BorrowerCapInFlight1765900500000 } from './1765900500000-borrower-cap-in-flight.js';
import { Distributions1765910100000 } from './1765910100000-distributions.js';
import { IssuerReports1765910200000 } from './1765910200000-issuer-reports.js';
import { PayoutQueueKeysetIndex1765920100000 } from './1765920100000-payout-queue-keyset-index.js';
import { LeadInvestors1765940000000 } from './1765940000000-lead-investors.js';
import { PledgesInvestorCampaignIndex1765950000000 } from './1765950000000-pledges-investor-campaign-index.js';
import { PledgesSettlementOrderIndex1765960000000 } from './1765960000000-pledges-settlement-order-index.js';
import { PledgesCallQueueByStatus1765970000000 } from './1765970000000-pledges-call-queue-by-status.js';
import { PledgesCallQueuePartial1765980000000 } from './1765980000000-pledges-call-queue-partial.js';
import { LedgerResolutionsWithoutSelfForeignKey1765990000000 } from './1765990000000-ledger-resolutions-without-self-foreign-key.js';
import { PledgesReconfirmationDueIndex1766000000000 } from './1766000000000-pledges-reconfirmation-due-index.js';
import { LedgerAccountsCheckedOncePerStatement1766010000000 } from './1766010000000-ledger-accounts-checked-once-per-statement.js';
import { SessionsAnnounceTheirEnd1766020000000 } from './1766020000000-sessions-announce-their-end.js';
import { PledgeLockedSectionRefuses1766030000000 } from './1766030000000-pledge-locked-section-refuses.js';
import { NotificationsEnqueueFunction1766040000000 } from './1766040000000-notifications-enqueue-function.js';
import { PledgesInvestorCoveringIndex1766050000000 } from './1766050000000-pledges-investor-covering-index.js';
import { LedgerPostHoldsFunction1766060000000 } from './1766060000000-ledger-post-holds-function.js';
import { LedgerPostIdsInline1766070000000 } from './1766070000000-ledger-post-ids-inline.js';
import { LedgerAccountsUpdatedInPlace1766080000000 } from './1766080000000-ledger-accounts-updated-in-place.js';
import { LedgerReferenceIndexPartial1766090000000 } from './1766090000000-ledger-reference-index-partial.js';
import { PledgeLockedSectionPlannedOnce1766100000000 } from './1766100000000-pledge-locked-section-planned-once.js';
import { PledgeEvidenceOwnTable1766110000000 } from './1766110000000-pledge-evidence-own-table.js';
import { MoreListKeysetIndexes1765920000000 } from './1765920000000-more-list-keyset-indexes.js';
import { Holdings1765910000000 } from './1765910000000-holdings.js';
import { LedgerCheckpoints1765800000000 } from './1765800000000-ledger-checkpoints.js';
import { ListKeysetIndexes1765850000000 } from './1765850000000-list-keyset-indexes.js';
import { VerificationJobs1765870000000 } from './1765870000000-verification-jobs.js';
import { PayoutRoundsAndBackerClaims1765900100000 } from './1765900100000-payout-rounds-and-backer-claims.js';
import { CampaignLinks1765926000000 } from './1765926000000-campaign-links.js';

/** Every migration, in order. Listed explicitly so ESM builds and Jest load the same classes. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  Identity1764300000000,
  EscrowLedger1764400000000,
  InvestorClassification1764500000000,
  Credit1764600000000,
  Campaigns1764650000000,
  RiskDisclosure1764700000000,
  Pledges1764800000000,
  ConfirmationCalls1764810000000,
  PledgeReconfirmation1764820000000,
  Payouts1764830000000,
  MaterialChangeApplications1764840000000,
  Reconciliations1764900000000,
  EscrowLedgerReadViews1765000000000,
  CampaignFinanceViews1765000100000,
  PledgeFinanceViews1765000200000,
  PayoutFinanceViews1765000300000,
  AuditEventIndexes1765000400000,
  CampaignRatingAndSuspension1765100000000,
  LedgerHoldFunctions1765100100000,
  AuditAppendFunction1765100200000,
  PledgeLockedSection1765100300000,
  Accounts1765200000000,
  Notifications1765300000000,
  Lending1765400000000,
  CampaignPagesAndSearch1765500000000,
  Fulfilment1765550000000,
  Charity1765560000000,
  CreditRecordsByRule1765570000000,
  LeastPrivilege1765600000000,
  PledgeHoldFkAndTransferKinds1765600100000,
  LedgerCheckpoints1765800000000,
  ListKeysetIndexes1765850000000,
  VerificationJobs1765870000000,
  LineTransferKinds1765900000000,
  PayoutRoundsAndBackerClaims1765900100000,
  BorrowerCapInFlight1765900500000,
  Holdings1765910000000,
  Distributions1765910100000,
  IssuerReports1765910200000,
  MoreListKeysetIndexes1765920000000,
  PayoutQueueKeysetIndex1765920100000,
  CampaignLinks1765926000000,
  LeadInvestors1765940000000,
  PledgesInvestorCampaignIndex1765950000000,
  PledgesSettlementOrderIndex1765960000000,
  PledgesCallQueueByStatus1765970000000,
  PledgesCallQueuePartial1765980000000,
  LedgerResolutionsWithoutSelfForeignKey1765990000000,
  PledgesReconfirmationDueIndex1766000000000,
  LedgerAccountsCheckedOncePerStatement1766010000000,
  SessionsAnnounceTheirEnd1766020000000,
  PledgeLockedSectionRefuses1766030000000,
  NotificationsEnqueueFunction1766040000000,
  PledgesInvestorCoveringIndex1766050000000,
  LedgerPostHoldsFunction1766060000000,
  LedgerPostIdsInline1766070000000,
  LedgerAccountsUpdatedInPlace1766080000000,
  LedgerReferenceIndexPartial1766090000000,
  PledgeLockedSectionPlannedOnce1766100000000,
  PledgeEvidenceOwnTable1766110000000,
];
