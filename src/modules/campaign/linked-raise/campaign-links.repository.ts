import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '../../../database/transaction.js';
import type { CampaignLink } from './linked-raise.rules.js';

const COLUMNS = `equity_campaign_id AS "equityCampaignId", debt_campaign_id AS "debtCampaignId",
  founder_id AS "founderId", linked_by AS "linkedBy", linked_at AS "linkedAt"`;

/** The campaign module's linked raises (issue 15); the only code that writes `campaign_links`. */
@Injectable()
export class CampaignLinksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(link: CampaignLink, tx: Tx): Promise<void> {
    await tx.query(
      `INSERT INTO campaign_links (equity_campaign_id, debt_campaign_id, founder_id, linked_by, linked_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [link.equityCampaignId, link.debtCampaignId, link.founderId, link.linkedBy, link.linkedAt],
    );
  }

  /** The link `campaignId` is on, as either side (the primary key or the unique key serves it). */
  async findByCampaign(campaignId: string, tx?: Tx): Promise<CampaignLink | null> {
    const rows: CampaignLink[] = await (tx ?? this.dataSource.manager).query(
      `SELECT ${COLUMNS} FROM campaign_links
        WHERE equity_campaign_id = $1 OR debt_campaign_id = $1`,
      [campaignId],
    );
    return rows[0] ?? null;
  }

  async delete(equityCampaignId: string, tx: Tx): Promise<void> {
    await tx.query(`DELETE FROM campaign_links WHERE equity_campaign_id = $1`, [equityCampaignId]);
  }
}
