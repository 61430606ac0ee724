import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '../../../database/transaction.js';
import { CampaignContentEntity } from './campaign-page.entities.js';

export type PageFields = Pick<
  CampaignContentEntity,
  'story' | 'category' | 'cityCode' | 'coverMediaId' | 'gallery' | 'faq' | 'team' | 'updatedAt'
>;

@Injectable()
export class CampaignPageRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The page (every campaign has one: a trigger creates it with the campaign). */
  find(campaignId: string, tx?: Tx): Promise<CampaignContentEntity | null> {
    return (tx ?? this.dataSource.manager).findOne(CampaignContentEntity, {
      where: { campaignId },
    });
  }

  /** Saves the page; the trigger refreshes the search columns from the new story. */
  async save(campaignId: string, fields: PageFields, tx: Tx): Promise<void> {
    await tx.update(CampaignContentEntity, { campaignId }, fields);
  }
}
