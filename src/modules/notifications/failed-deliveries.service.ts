import { Injectable } from '@nestjs/common';
import type { Page } from '../../common/pagination/cursor-codec.js';
import type { PageRequest } from '../../database/keyset-page.js';
import { FailedDeliveriesRepository } from './failed-deliveries.repository.js';

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

/** Deliveries given up after the last try (issue 13), for ADMIN to follow up; cursor pages. */
@Injectable()
export class FailedDeliveriesService {
  constructor(private readonly failed: FailedDeliveriesRepository) {}

  list(page: PageRequest): Promise<Page<FailedDeliveryView>> {
    return this.failed.page(page);
  }
}
