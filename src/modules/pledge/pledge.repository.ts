import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { returnedRows, type Tx } from '../../database/transaction.js';
import { ConfirmationCallEntity, LIVE_PLEDGE_STATUSES, PledgeEntity } from './pledge.entity.js';

export interface CampaignClaim {
  committed: string;
  investorCount: number;
}

/**
 * The pledge path's SQL. The counters it moves (campaign committed and investor count, tier
 * claimed) carry CHECK constraints as well (INV-7): a bug here cannot oversubscribe.
 */
@Injectable()
export class PledgeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(tx?: Tx) {
    return tx ?? this.dataSource.manager;
  }

  /** INV-9: one investor's pledges are decided one at a time, so their limit check cannot race. */
  async lockInvestor(investorId: string, tx: Tx): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('pledge-investor:' || $1, 0))`, [
      investorId,
    ]);
  }

  /** Commitments that count toward the rolling limit: every pledge not cancelled or refunded. */
  async committedSince(investorId: string, since: Date, tx?: Tx): Promise<string> {
    const rows: { total: string }[] = await this.m(tx).query(
      `SELECT coalesce(sum(amount), 0)::numeric(20,2)::text AS total FROM pledges
       WHERE investor_id = $1 AND created_at >= $2 AND status NOT IN ('CANCELLED', 'REFUNDED')`,
      [investorId, since],
    );
    return rows[0].total;
  }

  async hasLivePledge(campaignId: string, investorId: string, tx: Tx): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `SELECT 1 FROM pledges WHERE campaign_id = $1 AND investor_id = $2 AND status = ANY($3) LIMIT 1`,
      [campaignId, investorId, [...LIVE_PLEDGE_STATUSES]],
    );
    return rows.length > 0;
  }

  /**
   * Adds the pledge to the campaign's counters in one statement, only while it is LIVE, before its
   * deadline, under its hard cap and its investor cap. Null when any of those fails.
   */
  async claimCampaign(
    campaignId: string,
    amount: string,
    newInvestor: boolean,
    now: Date,
    tx: Tx,
  ): Promise<CampaignClaim | null> {
    const rows = returnedRows<{ committed: string; investor_count: number }>(
      await tx.query(
        `UPDATE campaigns SET committed = committed + $2, investor_count = investor_count + $3, updated_at = $4
       WHERE id = $1 AND status = 'LIVE' AND deadline > $4 AND committed + $2 <= max_amount
         AND (investor_cap IS NULL OR investor_count + $3 <= investor_cap)
       RETURNING committed::text AS committed, investor_count`,
        [campaignId, amount, newInvestor ? 1 : 0, now],
      ),
    );
    return rows[0] ? { committed: rows[0].committed, investorCount: rows[0].investor_count } : null;
  }

  /**
   * Gives back the counters of pledges that have just ended (their status already terminal, in this
   * transaction), set-based: committed by their sums, investor count by the investors left with no
   * live pledge on the campaign, tier stock by their count.
   */
  async releaseCounters(endedPledgeIds: readonly string[], now: Date, tx: Tx): Promise<void> {
    if (endedPledgeIds.length === 0) return;
    await tx.query(
      `WITH gone AS (
         SELECT campaign_id, investor_id, amount, reward_tier_id FROM pledges WHERE id = ANY($1)),
       left_investors AS (
         SELECT g.campaign_id, count(DISTINCT g.investor_id) AS n FROM gone g
         WHERE NOT EXISTS (SELECT 1 FROM pledges p WHERE p.campaign_id = g.campaign_id
                           AND p.investor_id = g.investor_id AND p.status = ANY($3))
         GROUP BY g.campaign_id),
       sums AS (
         SELECT g.campaign_id, sum(g.amount) AS total, coalesce(max(l.n), 0) AS investors
         FROM gone g LEFT JOIN left_investors l ON l.campaign_id = g.campaign_id GROUP BY g.campaign_id),
       campaigns_released AS (
         UPDATE campaigns c SET committed = c.committed - s.total, investor_count = c.investor_count - s.investors, updated_at = $2
         FROM sums s WHERE c.id = s.campaign_id RETURNING c.id),
       tiers_released AS (
         UPDATE reward_tiers t SET claimed = t.claimed - g.n
         FROM (SELECT reward_tier_id, count(*) AS n FROM gone WHERE reward_tier_id IS NOT NULL GROUP BY reward_tier_id) g
         WHERE t.id = g.reward_tier_id RETURNING t.id)
       SELECT (SELECT count(*) FROM campaigns_released) AS campaigns, (SELECT count(*) FROM tiers_released) AS tiers`,
      [[...endedPledgeIds], now, [...LIVE_PLEDGE_STATUSES]],
    );
  }

  async claimTier(tierId: string, campaignId: string, tx: Tx): Promise<boolean> {
    const rows = returnedRows<unknown>(
      await tx.query(
        `UPDATE reward_tiers SET claimed = claimed + 1 WHERE id = $1 AND campaign_id = $2 AND claimed < stock RETURNING 1`,
        [tierId, campaignId],
      ),
    );
    return rows.length === 1;
  }

  async insert(pledge: PledgeEntity, tx: Tx): Promise<void> {
    await tx.insert(PledgeEntity, pledge);
  }

  find(id: string, tx?: Tx): Promise<PledgeEntity | null> {
    return this.m(tx).findOne(PledgeEntity, { where: { id } });
  }

  lock(id: string, tx: Tx): Promise<PledgeEntity | null> {
    return tx.findOne(PledgeEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async save(pledge: PledgeEntity, tx: Tx): Promise<void> {
    await tx.save(PledgeEntity, pledge);
  }

  listForInvestor(investorId: string, limit: number): Promise<PledgeEntity[]> {
    return this.m().find(PledgeEntity, {
      where: { investorId },
      order: { createdAt: 'DESC' },
      take: limit,
    });
  }

  liveForCampaign(campaignId: string, tx?: Tx): Promise<PledgeEntity[]> {
    return this.m(tx).find(PledgeEntity, {
      where: { campaignId, status: In([...LIVE_PLEDGE_STATUSES]) },
    });
  }

  async insertCall(call: ConfirmationCallEntity, tx: Tx): Promise<void> {
    await tx.insert(ConfirmationCallEntity, call);
  }

  calls(pledgeId: string): Promise<ConfirmationCallEntity[]> {
    return this.m().find(ConfirmationCallEntity, {
      where: { pledgeId },
      order: { calledAt: 'ASC' },
    });
  }

  /** A material change: every live pledge of the campaign waits for reconfirmation until `by`. */
  async markForReconfirmation(campaignId: string, by: Date, now: Date): Promise<number> {
    const rows = returnedRows<{ id: string }>(
      await this.dataSource.query(
        `UPDATE pledges SET resume_status = status, status = 'AWAITING_RECONFIRMATION', reconfirm_by = $2, updated_at = $3
         WHERE campaign_id = $1 AND status IN ('COOLING_OFF', 'AWAITING_CONFIRMATION', 'ACTIVE')
         RETURNING id`,
        [campaignId, by, now],
      ),
    );
    return rows.length;
  }

  /** Pledges whose reconfirmation window ran out, locked for cancellation. */
  lockExpiredReconfirmations(now: Date, limit: number, tx: Tx): Promise<PledgeEntity[]> {
    return tx
      .createQueryBuilder(PledgeEntity, 'p')
      .where(`p.status = 'AWAITING_RECONFIRMATION' AND p.reconfirm_by <= :now`, { now })
      .orderBy('p.reconfirm_by', 'ASC')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }
}
