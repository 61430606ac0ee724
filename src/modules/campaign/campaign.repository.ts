import type { PledgeCampaign } from './campaign-queries.service.js';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CursorCodec, type Page } from '../../common/pagination/cursor-codec.js';
import { type Keyset, keysetPage } from '../../database/keyset-page.js';
import { preparedRead, type Tx } from '../../database/transaction.js';
import {
  CampaignEntity,
  CampaignTransitionEntity,
  CampaignUpdateEntity,
  CharityQualificationEntity,
  RewardTierEntity,
} from './campaign.entities.js';
import type { CampaignStatus } from './campaign.state.js';

const TRANSITIONS: Keyset = {
  list: 'campaign-transitions',
  key: 't.id',
  keyKind: 'bigint',
  id: 't.id',
  idKind: 'bigint',
  direction: 'ASC',
};
const UPDATES: Keyset = {
  list: 'campaign-updates',
  key: 'u.created_at',
  keyKind: 'timestamptz',
  id: 'u.id',
  idKind: 'uuid',
  direction: 'DESC',
};

@Injectable()
export class CampaignRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: CursorCodec,
  ) {}

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

  /** The founder's DEBT campaigns, other than `exceptId`, in one of `statuses`. */
  debtCampaignsOf(
    founderId: string,
    exceptId: string,
    statuses: readonly CampaignStatus[],
    tx: Tx,
  ): Promise<CampaignEntity[]> {
    return tx
      .createQueryBuilder(CampaignEntity, 'c')
      .where('c.founderId = :founderId AND c.kind = :kind AND c.id <> :exceptId', {
        founderId,
        kind: 'DEBT',
        exceptId,
      })
      .andWhere('c.status IN (:...statuses)', { statuses })
      .orderBy('c.id')
      .getMany();
  }

  /**
   * The same row as `find`, read as a prepared statement (the pledge's admission reads it on
   * every pledge; a prepared statement is planned once per connection).
   */
  async findForPledge(id: string): Promise<PledgeCampaign | null> {
    const rows = await preparedRead<PledgeCampaign>(
      this.dataSource,
      'campaign-find-for-pledge',
      `SELECT id, kind, offering, title, currency, target_amount AS "targetAmount",
              min_pledge AS "minPledge", max_pledge AS "maxPledge", unit_price AS "unitPrice",
              deadline, risk_rating AS "riskRating", status
       FROM campaigns WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Row-locks the campaign for a state change, so two transitions never interleave. */
  lock(id: string, tx: Tx): Promise<CampaignEntity | null> {
    return tx.findOne(CampaignEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Writes a draft's terms; never its status (that is `changeStatus`'s alone). */
  async saveTerms(campaign: CampaignEntity, tx: Tx): Promise<void> {
    const { status: _status, committed: _c, investorCount: _n, ...terms } = campaign;
    await tx.update(CampaignEntity, { id: campaign.id }, terms);
  }

  /**
   * The one status write: `from` -> `to` only while the row is still in `from` (the caller took
   * `to` from campaign.state.ts), with the columns the transition sets. False when the row moved.
   */
  async changeStatus(
    id: string,
    from: CampaignStatus,
    to: CampaignStatus,
    now: Date,
    fields: Partial<
      Pick<CampaignEntity, 'riskRating' | 'ratingReason' | 'publishedAt' | 'rejectionReason'>
    >,
    tx: Tx,
  ): Promise<boolean> {
    const result = await tx
      .createQueryBuilder()
      .update(CampaignEntity)
      .set({ ...fields, status: to, updatedAt: now })
      .where('id = :id AND status = :from', { id, from })
      .execute();
    return result.affected === 1;
  }

  /** Locks the campaign if no other sweeper holds it and it is still in `status`. */
  lockForSweep(id: string, status: CampaignStatus, tx: Tx): Promise<CampaignEntity | null> {
    return this.sweepRow(id, status, 'pessimistic_write', tx);
  }

  /**
   * FOR SHARE, SKIP LOCKED, still in `status`: settlement's batches of one campaign run side by
   * side under it, and it still keeps out every change of the campaign row (FOR UPDATE, UPDATE)
   * until they commit.
   */
  shareForSweep(id: string, status: CampaignStatus, tx: Tx): Promise<CampaignEntity | null> {
    return this.sweepRow(id, status, 'pessimistic_read', tx);
  }

  /** The campaign still in `status`, locked in `mode` (FOR UPDATE / FOR SHARE) SKIP LOCKED. */
  private sweepRow(
    id: string,
    status: CampaignStatus,
    mode: 'pessimistic_write' | 'pessimistic_read',
    tx: Tx,
  ): Promise<CampaignEntity | null> {
    return tx
      .createQueryBuilder(CampaignEntity, 'c')
      .where('c.id = :id AND c.status = :status', { id, status })
      .setLock(mode)
      .setOnLocked('skip_locked')
      .getOne();
  }

  /** Locks the campaign in whatever status unless another transaction holds it (SKIP LOCKED). */
  lockAnyForSweep(id: string, tx: Tx): Promise<CampaignEntity | null> {
    return tx
      .createQueryBuilder(CampaignEntity, 'c')
      .where('c.id = :id', { id })
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getOne();
  }

  /** Ids of campaigns in `status` (due by `dueBefore` when given), oldest deadline first. */
  async idsInStatus(
    status: CampaignStatus,
    dueBefore: Date | null,
    limit: number,
  ): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM campaigns WHERE status = $1 AND ($2::timestamptz IS NULL OR deadline <= $2)
       ORDER BY deadline LIMIT $3`,
      [status, dueBefore, limit],
    );
    return rows.map((r) => r.id);
  }

  /** The campaigns of these founders in `status`, locked (PLAT-03 suspension). */
  lockOfFounders(founderIds: readonly string[], status: CampaignStatus, tx: Tx) {
    if (founderIds.length === 0) return Promise.resolve([]);
    return tx
      .createQueryBuilder(CampaignEntity, 'c')
      .where('c.founder_id IN (:...founderIds) AND c.status = :status', {
        founderIds: [...founderIds],
        status,
      })
      .orderBy('c.id')
      .setLock('pessimistic_write')
      .getMany();
  }

  /** Distinct founders of campaigns in `status`. */
  async foundersInStatus(status: CampaignStatus): Promise<string[]> {
    const rows: { founder_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT founder_id FROM campaigns WHERE status = $1`,
      [status],
    );
    return rows.map((r) => r.founder_id);
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
    await tx.query(
      `INSERT INTO campaign_transitions (campaign_id, from_status, to_status, actor_id, reason, details, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        transition.campaignId,
        transition.fromStatus,
        transition.toStatus,
        transition.actorId,
        transition.reason,
        JSON.stringify(transition.details),
        transition.occurredAt,
      ],
    );
  }

  /** The transition log in the order it was written (index campaign_transitions_campaign_idx). */
  transitions<T>(
    campaignId: string,
    page: { cursor?: string; limit: number },
    view: (t: CampaignTransitionEntity) => T,
  ): Promise<Page<T>> {
    const qb = this.m()
      .createQueryBuilder(CampaignTransitionEntity, 't')
      .where('t.campaign_id = :campaignId', { campaignId });
    return keysetPage(this.cursors, qb, TRANSITIONS, page, view);
  }

  async insertUpdate(update: CampaignUpdateEntity, tx: Tx): Promise<void> {
    await tx.insert(CampaignUpdateEntity, update);
  }

  /** Progress updates, newest first (index campaign_updates_campaign_idx). */
  updates<T>(
    campaignId: string,
    page: { cursor?: string; limit: number },
    view: (u: CampaignUpdateEntity) => T,
  ): Promise<Page<T>> {
    const qb = this.m()
      .createQueryBuilder(CampaignUpdateEntity, 'u')
      .where('u.campaign_id = :campaignId', { campaignId });
    return keysetPage(this.cursors, qb, UPDATES, page, view);
  }

  findCharity(userId: string, tx?: Tx): Promise<CharityQualificationEntity | null> {
    return this.m(tx).findOne(CharityQualificationEntity, { where: { userId } });
  }

  async saveCharity(charity: CharityQualificationEntity, tx: Tx): Promise<void> {
    await tx.upsert(CharityQualificationEntity, charity, ['userId']);
  }
}
