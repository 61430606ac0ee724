import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { AuthUser } from '../../../common/auth/auth.decorators.js';
import { Clock } from '../../../common/clock/clock.js';
import { CursorCodec } from '../../../common/pagination/cursor-codec.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
} from '../../../common/errors/domain-error.js';
import { mediaConfig, type MediaConfig } from '../../../config/namespaces.js';
import { TransactionRunner } from '../../../database/transaction.js';
import { AuditService } from '../../audit/index.js';
import { CAMPAIGN_BACKERS, type CampaignBackers } from '../campaign-backers.port.js';
import { CampaignRepository } from '../campaign.repository.js';
import { CampaignService } from '../campaign.service.js';
import { InvalidCampaignStateError, PUBLISHED } from '../campaign.state.js';
import type { CampaignQuestionEntity } from '../page/campaign-page.entities.js';
import { CampaignQuestionsRepository } from './campaign-questions.repository.js';

export interface QuestionView {
  id: string;
  campaignId: string;
  askerId: string;
  body: string;
  createdAt: string;
  answer: string | null;
  answeredAt: string | null;
  /** Staff only see hidden questions; for them this says so (null otherwise). */
  hiddenAt: string | null;
  hiddenReason: string | null;
}

export interface QuestionPage {
  items: QuestionView[];
  pageSize: number;
  nextCursor: string | null;
}

const STAFF = new Set(['ADMIN', 'FINANCE']);
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Questions and answers on a campaign (issue 16): a backer asks (rate limited per user), the
 * founder answers once and in public, ADMIN hides what breaks the rules (audited). Hidden
 * questions, and their answers, disappear for everyone but staff.
 */
@Injectable()
export class CampaignQuestionsService {
  private readonly askLimiter: RateLimiterMemory;

  constructor(
    private readonly campaignService: CampaignService,
    private readonly campaigns: CampaignRepository,
    private readonly questions: CampaignQuestionsRepository,
    @Inject(CAMPAIGN_BACKERS) private readonly backers: CampaignBackers,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly cursors: CursorCodec,
    @Inject(mediaConfig.KEY) config: MediaConfig,
  ) {
    this.askLimiter = new RateLimiterMemory({ points: config.questionsPerHour, duration: 3600 });
  }

  async ask(viewer: AuthUser, campaignId: string, body: string): Promise<QuestionView> {
    const campaign = await this.campaignService.visible(viewer, campaignId);
    if (!PUBLISHED.includes(campaign.status))
      throw new InvalidCampaignStateError(campaign.status, 'asked about');
    try {
      await this.askLimiter.consume(viewer.id);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes)
        throw new RateLimitedError(Math.ceil(rejection.msBeforeNext / 1000));
      throw rejection;
    }
    return this.transactions.run(async (tx) => {
      if (!(await this.backers.backers(campaignId, tx)).includes(viewer.id))
        throw new ForbiddenError(
          'Only a backer of this campaign may ask a question.',
          'QUESTION.BACKERS_ONLY',
        );
      const question: CampaignQuestionEntity = {
        id: randomUUID(),
        campaignId,
        askerId: viewer.id,
        body,
        createdAt: this.clock.now(),
        answer: null,
        answeredBy: null,
        answeredAt: null,
        hiddenAt: null,
        hiddenBy: null,
        hiddenReason: null,
      };
      await this.questions.insert(question, tx);
      return toQuestionView(question, false);
    });
  }

  async list(
    viewer: AuthUser | null,
    campaignId: string,
    query: { cursor?: string; pageSize: number },
  ): Promise<QuestionPage> {
    await this.campaignService.visible(viewer, campaignId);
    const staff = viewer !== null && STAFF.has(viewer.role);
    const after = query.cursor
      ? this.cursors.decode(query.cursor, 'questions', TIMESTAMP)
      : undefined;
    const rows = await this.questions.page(campaignId, {
      includeHidden: staff,
      after: after && { createdAt: after.key, id: after.id },
      limit: query.pageSize + 1,
    });
    const items = rows.slice(0, query.pageSize);
    const last = items.at(-1);
    return {
      items: items.map((q) => toQuestionView(q, staff)),
      pageSize: query.pageSize,
      nextCursor:
        rows.length > query.pageSize && last
          ? this.cursors.encode({
              sort: 'questions',
              key: last.createdAt.toISOString(),
              id: last.id,
            })
          : null,
    };
  }

  async answer(founderId: string, questionId: string, answer: string): Promise<QuestionView> {
    return this.transactions.run(async (tx) => {
      const question = await this.questions.lock(questionId, tx);
      const campaign = question ? await this.campaigns.find(question.campaignId, tx) : null;
      if (!question || !campaign || campaign.founderId !== founderId || question.hiddenAt)
        throw new NotFoundError('Question');
      if (question.answer !== null)
        throw new ConflictError(
          'QUESTION.ALREADY_ANSWERED',
          'This question has its answer; answers are public and not rewritten.',
        );
      Object.assign(question, { answer, answeredBy: founderId, answeredAt: this.clock.now() });
      await this.questions.save(question, tx);
      return toQuestionView(question, false);
    });
  }

  /** ADMIN moderation: hides the question and its answer from everyone but staff (audited). */
  async hide(adminId: string, questionId: string, reason: string): Promise<QuestionView> {
    return this.transactions.run(async (tx) => {
      const question = await this.questions.lock(questionId, tx);
      if (!question) throw new NotFoundError('Question');
      if (question.hiddenAt === null) {
        const now = this.clock.now();
        Object.assign(question, { hiddenAt: now, hiddenBy: adminId, hiddenReason: reason });
        await this.questions.save(question, tx);
        await this.audit.append(
          {
            occurredAt: now,
            actorId: adminId,
            action: 'campaign.question_hidden',
            subjectType: 'campaign_question',
            subjectId: question.id,
            details: { campaignId: question.campaignId, reason },
          },
          tx,
        );
      }
      return toQuestionView(question, true);
    });
  }
}

function toQuestionView(q: CampaignQuestionEntity, staff: boolean): QuestionView {
  return {
    id: q.id,
    campaignId: q.campaignId,
    askerId: q.askerId,
    body: q.body,
    createdAt: q.createdAt.toISOString(),
    answer: q.answer,
    answeredAt: q.answeredAt?.toISOString() ?? null,
    hiddenAt: staff ? (q.hiddenAt?.toISOString() ?? null) : null,
    hiddenReason: staff ? q.hiddenReason : null,
  };
}
