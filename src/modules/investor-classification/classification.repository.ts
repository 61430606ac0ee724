import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CursorCodec, type Page } from '../../common/pagination/cursor-codec.js';
import { type Keyset, keysetPage } from '../../database/keyset-page.js';
import { preparedRead, type Tx, uniqueViolationConstraint } from '../../database/transaction.js';
import {
  ClassificationApplicationEntity,
  InvestorAssessmentEntity,
  InvestorFinancialsEntity,
  InvestorProfileEntity,
  RiskQuestionnaireEntity,
} from './classification.entities.js';
import { ApplicationPendingError } from './classification.errors.js';
import type { InvestorCategory, RiskLevel } from './classification.types.js';

const APPLICATIONS: Keyset = {
  list: 'classification-applications',
  key: 'a.submitted_at',
  keyKind: 'timestamptz',
  id: 'a.id',
  idKind: 'uuid',
  direction: 'ASC',
};

/** Everything the pledge path needs about an investor's classification, read in one statement. */
export interface StandingInputs {
  category: InvestorCategory | null;
  qualifiedUntil: Date | null;
  financials: { annualIncome: string; financialAssets: string; netWorth: string } | null;
  assessment: {
    id: string;
    riskLevel: RiskLevel;
    lowestCategory: boolean;
    validUntil: Date;
  } | null;
}

@Injectable()
export class ClassificationRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: CursorCodec,
  ) {}

  private m(tx?: Tx) {
    return tx ?? this.dataSource.manager;
  }

  activeQuestionnaire(): Promise<RiskQuestionnaireEntity | null> {
    return this.m().findOne(RiskQuestionnaireEntity, { where: { active: true } });
  }

  async insertAssessment(assessment: InvestorAssessmentEntity, tx: Tx): Promise<void> {
    await tx.insert(InvestorAssessmentEntity, assessment);
  }

  async standingInputs(userId: string): Promise<StandingInputs> {
    const rows: {
      category: InvestorCategory | null;
      qualified_until: Date | null;
      annual_income: string | null;
      financial_assets: string | null;
      net_worth: string | null;
      assessment_id: string | null;
      risk_level: RiskLevel | null;
      lowest_category: boolean | null;
      valid_until: Date | null;
    }[] = await preparedRead(
      this.dataSource,
      'classification-standing-inputs',
      `SELECT p.category, p.qualified_until,
              f.annual_income::text AS annual_income, f.financial_assets::text AS financial_assets,
              f.net_worth::text AS net_worth,
              a.id AS assessment_id, a.risk_level, a.lowest_category, a.valid_until
       FROM (SELECT $1::uuid AS user_id) u
       LEFT JOIN investor_profiles p ON p.user_id = u.user_id
       LEFT JOIN investor_financials f ON f.user_id = u.user_id
       LEFT JOIN LATERAL (
         SELECT id, risk_level, lowest_category, valid_until FROM investor_assessments
         WHERE user_id = u.user_id ORDER BY assessed_at DESC, id DESC LIMIT 1) a ON true`,
      [userId],
    );
    const r = rows[0];
    return {
      category: r.category,
      qualifiedUntil: r.qualified_until,
      financials:
        r.annual_income !== null && r.financial_assets !== null && r.net_worth !== null
          ? {
              annualIncome: r.annual_income,
              financialAssets: r.financial_assets,
              netWorth: r.net_worth,
            }
          : null,
      assessment:
        r.assessment_id !== null && r.risk_level !== null && r.valid_until !== null
          ? {
              id: r.assessment_id,
              riskLevel: r.risk_level,
              lowestCategory: r.lowest_category === true,
              validUntil: r.valid_until,
            }
          : null,
    };
  }

  /** Each user's newest assessment if it expires in (from, until]: the assessment-expiring notice. */
  expiringLatestAssessments(
    from: Date,
    until: Date,
    limit: number,
  ): Promise<{ id: string; userId: string; riskLevel: string; validUntil: Date }[]> {
    return this.dataSource.query(
      `SELECT a.id, a.user_id AS "userId", a.risk_level AS "riskLevel", a.valid_until AS "validUntil"
         FROM investor_assessments a
        WHERE a.valid_until > $1 AND a.valid_until <= $2
          AND NOT EXISTS (SELECT 1 FROM investor_assessments b
                           WHERE b.user_id = a.user_id AND b.assessed_at > a.assessed_at)
        ORDER BY a.valid_until, a.id LIMIT $3`,
      [from, until, limit],
    );
  }

  latestAssessment(userId: string, tx?: Tx): Promise<InvestorAssessmentEntity | null> {
    return this.m(tx).findOne(InvestorAssessmentEntity, {
      where: { userId },
      order: { assessedAt: 'DESC', id: 'DESC' },
    });
  }

  findFinancials(userId: string, tx?: Tx): Promise<InvestorFinancialsEntity | null> {
    return this.m(tx).findOne(InvestorFinancialsEntity, { where: { userId } });
  }

  async saveFinancials(financials: InvestorFinancialsEntity, tx: Tx): Promise<void> {
    await tx.upsert(InvestorFinancialsEntity, financials, ['userId']);
  }

  findProfile(userId: string, tx?: Tx): Promise<InvestorProfileEntity | null> {
    return this.m(tx).findOne(InvestorProfileEntity, { where: { userId } });
  }

  async saveProfile(profile: InvestorProfileEntity, tx: Tx): Promise<void> {
    await tx.upsert(InvestorProfileEntity, profile, ['userId']);
  }

  async insertApplication(application: ClassificationApplicationEntity, tx: Tx): Promise<void> {
    try {
      await tx.save(ClassificationApplicationEntity, application);
    } catch (error) {
      if (uniqueViolationConstraint(error) === 'classification_applications_one_pending')
        throw new ApplicationPendingError();
      throw error;
    }
  }

  /** Locks the application for a decision, so two admins cannot decide it twice. */
  lockApplication(id: string, tx: Tx): Promise<ClassificationApplicationEntity | null> {
    return tx.findOne(ClassificationApplicationEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
  }

  async saveApplication(application: ClassificationApplicationEntity, tx: Tx): Promise<void> {
    await tx.save(ClassificationApplicationEntity, application);
  }

  /** Oldest first, in cursor pages (indexes classification_applications_status_idx, _submitted_idx). */
  listApplications<T>(
    status: ClassificationApplicationEntity['status'] | undefined,
    page: { cursor?: string; limit: number },
    view: (a: ClassificationApplicationEntity) => T,
  ): Promise<Page<T>> {
    const qb = this.m().createQueryBuilder(ClassificationApplicationEntity, 'a');
    if (status) qb.where('a.status = :status', { status });
    return keysetPage(this.cursors, qb, APPLICATIONS, page, view);
  }
}
