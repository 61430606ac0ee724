import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '../../database/transaction.js';
import { LIMIT_COUNTING_STATUSES, type PledgeStatus } from './pledge.state.js';

/** Sums and sets over a campaign's or an investor's pledges (reads only; the pledge module's table). */
@Injectable()
export class PledgeTotalsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(tx?: Tx) {
    return tx ?? this.dataSource.manager;
  }

  /** INV-9 usage for the profile: financial pledges that count, placed since `since`. */
  async committedSince(investorId: string, since: Date, tx?: Tx): Promise<string> {
    const rows: { total: string }[] = await this.m(tx).query(
      `SELECT coalesce(sum(amount), 0)::numeric(20,2)::text AS total FROM pledges
       WHERE investor_id = $1 AND created_at >= $2 AND financial AND status = ANY($3)`,
      [investorId, since, [...LIMIT_COUNTING_STATUSES]],
    );
    return rows[0].total;
  }

  /** Investors with a live or settled pledge on the campaign (they hear of its transitions). */
  async backers(campaignId: string, tx: Tx): Promise<string[]> {
    const rows: { investor_id: string }[] = await tx.query(
      `SELECT DISTINCT investor_id FROM pledges WHERE campaign_id = $1 AND status = ANY($2)`,
      [campaignId, [...LIMIT_COUNTING_STATUSES]],
    );
    return rows.map((r) => r.investor_id);
  }

  /**
   * Each investor's SETTLED total and pledge count on the campaign, by investor id (issue 14: the
   * claims register; issue 18: the settled notice).
   */
  async settledByInvestor(
    campaignId: string,
    tx: Tx,
  ): Promise<{ investorId: string; total: string; count: number }[]> {
    const rows: { investor_id: string; total: string; count: number }[] = await tx.query(
      `SELECT investor_id, sum(amount)::numeric(20,2)::text AS total, count(*)::int AS count
         FROM pledges WHERE campaign_id = $1 AND status = 'SETTLED'
         GROUP BY investor_id ORDER BY investor_id`,
      [campaignId],
    );
    return rows.map((r) => ({ investorId: r.investor_id, total: r.total, count: r.count }));
  }

  /** How many of the campaign's pledges are in one of `statuses` (from the index, no sums). */
  async countInStatuses(
    campaignId: string,
    statuses: readonly PledgeStatus[],
    tx: Tx,
  ): Promise<number> {
    const rows: { n: number }[] = await tx.query(
      `SELECT count(*)::int AS n FROM pledges WHERE campaign_id = $1 AND status = ANY($2)`,
      [campaignId, [...statuses]],
    );
    return rows[0].n;
  }

  /** Sum and count of the campaign's pledges by status. */
  async totalsByStatus(
    campaignId: string,
    tx: Tx,
  ): Promise<Map<PledgeStatus, { count: number; total: string }>> {
    const rows: { status: PledgeStatus; count: number; total: string }[] = await tx.query(
      `SELECT status, count(*)::int AS count, sum(amount)::numeric(20,2)::text AS total FROM pledges
       WHERE campaign_id = $1 GROUP BY status`,
      [campaignId],
    );
    return new Map(rows.map((r) => [r.status, { count: r.count, total: r.total }]));
  }
}
