import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import type { AppConfig } from '../../config/app-config.js';
import { appConfig, piiConfig, type PiiConfig } from '../../config/namespaces.js';
import type { WebhookEndpointEntity } from './notifications.entities.js';
import { WebhookLimitReachedError, WebhookUrlRejectedError } from './notifications.errors.js';
import { WebhookSecretBox } from './webhook-secrets.js';
import { webhookUrlProblem } from './webhook-url.js';
import { MAX_ENDPOINTS_PER_FOUNDER, WebhooksRepository } from './webhooks.repository.js';

export interface WebhookEndpointView {
  id: string;
  url: string;
  createdAt: string;
  disabledAt: string | null;
}

export interface RegisteredWebhookView extends WebhookEndpointView {
  /** Shown once, here: the founder verifies signatures with it. */
  secret: string;
}

export interface WebhookDeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/** A founder's webhook endpoints (issue 13). */
@Injectable()
export class WebhooksService {
  private readonly secrets: WebhookSecretBox;

  constructor(
    private readonly repo: WebhooksRepository,
    private readonly clock: Clock,
    @Inject(appConfig.KEY) private readonly app: AppConfig['app'],
    @Inject(piiConfig.KEY) pii: PiiConfig,
  ) {
    this.secrets = new WebhookSecretBox(pii.encryptionKey);
  }

  async register(founderId: string, url: string): Promise<RegisteredWebhookView> {
    const problem = webhookUrlProblem(url, this.app.env === 'production');
    if (problem) throw new WebhookUrlRejectedError(problem);
    const secret = WebhookSecretBox.newSecret();
    const endpoint: WebhookEndpointEntity = {
      id: randomUUID(),
      founderId,
      url,
      secretEncrypted: this.secrets.seal(secret),
      createdAt: this.clock.now(),
      disabledAt: null,
    };
    if (!(await this.repo.insertEndpoint(endpoint)))
      throw new WebhookLimitReachedError(MAX_ENDPOINTS_PER_FOUNDER);
    return { ...toEndpointView(endpoint), secret };
  }

  async list(founderId: string): Promise<WebhookEndpointView[]> {
    return (await this.repo.liveEndpoints(founderId)).map(toEndpointView);
  }

  async remove(founderId: string, id: string): Promise<WebhookEndpointView> {
    await this.repo.disableEndpoint(founderId, id, this.clock.now());
    const endpoint = await this.repo.findOwnEndpoint(founderId, id);
    if (!endpoint) throw new NotFoundError('Webhook endpoint');
    return toEndpointView(endpoint);
  }

  /** Newest first, in cursor pages (issue 16); another founder's endpoint is not found. */
  async deliveries(
    founderId: string,
    id: string,
    page: { cursor?: string; limit: number },
  ): Promise<Page<WebhookDeliveryView>> {
    if (!(await this.repo.findOwnEndpoint(founderId, id)))
      throw new NotFoundError('Webhook endpoint');
    const { items: rows, nextCursor } = await this.repo.deliveries(id, page);
    const types = await this.repo.eventTypes(rows.map((r) => r.notificationId));
    const items = rows.map((d) => ({
      id: d.id,
      eventId: d.notificationId,
      eventType: types.get(d.notificationId) ?? 'unknown',
      status: d.status,
      attempts: d.attempts,
      lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      nextAttemptAt: d.status === 'PENDING' ? d.nextAttemptAt.toISOString() : null,
      deliveredAt: d.deliveredAt?.toISOString() ?? null,
      createdAt: d.createdAt.toISOString(),
    }));
    return { items, nextCursor };
  }
}

function toEndpointView(e: WebhookEndpointEntity): WebhookEndpointView {
  return {
    id: e.id,
    url: e.url,
    createdAt: e.createdAt.toISOString(),
    disabledAt: e.disabledAt?.toISOString() ?? null,
  };
}
