import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CursorCodec, type Page } from '../../common/pagination/cursor-codec.js';
import { type Keyset, keysetSql, type PageRequest, pageFrom } from '../../database/keyset-page.js';
import type { FailedDeliveryView } from './failed-deliveries.service.js';

interface FailedRow extends Omit<FailedDeliveryView, 'lastAttemptAt'> {
  lastAttemptAt: Date | null;
  keyset_key: string;
  keyset_id: string;
}

/**
 * Both channels in one order: last try newest first (a delivery given up without a try, e.g. its
 * endpoint removed, sorts as of the epoch, after all others), then id. FAILED is final, so a row's
 * place never moves once it is on the list.
 */
const FAILED: Keyset = {
  list: 'failed-deliveries',
  key: 'f.sort_at',
  keyKind: 'timestamptz',
  id: 'f.id',
  idKind: 'uuid',
  direction: 'DESC',
};

const UNION = `
  SELECT 'EMAIL' AS channel, n.id, n.id AS "notificationId", n.type, n.recipient_id AS "userId",
         NULL::uuid AS "endpointId", n.email_attempts AS attempts,
         n.email_last_attempt_at AS "lastAttemptAt", NULL::integer AS "lastStatusCode",
         n.email_last_error AS "lastError",
         coalesce(n.email_last_attempt_at, 'epoch'::timestamptz) AS sort_at
    FROM notifications n WHERE n.email_status = 'FAILED'
  UNION ALL
  SELECT 'WEBHOOK', d.id, d.notification_id, n.type, e.founder_id, d.endpoint_id, d.attempts,
         d.last_attempt_at, d.last_status_code, d.last_error,
         coalesce(d.last_attempt_at, 'epoch'::timestamptz)
    FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
    JOIN notifications n ON n.id = d.notification_id
   WHERE d.status = 'FAILED'`;

/** E-mails and webhook deliveries given up (issue 13), read across both tables in one order. */
@Injectable()
export class FailedDeliveriesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: CursorCodec,
  ) {}

  async page(page: PageRequest): Promise<Page<FailedDeliveryView>> {
    const params: string[] = [];
    const sql = keysetSql(this.cursors, FAILED, page.cursor, (v) => {
      params.push(v);
      return `$${params.length}`;
    });
    const rows: FailedRow[] = await this.dataSource.query(
      `SELECT f.*, ${sql.keyText} AS keyset_key, ${sql.idText} AS keyset_id FROM (${UNION}) f
        ${sql.where ? `WHERE ${sql.where}` : ''}
        ORDER BY ${sql.orderBy} LIMIT ${page.limit + 1}`,
      params,
    );
    return pageFrom(this.cursors, FAILED, rows, page.limit, (r) => ({
      channel: r.channel,
      id: r.id,
      notificationId: r.notificationId,
      type: r.type,
      userId: r.userId,
      endpointId: r.endpointId,
      attempts: r.attempts,
      lastAttemptAt: r.lastAttemptAt?.toISOString() ?? null,
      lastStatusCode: r.lastStatusCode,
      lastError: r.lastError,
    }));
  }
}
