import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { NoticeParams } from '../../common/notices/notices.port.js';
import { preparedQuery, returnedRows, type Tx } from '../../database/transaction.js';
import type { EmailStatus } from './notifications.entities.js';

export interface NewNotification {
  id: string;
  recipientId: string;
  type: string;
  params: NoticeParams;
  campaignId: string | null;
  dedupeKey: string | null;
}

export interface NotificationRow {
  id: string;
  seq: string;
  recipientId: string;
  type: string;
  params: NoticeParams;
  campaignId: string | null;
  createdAt: Date;
  readAt: Date | null;
}

export interface ClaimedEmail extends NotificationRow {
  emailAttempts: number;
}

const ROW_COLUMNS = `n.id, n.seq::text AS seq, n.recipient_id AS "recipientId", n.type, n.params,
  n.campaign_id AS "campaignId", n.created_at AS "createdAt", n.read_at AS "readAt"`;

/**
 * The notices as `notifications_enqueue(rows, now)` takes them (migration 1766040000000): for the
 * outbox's own insert and for another module's statement that records its notices in the same
 * round trip as its effect.
 */
export function notificationRowsJson(notices: readonly NewNotification[]): string {
  return JSON.stringify(
    notices.map((n) => ({
      id: n.id,
      recipient_id: n.recipientId,
      type: n.type,
      params: n.params,
      campaign_id: n.campaignId,
      dedupe_key: n.dedupeKey,
    })),
  );
}

