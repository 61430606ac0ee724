import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { UserEntity } from '../identity/user.entity.js';
import type { RiskLevel } from './classification.types.js';
import type { Questionnaire } from './questionnaire-cn-v1.js';

@Entity('risk_questionnaires')
@Index('risk_questionnaires_one_active', ['active'], { unique: true, where: '"active"' })
export class RiskQuestionnaireEntity {
  @PrimaryColumn('text')
  version: string;

  @Column('jsonb')
  definition: Questionnaire;

  @Column('boolean')
  active: boolean;

  @Column('timestamptz')
  createdAt: Date;
}

/** One completed questionnaire; kept forever as suitability evidence (CN-SUIT-17), never updated. */
@Entity('investor_assessments')
@Index('investor_assessments_user_idx', ['userId', 'assessedAt'])
@Check('investor_assessments_score_check', `"score" BETWEEN 0 AND 100`)
@Check('investor_assessments_risk_level_check', `"risk_level" IN ('C1', 'C2', 'C3', 'C4', 'C5')`)
@Check('investor_assessments_lowest_check', `NOT "lowest_category" OR "risk_level" = 'C1'`)
export class InvestorAssessmentEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'investor_assessments_user_id_fkey' })
  user?: Relation<UserEntity>;

  @Column('text')
  questionnaireVersion: string;

  @ManyToOne(() => RiskQuestionnaireEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'questionnaire_version',
    foreignKeyConstraintName: 'investor_assessments_questionnaire_version_fkey',
  })
  questionnaire?: Relation<RiskQuestionnaireEntity>;

  @Column('jsonb')
  answers: { questionId: string; optionId: string }[];

  @Column('integer')
  score: number;

  @Column('text')
  riskLevel: RiskLevel;

  @Column('boolean')
  lowestCategory: boolean;

  @Column('text')
  rulePack: string;

  @Column('timestamptz')
  assessedAt: Date;

  @Column('timestamptz')
  validUntil: Date;
}

@Entity('investor_financials')
@Check(
  'investor_financials_non_negative_check',
  `"annual_income" >= 0 AND "financial_assets" >= 0 AND "net_worth" >= 0 AND "investment_experience_years" BETWEEN 0 AND 100`,
)
export class InvestorFinancialsEntity {
  @PrimaryColumn('uuid')
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'investor_financials_user_id_fkey' })
  user?: Relation<UserEntity>;

  @Column('numeric', { precision: 20, scale: 2 })
  annualIncome: string;

  @Column('numeric', { precision: 20, scale: 2 })
  financialAssets: string;

  @Column('numeric', { precision: 20, scale: 2 })
  netWorth: string;

  @Column('integer')
  investmentExperienceYears: number;

  @Column('timestamptz')
  updatedAt: Date;
}

@Entity('investor_profiles')
@Check('investor_profiles_category_check', `"category" IN ('ORDINARY', 'PROFESSIONAL')`)
export class InvestorProfileEntity {
  @PrimaryColumn('uuid')
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'investor_profiles_user_id_fkey' })
  user?: Relation<UserEntity>;

  @Column('text')
  category: 'ORDINARY' | 'PROFESSIONAL';

  @Column('timestamptz', { nullable: true })
  qualifiedUntil: Date | null;

  @Column('timestamptz')
  updatedAt: Date;
}

export interface EvidenceItem {
  kind: string;
  reference: string;
  sha256: string;
}

@Entity('classification_applications')
@Index('classification_applications_one_pending', ['userId', 'type'], {
  unique: true,
  where: `"status" = 'PENDING'`,
})
@Index('classification_applications_status_idx', ['status', 'submittedAt', 'id'])
@Index('classification_applications_submitted_idx', ['submittedAt', 'id'])
@Check('classification_applications_type_check', `"type" IN ('QUALIFIED', 'PROFESSIONAL')`)
@Check(
  'classification_applications_status_check',
  `"status" IN ('PENDING', 'APPROVED', 'REJECTED')`,
)
@Check(
  'classification_applications_decision_check',
  `("status" = 'PENDING') = ("decided_at" IS NULL AND "decided_by" IS NULL)`,
)
@Check('classification_applications_reason_check', `"status" <> 'REJECTED' OR "reason" IS NOT NULL`)
export class ClassificationApplicationEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'user_id',
    foreignKeyConstraintName: 'classification_applications_user_id_fkey',
  })
  user?: Relation<UserEntity>;

  @Column('text')
  type: 'QUALIFIED' | 'PROFESSIONAL';

  @Column('text')
  status: 'PENDING' | 'APPROVED' | 'REJECTED';

  @Column('jsonb')
  evidence: EvidenceItem[];

  @Column('timestamptz')
  submittedAt: Date;

  @Column('timestamptz', { nullable: true })
  decidedAt: Date | null;

  @Column('uuid', { nullable: true })
  decidedBy: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'decided_by',
    foreignKeyConstraintName: 'classification_applications_decided_by_fkey',
  })
  decider?: Relation<UserEntity>;

  @Column('text', { nullable: true })
  reason: string | null;

  @Column('jsonb', { nullable: true })
  decisionInputs: Record<string, unknown> | null;
}
