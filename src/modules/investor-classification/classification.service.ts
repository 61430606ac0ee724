import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError, ValidationFailedError } from '../../common/errors/domain-error.js';
import { Money } from '../../common/money/money.js';
import { NOTICES, type NoticeSink } from '../../common/notices/notices.port.js';
import { rulePackConfig, type RulePackConfig } from '../../config/namespaces.js';
import { TransactionRunner } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { UserDirectory } from '../identity/index.js';
import type {
  InvestorAssessmentEntity,
  InvestorFinancialsEntity,
} from './classification.entities.js';
import {
  AssessmentExpiredError,
  AssessmentRequiredError,
  NotProfessionalError,
  QuestionnaireVersionMismatchError,
} from './classification.errors.js';
import { ClassificationRepository, type StandingInputs } from './classification.repository.js';
import type {
  InvestorCategory,
  Offering,
  ProductRisk,
  RiskLevel,
  SuitabilityOutcome,
} from './classification.types.js';
import { decideSuitability } from './suitability.policy.js';
import { COMMITMENTS, type CommitmentsReader } from './commitments.port.js';
import type { AssessmentRequestDto, FinancialsDto } from './dto/classification.dto.js';
import { type AnnualLimit, annualLimit, remaining } from './limits.policy.js';
import { scoreAssessment } from './questionnaire.scoring.js';
import {
  type AssessmentView,
  type ProfileView,
  type QuestionnaireView,
  toAssessmentView,
  toFinancialsView,
} from './classification.views.js';

const DAY_MS = 86_400_000;

export interface StandingProduct {
  financial: boolean;
  productRisk: ProductRisk | null;
  offering: Offering | null;
}

/** The inputs of a limit decision, as evidence (CONV-05): the declared figures and the formula. */
export interface LimitDecisionInputs {
  /** The pack's limit formula (`CN_PUBLIC`, `US_REGCF`). */
  formula: string;
  offering: Offering;
  annualIncome: string;
  financialAssets: string;
  netWorth: string;
  /** Whether the investor had declared figures at all (zeros are used otherwise). */
  declared: boolean;
}

export interface PledgeStanding {
  suitability: SuitabilityOutcome | 'NOT_APPLICABLE';
  category: InvestorCategory;
  qualified: boolean;
  riskLevel: RiskLevel | null;
  lowestCategory: boolean;
  limit: AnnualLimit;
  /** Present for financial products: what the limit was computed from. */
  limitInputs?: LimitDecisionInputs;
  rulePack: string;
  assessmentId?: string;
}

/**
 * Investor classification (rules-spec §4, PLAT-09): the questionnaire and its assessments, declared
 * financials, professional and qualified status through admin-decided applications, opt-down, and
 * the profile with the rolling 12-month limit. Every decision records the rule pack it used.
 */
@Injectable()
export class ClassificationService {
  constructor(
    private readonly repo: ClassificationRepository,
    private readonly users: UserDirectory,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(rulePackConfig.KEY) private readonly pack: RulePackConfig,
    @Inject(COMMITMENTS) private readonly commitments: CommitmentsReader,
    @Inject(NOTICES) private readonly notices: NoticeSink,
  ) {}

  async questionnaire(): Promise<QuestionnaireView> {
    const q = await this.current();
    // Scores and the lowest-category markers stay on the server: showing them invites gaming.
    return {
      version: q.version,
      questions: q.definition.questions.map((question) => ({
        id: question.id,
        category: question.category,
        text: question.text,
        options: question.options.map((o) => ({ id: o.id, text: o.text })),
      })),
    };
  }

