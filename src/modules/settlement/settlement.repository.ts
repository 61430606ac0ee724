import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { returnedRows, type Tx } from '../../database/transaction.js';
import type { CampaignEntity } from '../campaign/campaign.entities.js';
import type { CampaignStatus } from '../campaign/campaign.state.js';

export interface DuePledge {
  id: string;
  campaignId: string;
  investorId: string;
  amount: string;
  rewardTierId: string | null;
  holdTransferId: string;
}

interface DuePledgeRow {
  id: string;
  campaign_id: string;
  investor_id: string;
  amount: string;
  reward_tier_id: string | null;
  hold_transfer_id: string;
}

const DUE_PLEDGE_COLUMNS = `id, campaign_id, investor_id, amount::text AS amount, reward_tier_id, hold_transfer_id`;

const toDuePledge = (r: DuePledgeRow): DuePledge => ({
  id: r.id,
  campaignId: r.campaign_id,
  investorId: r.investor_id,
  amount: r.amount,
  rewardTierId: r.reward_tier_id,
  holdTransferId: r.hold_transfer_id,
});

interface CampaignRow {
  id: string;
  founder_id: string;
  kind: CampaignEntity['kind'];
  funding_model: CampaignEntity['fundingModel'];
  currency: string;
  target_amount: string;
  fee_rate: string;
  status: CampaignStatus;
}

export interface SettlingCampaign {
  id: string;
  founderId: string;
  fundingModel: CampaignEntity['fundingModel'];
  currency: string;
  targetAmount: string;
  feeRate: string;
  status: CampaignStatus;
}

const toCampaign = (r: CampaignRow): SettlingCampaign => ({
  id: r.id,
  founderId: r.founder_id,
  fundingModel: r.funding_model,
  currency: r.currency,
  targetAmount: r.target_amount,
  feeRate: r.fee_rate,
  status: r.status,
});

/** SQL of the time-driven sweeps. Every claim of work uses SKIP LOCKED, so instances share it. */
@Injectable()
export class SettlementRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Campaign ids in `status` that need work, oldest first (unlocked: each is then locked alone). */
  async campaignIds(
    status: CampaignStatus,
    dueBefore: Date | null,
    limit: number,
  ): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM campaigns WHERE status = $1 AND ($2::timestamptz IS NULL OR deadline <= $2) ORDER BY deadline LIMIT $3`,
      [status, dueBefore, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Locks the campaign if no other sweeper holds it and it is still in `status`. */
  async lockCampaign(id: string, status: CampaignStatus, tx: Tx): Promise<SettlingCampaign | null> {
    const rows: CampaignRow[] = await tx.query(
      `SELECT id, founder_id, kind, funding_model, currency, target_amount::text AS target_amount,
              fee_rate::text AS fee_rate, status
       FROM campaigns WHERE id = $1 AND status = $2 FOR UPDATE SKIP LOCKED`,
      [id, status],
    );
    return rows[0] ? toCampaign(rows[0]) : null;
  }

  async setCampaignStatus(id: string, status: CampaignStatus, now: Date, tx: Tx): Promise<void> {
    await tx.query(`UPDATE campaigns SET status = $2, updated_at = $3 WHERE id = $1`, [
      id,
      status,
      now,
    ]);
  }

  async recordTransition(
    campaignId: string,
    from: CampaignStatus,
    to: CampaignStatus,
    reason: string,
    now: Date,
    tx: Tx,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO campaign_transitions (campaign_id, from_status, to_status, actor_id, reason, occurred_at)
       VALUES ($1, $2, $3, NULL, $4, $5)`,
      [campaignId, from, to, reason, now],
    );
  }

  /** Sum and count of the campaign's pledges by status. */
  async pledgeTotals(
    campaignId: string,
    tx: Tx,
  ): Promise<Map<string, { count: number; total: string }>> {
    const rows: { status: string; count: number; total: string }[] = await tx.query(
      `SELECT status, count(*)::int AS count, sum(amount)::numeric(20,2)::text AS total FROM pledges
       WHERE campaign_id = $1 GROUP BY status`,
      [campaignId],
    );
    return new Map(rows.map((r) => [r.status, { count: r.count, total: r.total }]));
  }

  /** A batch of the campaign's pledges in `statuses`, locked for this transaction. */
  async lockPledges(
    campaignId: string,
    statuses: readonly string[],
    limit: number,
    tx: Tx,
  ): Promise<DuePledge[]> {
    const rows: DuePledgeRow[] = await tx.query(
      `SELECT ${DUE_PLEDGE_COLUMNS} FROM pledges
         WHERE campaign_id = $1 AND status = ANY($2) ORDER BY created_at, id LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [campaignId, [...statuses], limit],
    );
    return rows.map(toDuePledge);
  }

  async endPledges(
    ids: readonly string[],
    status: 'SETTLED' | 'REFUNDED' | 'CANCELLED',
    now: Date,
    tx: Tx,
  ): Promise<void> {
    await tx.query(
      `UPDATE pledges SET status = $2, updated_at = $3, ended_at = $3 WHERE id = ANY($1)`,
      [[...ids], status, now],
    );
  }

  /** Pledges whose cooling-off ended: to AWAITING_CONFIRMATION (call required) or ACTIVE. */
  async endCoolingOff(now: Date, limit: number): Promise<number> {
    const rows = returnedRows<{ id: string }>(
      await this.dataSource.query(
        `UPDATE pledges SET status = CASE WHEN confirmation_required THEN 'AWAITING_CONFIRMATION' ELSE 'ACTIVE' END, updated_at = $1
         WHERE id IN (SELECT id FROM pledges WHERE status = 'COOLING_OFF' AND cooling_off_ends_at <= $1
                      ORDER BY cooling_off_ends_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING id`,
        [now, limit],
      ),
    );
    return rows.length;
  }

  /** Pledges left unconfirmed past the call window (CN-PF-07/08), locked for cancellation. */
  async lockUnconfirmed(confirmBefore: Date, limit: number, tx: Tx): Promise<DuePledge[]> {
    const rows: DuePledgeRow[] = await tx.query(
      `SELECT ${DUE_PLEDGE_COLUMNS} FROM pledges
         WHERE status = 'AWAITING_CONFIRMATION' AND cooling_off_ends_at <= $1
         ORDER BY cooling_off_ends_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [confirmBefore, limit],
    );
    return rows.map(toDuePledge);
  }
}
