import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { NoticeParams } from '../../common/notices/notices.port.js';
import { CursorCodec, type Page } from '../../common/pagination/cursor-codec.js';
import { type Keyset, keysetPage } from '../../database/keyset-page.js';
import { returnedRows } from '../../database/transaction.js';
import {
  type DeliveryStatus,
  WebhookDeliveryEntity,
  WebhookEndpointEntity,
} from './notifications.entities.js';

const DELIVERIES: Keyset = {
  list: 'webhook-deliveries',
  key: 'd.created_at',
  keyKind: 'timestamptz',
  id: 'd.id',
  idKind: 'uuid',
  direction: 'DESC',
};

export interface ClaimedDelivery {
  id: string;
  attempts: number;
  endpointId: string;
  url: string;
  secretEncrypted: string;
  notificationId: string;
  type: string;
  params: NoticeParams;
  campaignId: string | null;
  createdAt: Date;
}

export const MAX_ENDPOINTS_PER_FOUNDER = 5;

/** Founders' webhook endpoints and their deliveries (issue 13). */
@Injectable()
export class WebhooksRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: CursorCodec,
  ) {}

  /**
   * Inserts the endpoint unless the founder already has the maximum of live ones; the founder's
   * endpoints are counted under an advisory lock on the founder so two registrations cannot both
   * squeeze past the limit.
   */
  insertEndpoint(endpoint: WebhookEndpointEntity): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('webhook_endpoints:' || $1))`, [
        endpoint.founderId,
      ]);
      const rows: { count: string }[] = await tx.query(
        `SELECT count(*)::text AS count FROM webhook_endpoints WHERE founder_id = $1 AND disabled_at IS NULL`,
        [endpoint.founderId],
      );
      if (Number(rows[0].count) >= MAX_ENDPOINTS_PER_FOUNDER) return false;
      await tx.insert(WebhookEndpointEntity, endpoint);
      return true;
    });
  }

  liveEndpoints(founderId: string): Promise<WebhookEndpointEntity[]> {
    return this.dataSource.manager
      .createQueryBuilder(WebhookEndpointEntity, 'e')
      .where('e.founderId = :founderId', { founderId })
      .andWhere('e.disabledAt IS NULL')
      .orderBy('e.createdAt', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .getMany();
  }

  /** The founder's endpoint, removed or not (its deliveries stay visible). */
  findOwnEndpoint(founderId: string, id: string): Promise<WebhookEndpointEntity | null> {
    return this.dataSource.manager.findOne(WebhookEndpointEntity, { where: { id, founderId } });
  }

  /** Removes the endpoint: no new deliveries; pending ones are given up. */
  async disableEndpoint(founderId: string, id: string, now: Date): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      const rows = returnedRows<{ id: string }>(
        await tx.query(
          `UPDATE webhook_endpoints SET disabled_at = $3
            WHERE id = $1 AND founder_id = $2 AND disabled_at IS NULL RETURNING id`,
          [id, founderId, now],
        ),
      );
      if (rows.length === 0) return false;
      await tx.query(
        `UPDATE webhook_deliveries SET status = 'FAILED', last_error = 'endpoint removed'
          WHERE endpoint_id = $1 AND status = 'PENDING'`,
        [id],
      );
      return true;
    });
  }

  /** Newest first. */
  /** Newest first, in cursor pages (index webhook_deliveries_endpoint_idx). */
  deliveries(
    endpointId: string,
    page: { cursor?: string; limit: number },
  ): Promise<Page<WebhookDeliveryEntity>> {
    const qb = this.dataSource.manager
      .createQueryBuilder(WebhookDeliveryEntity, 'd')
      .where('d.endpointId = :endpointId', { endpointId });
    return keysetPage(this.cursors, qb, DELIVERIES, page, (d) => d);
  }

  /** The delivery's event type, for the founder's list. */
  async eventTypes(notificationIds: string[]): Promise<Map<string, string>> {
    const rows: { id: string; type: string }[] = await this.dataSource.query(
      `SELECT id, type FROM notifications WHERE id = ANY($1::uuid[])`,
      [notificationIds],
    );
    return new Map(rows.map((r) => [r.id, r.type]));
  }

  /** As the e-mail claim: SKIP LOCKED, a lease, the try counted at the claim. */
  async claimDue(
    now: Date,
    limit: number,
    leaseSeconds: number,
    maxAttempts: number,
  ): Promise<ClaimedDelivery[]> {
    return this.dataSource.query(
      `WITH claimed AS (
         UPDATE webhook_deliveries d
            SET attempts = d.attempts + 1, last_attempt_at = $1,
                next_attempt_at = $1::timestamptz + make_interval(secs => $3)
           FROM (SELECT id FROM webhook_deliveries
                  WHERE status = 'PENDING' AND next_attempt_at <= $1 AND attempts < $4
                  ORDER BY next_attempt_at LIMIT $2
                  FOR UPDATE SKIP LOCKED) due
          WHERE d.id = due.id
         RETURNING d.id, d.attempts, d.endpoint_id, d.notification_id)
       SELECT c.id, c.attempts, c.endpoint_id AS "endpointId", e.url, e.secret_encrypted AS "secretEncrypted",
              c.notification_id AS "notificationId", n.type, n.params, n.campaign_id AS "campaignId",
              n.created_at AS "createdAt"
         FROM claimed c JOIN webhook_endpoints e ON e.id = c.endpoint_id
         JOIN notifications n ON n.id = c.notification_id`,
      [now, limit, leaseSeconds, maxAttempts],
    );
  }

  async failAbandonedLastTries(now: Date, maxAttempts: number): Promise<number> {
    const rows = returnedRows<{ id: string }>(
      await this.dataSource.query(
        `UPDATE webhook_deliveries SET status = 'FAILED',
                last_error = coalesce(last_error, 'no answer from the last try (dispatcher stopped)')
          WHERE status = 'PENDING' AND attempts >= $2 AND next_attempt_at <= $1 RETURNING id`,
        [now, maxAttempts],
      ),
    );
    return rows.length;
  }

  /** Settles a claimed try, fenced by the attempt number (see NotificationsRepository.settleEmail). */
  async settle(
    id: string,
    attempt: number,
    outcome: {
      status: DeliveryStatus;
      at: Date;
      statusCode: number | null;
      error: string | null;
      nextAttemptAt?: Date;
    },
  ): Promise<boolean> {
    const rows = returnedRows<{ id: string }>(
      await this.dataSource.query(
        `UPDATE webhook_deliveries
            SET status = $3, delivered_at = $4, last_status_code = $5, last_error = $6,
                next_attempt_at = coalesce($7, next_attempt_at)
          WHERE id = $1 AND attempts = $2 AND status = 'PENDING' RETURNING id`,
        [
          id,
          attempt,
          outcome.status,
          outcome.status === 'DELIVERED' ? outcome.at : null,
          outcome.statusCode,
          outcome.error,
          outcome.nextAttemptAt ?? null,
        ],
      ),
    );
    return rows.length === 1;
  }
}
