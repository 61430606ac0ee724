import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import {
  notificationsConfig,
  type NotificationsConfig,
  piiConfig,
  type PiiConfig,
} from '../../config/namespaces.js';
import { afterFailure, describeFailure } from './delivery-policy.js';
import type { DispatchReport } from './email-dispatcher.service.js';
import { inParallel } from './parallel.js';
import { WebhookSecretBox } from './webhook-secrets.js';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signature.js';
import { type ClaimedDelivery, WebhooksRepository } from './webhooks.repository.js';

/** The JSON a founder's endpoint receives (docs/notifications.md). */
export interface WebhookEvent {
  /** The notice's id: the same event retried has the same id (receivers dedupe on it). */
  id: string;
  type: string;
  createdAt: string;
  campaignId: string | null;
  data: Record<string, unknown>;
}

const MAX_BATCHES_PER_RUN = 20;

/**
 * Posts founders' webhook deliveries (issue 13), signed (webhook-signature.ts), with the e-mail
 * dispatcher's claim, lease, backoff and give-up rules. A 2xx answer is delivered; anything else,
 * a redirect included (never followed), a timeout or a network error is a failed try.
 */
@Injectable()
export class WebhookDispatcher {
  private readonly secrets: WebhookSecretBox;

  constructor(
    private readonly repo: WebhooksRepository,
    @Inject(notificationsConfig.KEY) private readonly config: NotificationsConfig,
    @Inject(piiConfig.KEY) pii: PiiConfig,
    private readonly clock: Clock,
  ) {
    this.secrets = new WebhookSecretBox(pii.encryptionKey);
  }

  async runOnce(): Promise<DispatchReport> {
    const report: DispatchReport = { sent: 0, retrying: 0, failed: 0, skipped: 0 };
    report.failed += await this.repo.failAbandonedLastTries(
      this.clock.now(),
      this.config.maxAttempts,
    );
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
      const claimed = await this.repo.claimDue(
        this.clock.now(),
        this.config.batchSize,
        this.config.leaseSeconds,
        this.config.maxAttempts,
      );
      if (claimed.length === 0) break;
      // Each endpoint answers on its own time; the timeout bounds every post within the lease.
      await inParallel(claimed, claimed.length, async (delivery) => {
        report[await this.deliver(delivery)]++;
      });
      if (claimed.length < this.config.batchSize) break;
    }
    return report;
  }

  private async deliver(delivery: ClaimedDelivery): Promise<keyof DispatchReport> {
    const event: WebhookEvent = {
      id: delivery.notificationId,
      type: delivery.type,
      createdAt: delivery.createdAt.toISOString(),
      campaignId: delivery.campaignId,
      data: delivery.params,
    };
    const body = JSON.stringify(event);
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    let statusCode: number | null = null;
    let error: string;
    try {
      const secret = this.secrets.open(delivery.secretEncrypted);
      const response = await fetch(delivery.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.webhookTimeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'zhongchou-webhooks/1',
          'x-zhongchou-event-id': event.id,
          'x-zhongchou-delivery-id': delivery.id,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
        },
        body,
      });
      statusCode = response.status;
      await response.body?.cancel().catch(() => undefined);
      if (statusCode >= 200 && statusCode < 300) {
        await this.repo.settle(delivery.id, delivery.attempts, {
          status: 'DELIVERED',
          at: this.clock.now(),
          statusCode,
          error: null,
        });
        return 'sent';
      }
      error = `HTTP ${statusCode}`;
    } catch (failure) {
      error = describeFailure(failure);
    }
    const now = this.clock.now();
    const next = afterFailure(delivery.attempts, this.config, now);
    await this.repo.settle(delivery.id, delivery.attempts, {
      status: next.giveUp ? 'FAILED' : 'PENDING',
      at: now,
      statusCode,
      error,
      nextAttemptAt: next.giveUp ? undefined : next.nextAttemptAt,
    });
    return next.giveUp ? 'failed' : 'retrying';
  }
}