  async assess(userId: string, input: AssessmentRequestDto): Promise<AssessmentView> {
    const q = await this.current();
    if (input.questionnaireVersion !== q.version)
      throw new QuestionnaireVersionMismatchError(q.version);
    const result = scoreAssessment(q.definition, input.answers);
    if ('error' in result) {
      throw new ValidationFailedError(
        result.error.map((e) => ({ field: e.field, problems: [e.problem] })),
      );
    }
    const now = this.clock.now();
    const assessment: InvestorAssessmentEntity = {
      id: randomUUID(),
      userId,
      questionnaireVersion: q.version,
      answers: input.answers.map((a) => ({ questionId: a.questionId, optionId: a.optionId })),
      score: result.score,
      riskLevel: result.riskLevel,
      lowestCategory: result.lowestCategory,
      rulePack: this.pack.effectiveId,
      assessedAt: now,
      validUntil: new Date(now.getTime() + this.pack.parameters.assessmentValidityDays * DAY_MS),
    };
    await this.transactions.run(async (tx) => {
      await this.repo.insertAssessment(assessment, tx);
      await this.audit.append(
        {
          occurredAt: now,
          actorId: userId,
          action: 'classification.assessed',
          subjectType: 'user',
          subjectId: userId,
          details: {
            rules: ['CN-SUIT-06', 'CN-SUIT-07', 'CN-SUIT-10', 'CN-SUIT-18'],
            rulePack: assessment.rulePack,
            questionnaireVersion: q.version,
            score: result.score,
            riskLevel: result.riskLevel,
            lowestCategory: result.lowestCategory,
          },
        },
        tx,
      );
    });
    return toAssessmentView(assessment);
  }

  async saveFinancials(userId: string, input: FinancialsDto): Promise<ProfileView['financials']> {
    const now = this.clock.now();
    const financials: InvestorFinancialsEntity = {
      userId,
      annualIncome: this.money(input.annualIncome).toString(),
      financialAssets: this.money(input.financialAssets).toString(),
      netWorth: this.money(input.netWorth).toString(),
      investmentExperienceYears: input.investmentExperienceYears,
      updatedAt: now,
    };
    await this.transactions.run(async (tx) => {
      await this.repo.saveFinancials(financials, tx);
      await this.audit.append(
        {
          occurredAt: now,
          actorId: userId,
          action: 'classification.financials_declared',
          subjectType: 'user',
          subjectId: userId,
          details: toFinancialsView(financials),
        },
        tx,
      );
    });
    return toFinancialsView(financials);
  }

  expiringAssessments(
    from: Date,
    until: Date,
    limit: number,
  ): Promise<{ id: string; userId: string; riskLevel: string; validUntil: Date }[]> {
    return this.repo.expiringLatestAssessments(from, until, limit);
  }

  /** CN-SUIT-03: a professional asks to be treated as ordinary (and gets the protection back). */
  optDown(userId: string): Promise<ProfileView> {
    return this.transactions
      .run(async (tx) => {
        const profile = await this.repo.findProfile(userId, tx);
        if (profile?.category !== 'PROFESSIONAL') throw new NotProfessionalError();
        const now = this.clock.now();
        await this.repo.saveProfile({ ...profile, category: 'ORDINARY', updatedAt: now }, tx);
        await this.audit.append(
          {
            occurredAt: now,
            actorId: userId,
            action: 'classification.opted_down',
            subjectType: 'user',
            subjectId: userId,
            details: { rules: ['CN-SUIT-03'] },
          },
          tx,
        );
      })
      .then(() => this.profile(userId));
  }

  async profile(userId: string): Promise<ProfileView> {
    const now = this.clock.now();
    const [assessment, profile, financials] = await Promise.all([
      this.repo.latestAssessment(userId),
      this.repo.findProfile(userId),
      this.repo.findFinancials(userId),
    ]);
    const category = profile?.category ?? 'ORDINARY';
    const qualified = qualifiedAt(profile?.qualifiedUntil ?? null, now);
    const currency = this.pack.currency;
    const limit = annualLimit(
      this.pack,
      {
        category,
        qualified,
        ...this.declaredFigures(financials),
      },
      'PUBLIC',
    );
    const used = await this.commitments.committedSince(
      userId,
      new Date(now.getTime() - this.pack.parameters.limitWindowDays * DAY_MS), // INV-9
      currency,
    );
    const left = remaining(limit, used);
    return {
      category,
      assessment: assessment
        ? {
            ...toAssessmentView(assessment),
            status: assessment.validUntil > now ? 'VALID' : 'EXPIRED',
          }
        : null,
      qualified,
      qualifiedUntil: profile?.qualifiedUntil?.toISOString() ?? null,
      financials: financials ? toFinancialsView(financials) : null,
      limits: {
        rulePack: this.pack.effectiveId,
        annualLimit: limit.kind === 'LIMITED' ? limit.amount.toString() : limit.kind,
        usedLast12Months: used.toString(),
        remaining: left === 'UNLIMITED' ? 'UNLIMITED' : left.toString(),
        currency,
      },
    };
  }

