import { Injectable } from '@nestjs/common';
import { NotificationsRepository } from './notifications.repository.js';
import { WebhooksRepository } from './webhooks.repository.js';

export interface FailedDeliveryView {
  channel: 'EMAIL' | 'WEBHOOK';
  /** The notification (EMAIL) or the webhook delivery (WEBHOOK). */
  id: string;
  notificationId: string;
  type: string;
  /** The notice's recipient, or the founder who owns the endpoint. */
  userId: string;
  endpointId: string | null;
  attempts: number;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
}

/** Deliveries given up after the last try (issue 13), for ADMIN to follow up. */
@Injectable()
export class FailedDeliveriesService {
  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly webhooks: WebhooksRepository,
  ) {}

  async list(limit: number): Promise<FailedDeliveryView[]> {
    const [emails, deliveries] = await Promise.all([
      this.notifications.failedEmails(limit),
      this.webhooks.failed(limit),
    ]);
    const views: FailedDeliveryView[] = [
      ...emails.map((e) => ({
        channel: 'EMAIL' as const,
        id: e.id,
        notificationId: e.id,
        type: e.type,
        userId: e.recipientId,
        endpointId: null,
        attempts: e.emailAttempts,
        lastAttemptAt: e.emailLastAttemptAt?.toISOString() ?? null,
        lastStatusCode: null,
        lastError: e.emailLastError,
      })),
      ...deliveries.map((d) => ({
        channel: 'WEBHOOK' as const,
        id: d.id,
        notificationId: d.notificationId,
        type: d.type,
        userId: d.founderId,
        endpointId: d.endpointId,
        attempts: d.attempts,
        lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
        lastStatusCode: d.lastStatusCode,
        lastError: d.lastError,
      })),
    ];
    return views
      .sort((a, b) => (b.lastAttemptAt ?? '').localeCompare(a.lastAttemptAt ?? ''))
      .slice(0, limit);
  }
}
