import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Tx, uniqueViolationConstraint } from '../../database/transaction.js';
import {
  ClassificationApplicationEntity,
  InvestorAssessmentEntity,
  InvestorFinancialsEntity,
  InvestorProfileEntity,
  RiskQuestionnaireEntity,
} from './classification.entities.js';
import { ApplicationPendingError } from './classification.errors.js';

@Injectable()
export class ClassificationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(tx?: Tx) {
    return tx ?? this.dataSource.manager;
  }

  activeQuestionnaire(): Promise<RiskQuestionnaireEntity | null> {
    return this.m().findOne(RiskQuestionnaireEntity, { where: { active: true } });
  }

  async insertAssessment(assessment: InvestorAssessmentEntity, tx: Tx): Promise<void> {
    await tx.insert(InvestorAssessmentEntity, assessment);
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

  listApplications(
    status: ClassificationApplicationEntity['status'] | undefined,
    limit: number,
  ): Promise<ClassificationApplicationEntity[]> {
    return this.m().find(ClassificationApplicationEntity, {
      where: status ? { status } : {},
      order: { submittedAt: 'ASC' },
      take: limit,
    });
  }
}