  /**
   * What the pledge path needs to know about an investor for one product (PLAT-09, CN-SUIT-09..12,
   * CN-ECF-03, the limit pack): financial products need a valid assessment; reward and donation
   * campaigns are not financial products and skip suitability. The rolling-12-month usage is the
   * caller's, computed under its own lock (INV-9).
   */
  async pledgeStanding(userId: string, product: StandingProduct): Promise<PledgeStanding> {
    return this.decideStanding(await this.standingInputs(userId), product);
  }

  /** One read of everything `decideStanding` needs, so a caller can fetch it beside its own reads. */
  standingInputs(userId: string): Promise<StandingInputs> {
    return this.repo.standingInputs(userId);
  }

  /** CN-ECF-03: qualified status in force now, from inputs already read. */
  qualifiedNow(inputs: StandingInputs): boolean {
    return qualifiedAt(inputs.qualifiedUntil, this.clock.now());
  }

  /** The decision itself, from inputs already read: CLASSIFICATION.ASSESSMENT_* when invalid. */
  decideStanding(inputs: StandingInputs, product: StandingProduct): PledgeStanding {
    const now = this.clock.now();
    const category = inputs.category ?? 'ORDINARY';
    const qualified = qualifiedAt(inputs.qualifiedUntil, now);
    if (!product.financial) {
      return {
        suitability: 'NOT_APPLICABLE',
        category,
        qualified,
        riskLevel: null,
        lowestCategory: false,
        limit: { kind: 'UNLIMITED' },
        rulePack: this.pack.effectiveId,
      };
    }
    const assessment = validAssessment(inputs.assessment, now);
    const figures = this.declaredFigures(inputs.financials);
    const offering = product.offering ?? 'PUBLIC';
    const limit = annualLimit(this.pack, { category, qualified, ...figures }, offering);
    return {
      suitability: decideSuitability(
        { category, riskLevel: assessment.riskLevel, lowestCategory: assessment.lowestCategory },
        product.productRisk ?? 'R5',
      ),
      category,
      qualified,
      riskLevel: assessment.riskLevel,
      lowestCategory: assessment.lowestCategory,
      limit,
      limitInputs: {
        formula: this.pack.limitModel,
        offering,
        annualIncome: figures.annualIncome.toString(),
        financialAssets: figures.financialAssets.toString(),
        netWorth: figures.netWorth.toString(),
        declared: inputs.financials !== null,
      },
      rulePack: this.pack.effectiveId,
      assessmentId: assessment.id,
    };
  }

  /** CN-ECF-03: a qualified status that has not expired (PRIVATE offerings are only for them). */
  async isQualified(userId: string): Promise<boolean> {
    const profile = await this.repo.findProfile(userId);
    return qualifiedAt(profile?.qualifiedUntil ?? null, this.clock.now());
  }

  /** For the pledge path: a valid assessment or CLASSIFICATION.ASSESSMENT_REQUIRED / _EXPIRED. */
  async requireValidAssessment(userId: string): Promise<InvestorAssessmentEntity> {
    return validAssessment(await this.repo.latestAssessment(userId), this.clock.now());
  }

  private async current() {
    const q = await this.repo.activeQuestionnaire();
    if (!q) throw new NotFoundError('Risk questionnaire');
    return q;
  }

  /** The declared figures the limit formulas use (zero when nothing was declared). */
  private declaredFigures(
    f: Pick<InvestorFinancialsEntity, 'annualIncome' | 'financialAssets' | 'netWorth'> | null,
  ) {
    const zero = Money.zero(this.pack.currency);
    return {
      annualIncome: f ? this.money(f.annualIncome) : zero,
      financialAssets: f ? this.money(f.financialAssets) : zero,
      netWorth: f ? this.money(f.netWorth) : zero,
    };
  }

  private money(text: string): Money {
    return Money.fromDecimalString(text, this.pack.currency);
  }
}

/** CN-ECF-03: qualified status is in force until it expires. */
export function qualifiedAt(qualifiedUntil: Date | null, now: Date): boolean {
  return qualifiedUntil !== null && qualifiedUntil > now;
}

/** PLAT-09: CLASSIFICATION.ASSESSMENT_REQUIRED without one, _EXPIRED once past its validity. */
function validAssessment<A extends { validUntil: Date }>(assessment: A | null, now: Date): A {
  if (!assessment) throw new AssessmentRequiredError();
  if (assessment.validUntil <= now) throw new AssessmentExpiredError(assessment.validUntil);
  return assessment;
}
