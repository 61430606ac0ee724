import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { MAILER, type Mailer } from '../../common/mail/mailer.port.js';
import { notificationsConfig, type NotificationsConfig } from '../../config/namespaces.js';
import { UserDirectory } from '../identity/index.js';
import { CampaignTitles } from './campaign-titles.js';
import { afterFailure, describeFailure } from './delivery-policy.js';
import { DEFAULT_LOCALE, type Locale } from './notice-format.js';
import { renderNotice } from './notice-texts.js';
import { type ClaimedEmail, NotificationsRepository } from './notifications.repository.js';
import { inParallel } from './parallel.js';

export interface DispatchReport {
  sent: number;
  retrying: number;
  failed: number;
  skipped: number;
}

/** SMTP transports are shared; a few sends at once is plenty and keeps within the lease. */
const SEND_CONCURRENCY = 4;
/** Most batches one run drains, so a run ends even while notices keep arriving. */
const MAX_BATCHES_PER_RUN = 20;

/**
 * Drains the e-mail side of the outbox (issue 13). Safe with several instances: rows are claimed
 * with FOR UPDATE SKIP LOCKED under a lease, so no two dispatchers send the same row at once, and
 * each claim is renewed just before its send, so a row that outwaited its lease in one
 * dispatcher's batch and was taken by another is not sent by both (issue 19).
 *
 * Delivery is at least once. SMTP has no idempotency: if a dispatcher dies after the server
 * accepted a message but before the row is marked SENT, the lease runs out and the message is
 * sent again. Both copies carry the same Message-ID (<notification id@zhongchou.notifications>),
 * so mail systems and readers can tell them apart as one message. Every other failure (the
 * server refused, the connection dropped before it accepted) is retried with exponential backoff
 * and given up after NOTIFICATION_MAX_ATTEMPTS tries (FAILED, listed for ADMIN).
 */
@Injectable()
export class EmailDispatcher {
  constructor(
    private readonly repo: NotificationsRepository,
    private readonly users: UserDirectory,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(notificationsConfig.KEY) private readonly config: NotificationsConfig,
    private readonly clock: Clock,
    private readonly titles: CampaignTitles,
  ) {}

  async runOnce(): Promise<DispatchReport> {
    const report: DispatchReport = { sent: 0, retrying: 0, failed: 0, skipped: 0 };
    report.failed += await this.repo.failAbandonedLastTries(
      this.clock.now(),
      this.config.maxAttempts,
    );
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
      const claimed = await this.titles.fill(
        await this.repo.claimDueEmails(
          this.clock.now(),
          this.config.batchSize,
          this.config.leaseSeconds,
          this.config.maxAttempts,
        ),
      );
      if (claimed.length === 0) break;
      const recipients = new Map(
        (await this.users.noticeRecipients([...new Set(claimed.map((c) => c.recipientId))])).map(
          (u) => [u.id, { email: u.email, locale: u.locale ?? DEFAULT_LOCALE }],
        ),
      );
      await inParallel(claimed, SEND_CONCURRENCY, async (row) => {
        const outcome = await this.deliver(row, recipients.get(row.recipientId));
        report[outcome]++;
      });
      if (claimed.length < this.config.batchSize) break;
    }
    return report;
  }

  private async deliver(
    row: ClaimedEmail,
    recipient: { email: string; locale: Locale } | undefined,
  ): Promise<keyof DispatchReport> {
    if (!recipient) {
      await this.repo.settleEmail(row.id, row.emailAttempts, {
        status: 'SKIPPED',
        error: 'the recipient has no account',
      });
      return 'skipped';
    }
    // A batch is sent a few at a time; a row that waited longer than the lease may have been
    // claimed by another dispatcher meanwhile. Renewing the claim first leaves it to that one.
    if (
      !(await this.repo.renewEmailClaim(
        row.id,
        row.emailAttempts,
        this.clock.now(),
        this.config.leaseSeconds,
      ))
    )
      return 'retrying';
    const text = renderNotice(row.type, row.params, recipient.locale);
    try {
      await this.mailer.send({
        to: recipient.email,
        subject: text.title,
        text: `${text.body}\n\n${FOOTER[recipient.locale]}`,
        headers: {
          'Message-ID': `<${row.id}@zhongchou.notifications>`,
          'X-Zhongchou-Notification-Id': row.id,
          'X-Zhongchou-Notice-Type': row.type,
        },
      });
    } catch (error) {
      const next = afterFailure(row.emailAttempts, this.config, this.clock.now());
      const failure = describeFailure(error);
      await this.repo.settleEmail(
        row.id,
        row.emailAttempts,
        next.giveUp
          ? { status: 'FAILED', error: failure }
          : { status: 'PENDING', nextAttemptAt: next.nextAttemptAt, error: failure },
      );
      return next.giveUp ? 'failed' : 'retrying';
    }
    // Outside the try: if this fails (the database went away), the message WAS sent; the lease
    // runs out and it is sent once more under the same Message-ID (see the class comment).
    await this.repo.settleEmail(row.id, row.emailAttempts, {
      status: 'SENT',
      at: this.clock.now(),
    });
    return 'sent';
  }
}

const FOOTER: Record<Locale, string> = {
  'zh-CN': '此邮件由众筹平台自动发送，请勿直接回复。您可在平台的通知中心查看全部通知。',
  en: 'This message was sent automatically by the zhongchou platform; please do not reply. All your notices are in the inbox on the platform.',
};
