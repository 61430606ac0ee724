import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { Money } from '../../common/money/money.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import { NOTICES, type NoticeSink } from '../../common/notices/notices.port.js';
import { rulePackConfig, type RulePackConfig } from '../../config/namespaces.js';
import { TransactionRunner } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { UserDirectory } from '../identity/index.js';
import { evaluateApplication } from './applications.policy.js';
import type { ClassificationApplicationEntity } from './classification.entities.js';
import {
  ApplicationDecidedError,
  FinancialsRequiredError,
  ThresholdsNotMetError,
} from './classification.errors.js';
import { ClassificationRepository } from './classification.repository.js';
import {
  type ApplicationView,
  toApplicationView,
  toFinancialsView,
} from './classification.views.js';
import type { ApplicationRequestDto } from './dto/classification.dto.js';

const DAY_MS = 86_400_000;

/**
 * Qualification and opt-up applications (CN-SUIT-04/05, CN-PF-01): the investor applies with
 * evidence; ADMIN decides against the declared figures and the pack's thresholds, with the inputs
 * and the rule pack kept on the decision; the investor is told (issue 13).
 */
@Injectable()
export class ClassificationApplications {
  constructor(
    private readonly repo: ClassificationRepository,
    private readonly users: UserDirectory,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(rulePackConfig.KEY) private readonly pack: RulePackConfig,
    @Inject(NOTICES) private readonly notices: NoticeSink,
  ) {}

  async apply(userId: string, input: ApplicationRequestDto): Promise<ApplicationView> {
    const application: ClassificationApplicationEntity = {
      id: randomUUID(),
      userId,
      type: input.type,
      status: 'PENDING',
      evidence: input.evidence.map((e) => ({
        kind: e.kind,
        reference: e.reference,
        sha256: e.sha256,
      })),
      submittedAt: this.clock.now(),
      decidedAt: null,
      decidedBy: null,
      reason: null,
      decisionInputs: null,
    };
    await this.transactions.run(async (tx) => {
      await this.repo.insertApplication(application, tx);
      await this.audit.append(
        {
          occurredAt: application.submittedAt,
          actorId: userId,
          action: 'classification.application_submitted',
          subjectType: 'classification_application',
          subjectId: application.id,
          details: { type: input.type, rules: ['CN-SUIT-05'] },
        },
        tx,
      );
    });
    return toApplicationView(application);
  }

  /** One cursor page of applications, oldest first (issue 16). */
  list(
    status: ApplicationView['status'] | undefined,
    page: { cursor?: string; limit: number },
  ): Promise<Page<ApplicationView>> {
    return this.repo.listApplications(status, page, toApplicationView);
  }

  /** ADMIN approves: the declared figures must meet the thresholds; who decided is recorded. */
  approve(adminId: string, applicationId: string): Promise<ApplicationView> {
    return this.transactions.run(async (tx) => {
      const application = await this.pendingApplication(applicationId, tx);
      const user = await this.users.findUserById(application.userId);
      const financials = await this.repo.findFinancials(application.userId, tx);
      if (!user) throw new NotFoundError('User');
      if (!financials) throw new FinancialsRequiredError();
      const now = this.clock.now();
      const evaluation = evaluateApplication(this.pack, application.type, user.kind, {
        annualIncome: this.money(financials.annualIncome),
        financialAssets: this.money(financials.financialAssets),
        netWorth: this.money(financials.netWorth),
        investmentExperienceYears: financials.investmentExperienceYears,
      });
      if (!evaluation.met)
        throw new ThresholdsNotMetError({ rules: evaluation.ruleIds, unmet: evaluation.unmet });
      const profile = (await this.repo.findProfile(application.userId, tx)) ?? {
        userId: application.userId,
        category: 'ORDINARY' as const,
        qualifiedUntil: null,
        updatedAt: now,
      };
      if (application.type === 'PROFESSIONAL') profile.category = 'PROFESSIONAL';
      else
        profile.qualifiedUntil = new Date(
          now.getTime() + this.pack.parameters.qualificationValidityDays * DAY_MS,
        );
      profile.updatedAt = now;
      Object.assign(application, {
        status: 'APPROVED',
        decidedAt: now,
        decidedBy: adminId,
        decisionInputs: {
          rulePack: this.pack.effectiveId,
          rules: evaluation.ruleIds,
          userKind: user.kind,
          financials: toFinancialsView(financials),
          thresholds: evaluation.thresholds,
        },
      });
      await this.repo.saveApplication(application, tx);
      await this.repo.saveProfile(
        {
          userId: profile.userId,
          category: profile.category,
          qualifiedUntil: profile.qualifiedUntil,
          updatedAt: now,
        },
        tx,
      );
      await this.audit.append(
        {
          occurredAt: now,
          actorId: adminId,
          action: 'classification.application_approved',
          subjectType: 'classification_application',
          subjectId: application.id,
          details: application.decisionInputs ?? {},
        },
        tx,
      );
      await this.notices.record(
        [
          {
            recipientId: application.userId,
            type: 'qualification.decided',
            params: {
              applicationType: application.type,
              outcome: 'APPROVED',
              qualifiedUntil: profile.qualifiedUntil?.toISOString() ?? null,
            },
          },
        ],
        tx,
      );
      return toApplicationView(application);
    });
  }

  reject(adminId: string, applicationId: string, reason: string): Promise<ApplicationView> {
    return this.transactions.run(async (tx) => {
      const application = await this.pendingApplication(applicationId, tx);
      const now = this.clock.now();
      Object.assign(application, {
        status: 'REJECTED',
        decidedAt: now,
        decidedBy: adminId,
        reason,
        decisionInputs: { rulePack: this.pack.effectiveId },
      });
      await this.repo.saveApplication(application, tx);
      await this.audit.append(
        {
          occurredAt: now,
          actorId: adminId,
          action: 'classification.application_rejected',
          subjectType: 'classification_application',
          subjectId: application.id,
          details: { reason, rules: ['CN-SUIT-05'] },
        },
        tx,
      );
      await this.notices.record(
        [
          {
            recipientId: application.userId,
            type: 'qualification.decided',
            params: { applicationType: application.type, outcome: 'REJECTED', reason },
          },
        ],
        tx,
      );
      return toApplicationView(application);
    });
  }

  /** Investors whose current assessment expires in (from, until] (CN-SUIT-18 validity). */
  private async pendingApplication(
    id: string,
    tx: Parameters<ClassificationRepository['lockApplication']>[1],
  ) {
    const application = await this.repo.lockApplication(id, tx);
    if (!application) throw new NotFoundError('Application');
    if (application.status !== 'PENDING') throw new ApplicationDecidedError(application.status);
    return application;
  }

  private money(text: string): Money {
    return Money.fromDecimalString(text, this.pack.currency);
  }
}