/** The outbox and inbox table (issue 13). Only this module writes `notifications`. */
@Injectable()
export class NotificationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * One statement, in the caller's transaction: `notifications_enqueue`, the notices (a repeated
   * `(recipient, dedupeKey)` is skipped) and a webhook delivery for each of the recipient's live
   * endpoints on the founder events (their campaigns' events and payouts; personal notices never
   * leave by webhook).
   */
  async insert(notices: NewNotification[], now: Date, tx: Tx): Promise<void> {
    // Prepared: planned once per connection.
    await preparedQuery(
      tx,
      'notifications-enqueue',
      `SELECT notifications_enqueue($1::jsonb, $2) AS created`,
      [notificationRowsJson(notices), now],
    );
  }

  /** Newest first; `beforeSeq` is the previous page's last item. */
  inbox(
    recipientId: string,
    options: { unreadOnly: boolean; beforeSeq: string | null; limit: number },
  ): Promise<NotificationRow[]> {
    return this.dataSource.query(
      `SELECT ${ROW_COLUMNS} FROM notifications n
        WHERE n.recipient_id = $1 AND ($2::boolean IS FALSE OR n.read_at IS NULL)
          AND ($3::bigint IS NULL OR n.seq < $3::bigint)
        ORDER BY n.seq DESC LIMIT $4`,
      [recipientId, options.unreadOnly, options.beforeSeq, options.limit],
    );
  }

  async unreadCount(recipientId: string): Promise<number> {
    const rows: { count: string }[] = await this.dataSource.query(
      `SELECT count(*)::text AS count FROM notifications WHERE recipient_id = $1 AND read_at IS NULL`,
      [recipientId],
    );
    return Number(rows[0].count);
  }

  /** The recipient's own notices by id (someone else's are not found). */
  findOwn(recipientId: string, ids: string[]): Promise<NotificationRow[]> {
    return this.dataSource.query(
      `SELECT ${ROW_COLUMNS} FROM notifications n WHERE n.recipient_id = $1 AND n.id = ANY($2::uuid[])
        ORDER BY n.seq`,
      [recipientId, ids],
    );
  }

  /** The seq of the recipient's newest notice ("0" when none). */
  async latestSeq(recipientId: string): Promise<string> {
    const rows: { seq: string }[] = await this.dataSource.query(
      `SELECT coalesce(max(seq), 0)::text AS seq FROM notifications WHERE recipient_id = $1`,
      [recipientId],
    );
    return rows[0].seq;
  }

  /** The recipient's notices after `afterSeq` (a stream that reconnects with Last-Event-ID). */
  since(recipientId: string, afterSeq: string, limit: number): Promise<NotificationRow[]> {
    return this.dataSource.query(
      `SELECT ${ROW_COLUMNS} FROM notifications n WHERE n.recipient_id = $1 AND n.seq > $2::bigint
        ORDER BY n.seq LIMIT $3`,
      [recipientId, afterSeq, limit],
    );
  }

  /** Marks one unread notice read; false when it is not the recipient's (or already read). */
  async markRead(recipientId: string, id: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications SET read_at = $3 WHERE id = $1 AND recipient_id = $2 AND read_at IS NULL`,
      [id, recipientId, now],
    );
  }

  async markAllRead(recipientId: string, now: Date): Promise<number> {
    const rows = returnedRows<{ id: string }>(
      await this.dataSource.query(
        `UPDATE notifications SET read_at = $2 WHERE recipient_id = $1 AND read_at IS NULL RETURNING id`,
        [recipientId, now],
      ),
    );
    return rows.length;
  }

  /**
   * Claims due e-mails for one dispatcher: `FOR UPDATE SKIP LOCKED`, so dispatchers on several
   * instances never take the same row, and a lease (the next try moved `leaseSeconds` ahead) so
   * that the claim outlives this statement without holding a transaction open while mailing. The
   * try is counted at the claim: a dispatcher that dies mid-send has used one try.
   */
  async claimDueEmails(
    now: Date,
    limit: number,
    leaseSeconds: number,
    maxAttempts: number,
  ): Promise<ClaimedEmail[]> {
    return returnedRows<ClaimedEmail>(
      await this.dataSource.query(
        `UPDATE notifications n
            SET email_attempts = n.email_attempts + 1, email_last_attempt_at = $1,
                email_next_attempt_at = $1::timestamptz + make_interval(secs => $3)
           FROM (SELECT id FROM notifications
                  WHERE email_status = 'PENDING' AND email_next_attempt_at <= $1 AND email_attempts < $4
                  ORDER BY email_next_attempt_at, seq LIMIT $2
                  FOR UPDATE SKIP LOCKED) due
          WHERE n.id = due.id
         RETURNING ${ROW_COLUMNS}, n.email_attempts AS "emailAttempts"`,
        [now, limit, leaseSeconds, maxAttempts],
      ),
    );
  }

  /**
   * Renews a claim just before its send (issue 19): the lease runs from now again, fenced by the
   * attempt number. False when the lease ran out while the row waited in this dispatcher's batch
   * and another dispatcher claimed it: then this one must not send it (it would be a second copy).
   */
  async renewEmailClaim(
    id: string,
    attempt: number,
    now: Date,
    leaseSeconds: number,
  ): Promise<boolean> {
    const rows = returnedRows<{ id: string }>(
      await this.dataSource.query(
        `UPDATE notifications SET email_next_attempt_at = $3::timestamptz + make_interval(secs => $4)
          WHERE id = $1 AND email_attempts = $2 AND email_status = 'PENDING'
         RETURNING id`,
        [id, attempt, now, leaseSeconds],
      ),
    );
    return rows.length === 1;
  }

  /**
   * A dispatcher that died during the last allowed try left its claim; once the lease is over
   * the e-mail is given up (FAILED) rather than tried beyond the limit.
   */
  async failAbandonedLastTries(now: Date, maxAttempts: number): Promise<number> {
    const rows = returnedRows<{ id: string }>(
      await this.dataSource.query(
        `UPDATE notifications SET email_status = 'FAILED',
                email_last_error = coalesce(email_last_error, 'no answer from the last try (dispatcher stopped)')
          WHERE email_status = 'PENDING' AND email_attempts >= $2 AND email_next_attempt_at <= $1
         RETURNING id`,
        [now, maxAttempts],
      ),
    );
    return rows.length;
  }

  /**
   * Settles a claimed try. Fenced by the attempt number: if the lease ran out and another
   * dispatcher claimed the row again, this late answer changes nothing.
   */
  async settleEmail(
    id: string,
    attempt: number,
    outcome:
      | { status: Extract<EmailStatus, 'SENT'>; at: Date }
      | { status: Extract<EmailStatus, 'FAILED' | 'SKIPPED'>; error: string }
      | { status: Extract<EmailStatus, 'PENDING'>; nextAttemptAt: Date; error: string },
  ): Promise<boolean> {
    const rows = returnedRows<{ id: string }>(
      await this.dataSource.query(
        `UPDATE notifications
            SET email_status = $3,
                email_sent_at = $4,
                email_next_attempt_at = coalesce($5, email_next_attempt_at),
                email_last_error = $6
          WHERE id = $1 AND email_attempts = $2 AND email_status = 'PENDING'
         RETURNING id`,
        [
          id,
          attempt,
          outcome.status,
          outcome.status === 'SENT' ? outcome.at : null,
          outcome.status === 'PENDING' ? outcome.nextAttemptAt : null,
          outcome.status === 'SENT' ? null : outcome.error,
        ],
      ),
    );
    return rows.length === 1;
  }
}
