import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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

/** CN-PF-07: the recorded confirmation calls (回访) of pledges (append-only). */
@Injectable()
export class ConfirmationCallsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insertCall(call: ConfirmationCallEntity, tx: Tx): Promise<void> {
    await tx.insert(ConfirmationCallEntity, call);
  }

  /** Pledges in `statuses` that need the call, the earliest cooling-off end first. */
  async queue(statuses: readonly PledgeStatus[], limit: number): Promise<CallQueueRow[]> {
    const rows: (Omit<CallQueueRow, 'coolingOffEndsAt'> & { coolingOffEndsAt: Date })[] =
      await this.dataSource.manager.query(
        `SELECT p.id, p.campaign_id AS "campaignId", p.investor_id AS "investorId",
                p.amount::text AS amount, p.currency, p.status,
                p.cooling_off_ends_at AS "coolingOffEndsAt",
                c.outcome AS "lastOutcome", c.called_at AS "lastCalledAt"
         FROM pledges p
         LEFT JOIN LATERAL (
           SELECT outcome, called_at FROM confirmation_calls
           WHERE pledge_id = p.id ORDER BY called_at DESC LIMIT 1
         ) c ON true
         WHERE p.confirmation_required AND p.status = ANY($1::text[])
           AND p.cooling_off_ends_at IS NOT NULL
         ORDER BY p.cooling_off_ends_at, p.id
         LIMIT $2`,
        [statuses, limit],
      );
    return rows;
  }

  calls(pledgeId: string): Promise<ConfirmationCallEntity[]> {
    return this.dataSource.manager.find(ConfirmationCallEntity, {
      where: { pledgeId },
      order: { calledAt: 'ASC' },
    });
  }
}
