import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CursorCodec, type Page } from '../../common/pagination/cursor-codec.js';
import { type Keyset, type PageRequest, rawKeysetPage } from '../../database/keyset-page.js';
import type { Tx } from '../../database/transaction.js';
import { ConfirmationCallEntity } from './pledge.entity.js';
import type { PledgeStatus } from './pledge.state.js';

/** A pledge waiting for its confirmation call, with the last call made (UNREACHABLE ones). */
export interface CallQueueRow {
  id: string;
  campaignId: string;
  investorId: string;
  amount: string;
  currency: string;
  status: PledgeStatus;
  coolingOffEndsAt: Date;
  lastOutcome: string | null;
  lastCalledAt: Date | null;
}

const CALL_QUEUE: Keyset = {
  list: 'confirmation-calls',
  key: 'p.cooling_off_ends_at',
  keyKind: 'timestamptz',
  id: 'p.id',
  idKind: 'uuid',
  direction: 'ASC',
};

/** CN-PF-07: the recorded confirmation calls (回访) of pledges (append-only). */
@Injectable()
export class ConfirmationCallsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: CursorCodec,
  ) {}

  async insertCall(call: ConfirmationCallEntity, tx: Tx): Promise<void> {
    await tx.insert(ConfirmationCallEntity, call);
  }

  /**
   * Pledges in `statuses` that need the call, the earliest cooling-off end first, in cursor
   * pages (issue 16; index pledges_call_queue_idx).
   */
  queue<T>(
    statuses: readonly PledgeStatus[],
    page: PageRequest,
    view: (row: CallQueueRow) => T,
  ): Promise<Page<T>> {
    return rawKeysetPage<CallQueueRow & { keyset_key: string; keyset_id: string }, T>(
      this.cursors,
      (sql, params) => this.dataSource.manager.query(sql, params),
      CALL_QUEUE,
      page,
      [statuses],
      (k) =>
        `SELECT p.id, p.campaign_id AS "campaignId", p.investor_id AS "investorId",
                p.amount::text AS amount, p.currency, p.status,
                p.cooling_off_ends_at AS "coolingOffEndsAt",
                c.outcome AS "lastOutcome", c.called_at AS "lastCalledAt", ${k.columns}
         FROM pledges p
         LEFT JOIN LATERAL (
           SELECT outcome, called_at FROM confirmation_calls
           WHERE pledge_id = p.id ORDER BY called_at DESC LIMIT 1
         ) c ON true
         WHERE p.confirmation_required AND p.status = ANY($1::text[])
           AND p.cooling_off_ends_at IS NOT NULL${k.after}
         ${k.tail}`,
      view,
    );
  }

  calls(pledgeId: string): Promise<ConfirmationCallEntity[]> {
    return this.dataSource.manager.find(ConfirmationCallEntity, {
      where: { pledgeId },
      order: { calledAt: 'ASC' },
    });
  }
}
