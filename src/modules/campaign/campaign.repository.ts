import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { preparedRead, type Tx } from '../../database/transaction.js';
import {
  CampaignEntity,
  CampaignTransitionEntity,
  CampaignUpdateEntity,
  CharityQualificationEntity,
  RewardTierEntity,
} from './campaign.entities.js';
import type { CampaignStatus } from './campaign.state.js';
import type { CampaignKind } from './campaign.types.js';

export interface CampaignListFilter {
  statuses: readonly CampaignStatus[];
  kind?: CampaignKind;
  founderId?: string;
  /** Hide PRIVATE offerings (viewer not qualified). */
  publicOnly: boolean;
  excludeKinds: readonly CampaignKind[];
  offset: number;
  limit: number;
}

@Injectable()
export class CampaignRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(tx?: Tx) {
    return tx ?? this.dataSource.manager;
  }

  async insert(campaign: CampaignEntity, tiers: RewardTierEntity[], tx: Tx): Promise<void> {
    await tx.insert(CampaignEntity, campaign);
    if (tiers.length > 0) await tx.insert(RewardTierEntity, tiers);
  }

  find(id: string, tx?: Tx): Promise<CampaignEntity | null> {
    return this.m(tx).findOne(CampaignEntity, { where: { id } });
  }

  /**
   * The same row as `find`, read as a prepared statement (the pledge's admission reads it on
   * every pledge; a prepared statement is planned once per connection).
   */
  async findPrepared(id: string): Promise<CampaignEntity | null> {
    const rows = await preparedRead<CampaignEntity>(
      this.dataSource,
      'campaign-find',
      `SELECT id, founder_id AS "founderId", kind, offering, funding_model AS "fundingModel", title,
              summary, currency, target_amount AS "targetAmount", max_amount AS "maxAmount",
              min_pledge AS "minPledge", max_pledge AS "maxPledge", unit_price AS "unitPrice",
              deadline, risk_rating AS "riskRating", investor_cap AS "investorCap",
              fee_rate AS "feeRate", status, committed, investor_count AS "investorCount",
              rejection_reason AS "rejectionReason", created_at AS "createdAt",
              updated_at AS "updatedAt", published_at AS "publishedAt"
       FROM campaigns WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Row-locks the campaign for a state change, so two transitions never interleave. */
  lock(id: string, tx: Tx): Promise<CampaignEntity | null> {
    return tx.findOne(CampaignEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async save(campaign: CampaignEntity, tx: Tx): Promise<void> {
    await tx.save(CampaignEntity, campaign);
  }

  async replaceTiers(campaignId: string, tiers: RewardTierEntity[], tx: Tx): Promise<void> {
    await tx.delete(RewardTierEntity, { campaignId });
    if (tiers.length > 0) await tx.insert(RewardTierEntity, tiers);
  }

  tiers(campaignId: string, tx?: Tx): Promise<RewardTierEntity[]> {
    return this.m(tx).find(RewardTierEntity, { where: { campaignId }, order: { position: 'ASC' } });
  }

  async recordTransition(
    transition: Omit<CampaignTransitionEntity, 'id' | 'campaign'>,
    tx: Tx,
  ): Promise<void> {
    await tx.insert(CampaignTransitionEntity, transition);
  }

  transitions(campaignId: string): Promise<CampaignTransitionEntity[]> {
    return this.m().find(CampaignTransitionEntity, { where: { campaignId }, order: { id: 'ASC' } });
  }

  async list(filter: CampaignListFilter): Promise<{ items: CampaignEntity[]; total: number }> {
    const qb = this.m()
      .createQueryBuilder(CampaignEntity, 'c')
      .where({ status: In([...filter.statuses]) })
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'ASC')
      .skip(filter.offset)
      .take(filter.limit);
    if (filter.kind) qb.andWhere('c.kind = :kind', { kind: filter.kind });
    if (filter.founderId) qb.andWhere('c.founder_id = :founderId', { founderId: filter.founderId });
    if (filter.publicOnly) qb.andWhere(`(c.offering IS NULL OR c.offering <> 'PRIVATE')`);
    if (filter.excludeKinds.length > 0)
      qb.andWhere('c.kind NOT IN (:...excluded)', { excluded: [...filter.excludeKinds] });
    const [items, total] = await qb.getManyAndCount();
    return { items, total };
  }

  async insertUpdate(update: CampaignUpdateEntity, tx: Tx): Promise<void> {
    await tx.insert(CampaignUpdateEntity, update);
  }

  updates(campaignId: string): Promise<CampaignUpdateEntity[]> {
    return this.m().find(CampaignUpdateEntity, {
      where: { campaignId },
      order: { createdAt: 'DESC' },
    });
  }

  findCharity(userId: string, tx?: Tx): Promise<CharityQualificationEntity | null> {
    return this.m(tx).findOne(CharityQualificationEntity, { where: { userId } });
  }

  async saveCharity(charity: CharityQualificationEntity, tx: Tx): Promise<void> {
    await tx.upsert(CharityQualificationEntity, charity, ['userId']);
  }
}
