import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { notificationsConfig, type NotificationsConfig } from '../../config/namespaces.js';
import { TransactionRunner } from '../../database/transaction.js';
import { ClassificationService } from '../investor-classification/classification.service.js';
import { type DispatchReport, EmailDispatcher } from './email-dispatcher.service.js';
import { NotificationOutbox } from './notification-outbox.js';
import { WebhookDispatcher } from './webhook-dispatcher.service.js';

const DAY_MS = 86_400_000;
const EXPIRY_BATCH = 1000;
/** The background scheduler looks for expiring assessments this often (the CLI: every run). */
const EXPIRY_SWEEP_EVERY_MS = 10 * 60_000;

export interface NotificationJobsReport {
  assessmentsExpiring: number;
  email: DispatchReport;
  webhooks: DispatchReport;
}

/**
 * The notification work that time drives (issue 13), run by the interval scheduler and by the
 * CLI's `jobs:run`: the assessment-expiring sweep, then the e-mail and webhook dispatchers.
 */
@Injectable()
export class NotificationJobs {
  constructor(
    private readonly classification: ClassificationService,
    private readonly outbox: NotificationOutbox,
    private readonly email: EmailDispatcher,
    private readonly webhooks: WebhookDispatcher,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(notificationsConfig.KEY) private readonly config: NotificationsConfig,
  ) {}

  private lastExpirySweep = -Infinity;

  /** `everything: false` (the scheduler) skips the expiry sweep if it ran a short while ago. */
  async runOnce(everything = true): Promise<NotificationJobsReport> {
    let assessmentsExpiring = 0;
    if (everything || performance.now() - this.lastExpirySweep >= EXPIRY_SWEEP_EVERY_MS) {
      assessmentsExpiring = await this.noticeExpiringAssessments();
      this.lastExpirySweep = performance.now();
    }
    const [email, webhooks] = await Promise.all([this.email.runOnce(), this.webhooks.runOnce()]);
    return { assessmentsExpiring, email, webhooks };
  }

  /**
   * CN-SUIT-18: an investor whose assessment expires within ASSESSMENT_EXPIRY_NOTICE_DAYS is told
   * once per assessment (the dedupe key), however often the sweep runs and on however many
   * instances. Returns the assessments looked at (already-told ones are skipped by the key).
   */
  async noticeExpiringAssessments(): Promise<number> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + this.config.assessmentExpiryNoticeDays * DAY_MS);
    const expiring = await this.classification.expiringAssessments(now, until, EXPIRY_BATCH);
    if (expiring.length === 0) return 0;
    await this.transactions.run((tx) =>
      this.outbox.record(
        expiring.map((a) => ({
          recipientId: a.userId,
          type: 'assessment.expiring' as const,
          params: { riskLevel: a.riskLevel, validUntil: a.validUntil.toISOString() },
          dedupeKey: `assessment.expiring:${a.id}`,
        })),
        tx,
      ),
    );
    return expiring.length;
  }
}
