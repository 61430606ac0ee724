import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database/transaction.js';
import { DUE_COLUMNS, type DuePledge, type DuePledgeRow, toDue } from './pledge.repository.js';
import { LIVE_PLEDGE_STATUSES, type PledgeStatus } from './pledge.state.js';

/**
 * The pledge module's SQL for a campaign's pledges in batches, as settlement and refunds take them
 * (oldest first, SKIP LOCKED, through `pledges_campaign_status_idx`).
 */
@Injectable()
export class PledgeBatchesRepository {
  /**
   * Settlement's batch in one statement: the campaign's oldest `limit` pledges in `from`, locked
   * (SKIP LOCKED, so batches of several sweepers never overlap) and moved to `to`, through
   * `pledges_campaign_status_idx`, then updated by primary key (the batch as an array: a join with
   * it is planned as a scan of every pledge); and their holds posted by the ledger's
   * `ledger_post_holds` in the same statement (DESIGN §2: the ledger's function writes its rows).
   * How many moved and their sum. Issue 18: selecting the batch, then updating it, locked each row
   * twice; returning the batch to the service and posting it in a second statement cost the
   * service 1.9 s of CPU for 100,000 pledges.
   */
  async moveOldestPostingHolds(
    campaignId: string,
    from: PledgeStatus,
    to: PledgeStatus,
    limit: number,
    now: Date,
    tx: Tx,
  ): Promise<{ count: number; total: string }> {
    const rows: { count: number; total: string }[] = await tx.query(
      `WITH moved AS (
         UPDATE pledges p SET status = $3, updated_at = $5::timestamptz, resume_status = NULL,
           reconfirm_by = NULL, ended_at = CASE WHEN $6::boolean THEN $5::timestamptz END
         WHERE p.id = ANY(ARRAY(SELECT id FROM pledges WHERE campaign_id = $1 AND status = $2
                                ORDER BY created_at, id LIMIT $4 FOR UPDATE SKIP LOCKED))
           AND p.status = $2
         RETURNING p.hold_transfer_id, p.amount)
       SELECT count(*)::int AS count, coalesce(sum(amount), 0)::numeric(20,2)::text AS total,
              ledger_post_holds(array_agg(hold_transfer_id), $5::timestamptz) AS posted
         FROM moved`,
      [campaignId, from, to, limit, now, !LIVE_PLEDGE_STATUSES.includes(to)],
    );
    return { count: rows[0].count, total: rows[0].total };
  }

  /**
   * A batch of the campaign's pledges in `statuses` (refunds: every live status), locked for this
   * transaction. In no particular order: every one of them ends the same way, and an order over
   * several statuses would make each batch read and sort every remaining pledge of the campaign.
   */
  async lockBatch(
    campaignId: string,
    statuses: readonly PledgeStatus[],
    limit: number,
    tx: Tx,
  ): Promise<DuePledge[]> {
    const rows: DuePledgeRow[] = await tx.query(
      `SELECT ${DUE_COLUMNS} FROM pledges WHERE campaign_id = $1 AND status = ANY($2)
         LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [campaignId, [...statuses], limit],
    );
    return rows.map(toDue);
  }
}
