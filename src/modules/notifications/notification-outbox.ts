import { randomUUID } from 'node:crypto';
import { Injectable, Logger, Module } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import type { Notice, NoticeSink } from '../../common/notices/notices.port.js';
import type { Tx } from '../../database/transaction.js';
import { screenNoticeParams } from './notice-params.js';
import {
  type NewNotification,
  notificationRowsJson,
  NotificationsRepository,
} from './notifications.repository.js';

/**
 * The NOTICES port, filled (issue 13): notices are rows written in the caller's transaction, so a
 * notice exists exactly when the change it reports committed. The row is the inbox item and
 * drives the e-mail and webhook deliveries; `dedupeKey` makes a notice once-only per recipient.
 */
@Injectable()
export class NotificationOutbox implements NoticeSink {
  private readonly logger = new Logger('Notifications');

  constructor(
    private readonly repo: NotificationsRepository,
    private readonly clock: Clock,
  ) {}

  async record(notices: readonly Notice[], tx: Tx): Promise<void> {
    if (notices.length === 0) return;
    await this.repo.insert(this.rows(notices), this.clock.now(), tx);
  }

  encode(notices: readonly Notice[]): string {
    return notificationRowsJson(this.rows(notices));
  }

  private rows(notices: readonly Notice[]): NewNotification[] {
    return notices.map((notice) => {
      const { params, dropped } = screenNoticeParams(notice.params);
      // Names only: the values are what must never be stored or logged.
      if (dropped.length > 0)
        this.logger.warn({ type: notice.type, dropped }, 'notice parameters left out (secrets)');
      return {
        id: randomUUID(),
        recipientId: notice.recipientId,
        type: notice.type,
        params,
        campaignId: notice.campaignId ?? null,
        dedupeKey: notice.dedupeKey ?? null,
      };
    });
  }
}

/** The outbox alone, so the ports module can fill NOTICES without the rest of notifications. */
@Module({
  providers: [NotificationsRepository, NotificationOutbox],
  exports: [NotificationsRepository, NotificationOutbox],
})
export class NotificationOutboxModule {}
