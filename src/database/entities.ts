import { AuditEventEntity } from '../modules/audit/audit-event.entity.js';
import { RealNameIdentityEntity } from '../modules/identity/real-name-identity.entity.js';
import { UserEntity } from '../modules/identity/user.entity.js';

import {
  ClassificationApplicationEntity,
  InvestorAssessmentEntity,
  InvestorFinancialsEntity,
  InvestorProfileEntity,
  RiskQuestionnaireEntity,
} from '../modules/investor-classification/classification.entities.js';

/** Every entity, for the data source, the CLI and the entity/migration drift test. */
export const ENTITIES = [
  UserEntity,
  RealNameIdentityEntity,
  AuditEventEntity,
  RiskQuestionnaireEntity,
  InvestorAssessmentEntity,
  InvestorFinancialsEntity,
  InvestorProfileEntity,
  ClassificationApplicationEntity,
];
