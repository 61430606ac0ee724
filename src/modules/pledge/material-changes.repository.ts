import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { returnedRows, type Tx } from '../../database/transaction.js';
import type { PledgeStatus, ResumableStatus } from './pledge.state.js';

/**
 * Material changes (CN-SUIT-14): which disclosure versions were applied to a campaign's pledges
 * (the pledge module's `material_change_applications`), and the marking itself.
 */
@Injectable()
export class MaterialChangesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Claims one material change for application (CN-SUIT-14): false when it was applied before.
   * Inside the transaction that marks the pledges, so it is applied exactly once.
   */
  async claimMaterialChange(
    change: { campaignId: string; version: number; publishedAt: Date },
    now: Date,
    tx: Tx,
  ): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO material_change_applications (campaign_id, version, published_at, applied_at, pledges)
       VALUES ($1, $2, $3, $4, 0) ON CONFLICT (campaign_id, version) DO NOTHING RETURNING 1`,
      [change.campaignId, change.version, change.publishedAt, now],
    );
    return rows.length === 1;
  }

  async recordMaterialChangePledges(
    campaignId: string,
    version: number,
    pledges: number,
    tx: Tx,
  ): Promise<void> {
    await tx.query(
      `UPDATE material_change_applications SET pledges = $3 WHERE campaign_id = $1 AND version = $2`,
      [campaignId, version, pledges],
    );
  }

  /** Of these material changes, the ones not applied yet. */
  async unappliedMaterialChanges<C extends { campaignId: string; version: number }>(
    changes: readonly C[],
  ): Promise<C[]> {
    if (changes.length === 0) return [];
    const rows: { campaign_id: string; version: number }[] = await this.dataSource.query(
      `SELECT campaign_id, version FROM material_change_applications
       WHERE (campaign_id, version) IN (SELECT * FROM unnest($1::uuid[], $2::int[]))`,
      [changes.map((c) => c.campaignId), changes.map((c) => c.version)],
    );
    const applied = new Set(rows.map((r) => `${r.campaign_id}:${r.version}`));
    return changes.filter((c) => !applied.has(`${c.campaignId}:${c.version}`));
  }

  /**
   * A material change: every pledge of the campaign in `from` placed up to its publication waits
   * for reconfirmation until `by` (pledges placed later acknowledged the new version to be placed).
   */
  async markForReconfirmation(
    campaignId: string,
    publishedAt: Date,
    from: readonly ResumableStatus[],
    to: PledgeStatus,
    by: Date,
    now: Date,
    tx: Tx,
  ): Promise<Array<{ id: string; investorId: string; amount: string; currency: string }>> {
    const rows = returnedRows<{
      id: string;
      investor_id: string;
      amount: string;
      currency: string;
    }>(
      await tx.query(
        `UPDATE pledges SET resume_status = status, status = $6, reconfirm_by = $2, updated_at = $3
         WHERE campaign_id = $1 AND status = ANY($5) AND created_at <= $4
         RETURNING id, investor_id, amount::text AS amount, currency`,
        [campaignId, by, now, publishedAt, [...from], to],
      ),
    );
    return rows.map((r) => ({
      id: r.id,
      investorId: r.investor_id,
      amount: r.amount,
      currency: r.currency,
    }));
  }
}
