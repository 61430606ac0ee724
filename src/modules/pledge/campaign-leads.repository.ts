import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { preparedRead, type Tx } from '../../database/transaction.js';
import { LIVE_PLEDGE_STATUSES } from './pledge.state.js';

export type LeadStatus = 'ACTIVE' | 'WITHDRAWN';

/** A campaign's lead investor (issue 15, 领投): who, the share to commit, the carry, the status. */
export interface CampaignLeadRow {
  campaignId: string;
  leadInvestorId: string;
  /** The share of the target the lead commits before followers may pledge (e.g. "0.1000"). */
  minShare: string;
  /** The lead's share of followers' profits at distributions (e.g. "0.2000"); "0.0000": none. */
  carryRate: string;
  status: LeadStatus;
  namedBy: string;
  namedAt: Date;
  withdrawnAt: Date | null;
  withdrawalReason: string | null;
}

interface LeadSqlRow {
  campaign_id: string;
  lead_investor_id: string;
  min_share: string;
  carry_rate: string;
  status: LeadStatus;
  named_by: string;
  named_at: Date;
  withdrawn_at: Date | null;
  withdrawal_reason: string | null;
}

const COLUMNS = `campaign_id, lead_investor_id, min_share::text AS min_share,
  carry_rate::text AS carry_rate, status, named_by, named_at, withdrawn_at, withdrawal_reason`;

/** What the lead has committed: every pledge still holding money, and settled ones. */
const COMMITTED_STATUSES = [...LIVE_PLEDGE_STATUSES, 'SETTLED'];

const toRow = (r: LeadSqlRow): CampaignLeadRow => ({
  campaignId: r.campaign_id,
  leadInvestorId: r.lead_investor_id,
  minShare: r.min_share,
  carryRate: r.carry_rate,
  status: r.status,
  namedBy: r.named_by,
  namedAt: r.named_at,
  withdrawnAt: r.withdrawn_at,
  withdrawalReason: r.withdrawal_reason,
});

/** The pledge module's `campaign_leads` (issue 15). */
@Injectable()
export class CampaignLeadsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(tx?: Tx) {
    return tx ?? this.dataSource.manager;
  }

  /** Outside a transaction a prepared read: every pledge's admission asks (issue 18). */
  async find(campaignId: string, tx?: Tx): Promise<CampaignLeadRow | null> {
    const text = `SELECT ${COLUMNS} FROM campaign_leads WHERE campaign_id = $1`;
    const rows: LeadSqlRow[] = tx
      ? await tx.query(text, [campaignId])
      : await preparedRead(this.dataSource, 'campaign-lead-find', text, [campaignId]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  /**
   * The lead row locked: FOR SHARE by a follower's pledge (after the campaign row, the order a
   * withdrawal takes them in), FOR UPDATE by a withdrawal, so the two are decided one after the
   * other and a follower's pledge either sees the withdrawal or is reached by its material change.
   */
  async lock(
    campaignId: string,
    mode: 'SHARE' | 'UPDATE',
    tx: Tx,
  ): Promise<CampaignLeadRow | null> {
    const rows: LeadSqlRow[] = await tx.query(
      `SELECT ${COLUMNS} FROM campaign_leads WHERE campaign_id = $1 FOR ${mode}`,
      [campaignId],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** Names (or renames, while the campaign is a draft) the lead. */
  async upsert(row: CampaignLeadRow, tx: Tx): Promise<void> {
    await tx.query(
      `INSERT INTO campaign_leads (campaign_id, lead_investor_id, min_share, carry_rate, status,
                                   named_by, named_at, withdrawn_at, withdrawal_reason)
       VALUES ($1, $2, $3, $4, 'ACTIVE', $5, $6, NULL, NULL)
       ON CONFLICT (campaign_id) DO UPDATE SET
         lead_investor_id = EXCLUDED.lead_investor_id, min_share = EXCLUDED.min_share,
         carry_rate = EXCLUDED.carry_rate, status = 'ACTIVE', named_by = EXCLUDED.named_by,
         named_at = EXCLUDED.named_at, withdrawn_at = NULL, withdrawal_reason = NULL`,
      [row.campaignId, row.leadInvestorId, row.minShare, row.carryRate, row.namedBy, row.namedAt],
    );
  }

  async markWithdrawn(campaignId: string, at: Date, reason: string, tx: Tx): Promise<void> {
    await tx.query(
      `UPDATE campaign_leads SET status = 'WITHDRAWN', withdrawn_at = $2, withdrawal_reason = $3
       WHERE campaign_id = $1 AND status = 'ACTIVE'`,
      [campaignId, at, reason],
    );
  }

  /** The sum of the investor's pledges to the campaign that count as committed. */
  async committed(campaignId: string, investorId: string, tx?: Tx): Promise<string> {
    const rows: { committed: string }[] = await this.m(tx).query(
      `SELECT coalesce(sum(amount), 0)::text AS committed FROM pledges
       WHERE campaign_id = $1 AND investor_id = $2 AND status = ANY($3)`,
      [campaignId, investorId, COMMITTED_STATUSES],
    );
    return rows[0]?.committed ?? '0';
  }

  /** Of these (campaign, investor) pairs, the ones where the investor is the campaign's active lead. */
  async activeLeadsAmong(
    pairs: readonly { campaignId: string; investorId: string }[],
    tx: Tx,
  ): Promise<CampaignLeadRow[]> {
    if (pairs.length === 0) return [];
    const rows: LeadSqlRow[] = await tx.query(
      `SELECT ${COLUMNS} FROM campaign_leads
       WHERE status = 'ACTIVE'
         AND (campaign_id, lead_investor_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))`,
      [pairs.map((p) => p.campaignId), pairs.map((p) => p.investorId)],
    );
    return rows.map(toRow);
  }
}
