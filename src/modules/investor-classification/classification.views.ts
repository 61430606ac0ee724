import type {
  ClassificationApplicationEntity,
  InvestorAssessmentEntity,
  InvestorFinancialsEntity,
} from './classification.entities.js';
import type { InvestorCategory } from './classification.types.js';

/** The responses of classification, one mapping per aggregate (STYLE §4). */
export type FinancialsView = {
  annualIncome: string;
  financialAssets: string;
  netWorth: string;
  investmentExperienceYears: number;
};

export interface ApplicationView {
  id: string;
  userId: string;
  type: 'QUALIFIED' | 'PROFESSIONAL';
  status: 'PENDING' | 'APPROVED' | 'REJECTED';
  evidence: { kind: string; reference: string; sha256: string }[];
  submittedAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  reason: string | null;
  decisionInputs: Record<string, unknown> | null;
}

export function toFinancialsView(f: InvestorFinancialsEntity): FinancialsView {
  return {
    annualIncome: f.annualIncome,
    financialAssets: f.financialAssets,
    netWorth: f.netWorth,
    investmentExperienceYears: f.investmentExperienceYears,
  };
}

export function toApplicationView(a: ClassificationApplicationEntity): ApplicationView {
  return {
    id: a.id,
    userId: a.userId,
    type: a.type,
    status: a.status,
    evidence: a.evidence,
    submittedAt: a.submittedAt.toISOString(),
    decidedAt: a.decidedAt?.toISOString() ?? null,
    decidedBy: a.decidedBy,
    reason: a.reason,
    decisionInputs: a.decisionInputs,
  };
}

export interface QuestionnaireView {
  version: string;
  questions: {
    id: string;
    category: string;
    text: string;
    options: { id: string; text: string }[];
  }[];
}

export interface AssessmentView {
  id: string;
  questionnaireVersion: string;
  score: number;
  riskLevel: string;
  lowestCategory: boolean;
  assessedAt: string;
  validUntil: string;
  rulePack: string;
}

export interface ProfileView {
  category: InvestorCategory;
  assessment: (AssessmentView & { status: 'VALID' | 'EXPIRED' }) | null;
  qualified: boolean;
  qualifiedUntil: string | null;
  financials: {
    annualIncome: string;
    financialAssets: string;
    netWorth: string;
    investmentExperienceYears: number;
  } | null;
  limits: {
    rulePack: string;
    annualLimit: string;
    usedLast12Months: string;
    remaining: string;
    currency: string;
  };
}

export function toAssessmentView(a: InvestorAssessmentEntity): AssessmentView {
  return {
    id: a.id,
    questionnaireVersion: a.questionnaireVersion,
    score: a.score,
    riskLevel: a.riskLevel,
    lowestCategory: a.lowestCategory,
    assessedAt: a.assessedAt.toISOString(),
    validUntil: a.validUntil.toISOString(),
    rulePack: a.rulePack,
  };
}
