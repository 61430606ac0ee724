import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '../../../database/transaction.js';
import { CampaignQuestionEntity } from '../page/campaign-page.entities.js';

@Injectable()
export class CampaignQuestionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(question: CampaignQuestionEntity, tx: Tx): Promise<void> {
    await tx.insert(CampaignQuestionEntity, question);
  }

  lock(id: string, tx: Tx): Promise<CampaignQuestionEntity | null> {
    return tx
      .createQueryBuilder(CampaignQuestionEntity, 'q')
      .where('q.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
  }

  async save(question: CampaignQuestionEntity, tx: Tx): Promise<void> {
    await tx.save(CampaignQuestionEntity, question);
  }

  /** Newest first, after the (createdAt, id) position if given; hidden ones only when asked. */
  page(
    campaignId: string,
    options: { includeHidden: boolean; after?: { createdAt: string; id: string }; limit: number },
  ): Promise<CampaignQuestionEntity[]> {
    const qb = this.dataSource.manager
      .createQueryBuilder(CampaignQuestionEntity, 'q')
      .where('q.campaign_id = :campaignId', { campaignId })
      .orderBy('q.created_at', 'DESC')
      .addOrderBy('q.id', 'DESC')
      .limit(options.limit);
    if (!options.includeHidden) qb.andWhere('q.hidden_at IS NULL');
    if (options.after)
      qb.andWhere('(q.created_at, q.id) < (CAST(:at AS timestamptz), CAST(:id AS uuid))', {
        at: options.after.createdAt,
        id: options.after.id,
      });
    return qb.getMany();
  }
}
