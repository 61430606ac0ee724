import { AuditEventEntity } from '../modules/audit/audit-event.entity.js';
import { RealNameIdentityEntity } from '../modules/identity/real-name-identity.entity.js';
import { UserEntity } from '../modules/identity/user.entity.js';
import { ACCOUNT_ENTITIES } from '../modules/identity/account.entities.js';

import {
  ClassificationApplicationEntity,
  InvestorAssessmentEntity,
  InvestorFinancialsEntity,
  InvestorProfileEntity,
  RiskQuestionnaireEntity,
} from '../modules/investor-classification/classification.entities.js';

import { CAMPAIGN_ENTITIES } from '../modules/campaign/campaign.entities.js';
import { CAMPAIGN_PAGE_ENTITIES } from '../modules/campaign/page/campaign-page.entities.js';
import { CREDIT_ENTITIES } from '../modules/credit/credit.entities.js';
import { RISK_DISCLOSURE_ENTITIES } from '../modules/risk-disclosure/risk-disclosure.entities.js';

import {
  ConfirmationCallEntity,
  MaterialChangeApplicationEntity,
  PledgeEntity,
  PledgeEvidenceEntity,
} from '../modules/pledge/pledge.entity.js';
import { PayoutEntity } from '../modules/settlement/payout.entity.js';
import { RECONCILIATION_ENTITIES } from '../modules/finance/reconciliation.entity.js';
import { NOTIFICATION_ENTITIES } from '../modules/notifications/notifications.entities.js';

/** Every entity, for the data source, the CLI and the entity/migration drift test. */
export const ENTITIES = [
  UserEntity,
  RealNameIdentityEntity,
  ...ACCOUNT_ENTITIES,
  AuditEventEntity,
  RiskQuestionnaireEntity,
  InvestorAssessmentEntity,
  InvestorFinancialsEntity,
  InvestorProfileEntity,
  ClassificationApplicationEntity,
  ...CREDIT_ENTITIES,
  ...CAMPAIGN_ENTITIES,
  ...CAMPAIGN_PAGE_ENTITIES,
  ...RISK_DISCLOSURE_ENTITIES,
  PledgeEntity,
  PledgeEvidenceEntity,
  MaterialChangeApplicationEntity,
  ConfirmationCallEntity,
  PayoutEntity,
  ...RECONCILIATION_ENTITIES,
  ...NOTIFICATION_ENTITIES,
];
