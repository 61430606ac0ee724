import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CursorCodec, type Page } from '../../common/pagination/cursor-codec.js';
import { type Keyset, keysetPage } from '../../database/keyset-page.js';
import { preparedRead, type Tx } from '../../database/transaction.js';
import { CreditRecordEntity } from './credit-record.entity.js';
import type { CreditRecordsFilter } from './credit.types.js';

/**
 * PLAT-03 "in force" as SQL, on alias `r` and parameter `:now`; the same rule as `isInForce` in
 * credit.policy.ts (the e2e spec checks that the list filter and the market-access check agree).
 */
const IN_FORCE_SQL =
  'r.liftedAt IS NULL AND r.effectiveFrom <= :now AND (r.effectiveUntil IS NULL OR r.effectiveUntil > :now)';

const CREDIT_RECORDS: Keyset = {
  list: 'credit-records',
  key: 'r.created_at',
  keyKind: 'timestamptz',
  id: 'r.id',
  idKind: 'uuid',
  direction: 'DESC',
};

@Injectable()
export class CreditRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: CursorCodec,
  ) {}

  private m(tx?: Tx) {
    return tx ?? this.dataSource.manager;
  }

  async insert(record: CreditRecordEntity, tx: Tx): Promise<void> {
    await tx.insert(CreditRecordEntity, record);
  }

  /** Locks the record for lifting, so two admins cannot lift it twice. */
  lockForLift(id: string, tx: Tx): Promise<CreditRecordEntity | null> {
    return tx.findOne(CreditRecordEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Sets only the lift columns: the table's trigger refuses any other change. */
  async markLifted(
    id: string,
    lift: { liftedAt: Date; liftedBy: string; liftReason: string },
    tx: Tx,
  ): Promise<void> {
    await tx.update(CreditRecordEntity, { id }, lift);
  }

  /** The user's BLOCKING records in force at `now`, oldest effective first. */
  /** Whether any BLOCKING record is in force (the pledge path's prepared check, PLAT-03). */
  async anyBlockingInForce(userId: string, now: Date): Promise<boolean> {
    const rows = await preparedRead<{ blocked: boolean }>(
      this.dataSource,
      'credit-any-blocking',
      `SELECT EXISTS (
         SELECT 1 FROM credit_records WHERE user_id = $1 AND severity = 'BLOCKING' AND lifted_at IS NULL
           AND effective_from <= $2 AND (effective_until IS NULL OR effective_until > $2)) AS blocked`,
      [userId, now],
    );
    return rows[0].blocked;
  }

  blockingInForce(userId: string, now: Date, tx?: Tx): Promise<CreditRecordEntity[]> {
    return this.m(tx)
      .createQueryBuilder(CreditRecordEntity, 'r')
      .where('r.userId = :userId', { userId })
      .andWhere(`r.severity = 'BLOCKING'`)
      .andWhere(IN_FORCE_SQL, { now })
      .orderBy('r.effectiveFrom', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .getMany();
  }

  /** Newest first; `active` is judged at `now`. */
  /** Newest first, in cursor pages (indexes credit_records_created_idx, credit_records_user_idx). */
  list<T>(
    filter: CreditRecordsFilter,
    page: { cursor?: string; limit: number },
    now: Date,
    view: (r: CreditRecordEntity) => T,
  ): Promise<Page<T>> {
    const query = this.m().createQueryBuilder(CreditRecordEntity, 'r');
    if (filter.userId !== undefined)
      query.andWhere('r.userId = :userId', { userId: filter.userId });
    if (filter.active === true) query.andWhere(IN_FORCE_SQL, { now });
    if (filter.active === false) query.andWhere(`NOT (${IN_FORCE_SQL})`, { now });
    return keysetPage(this.cursors, query, CREDIT_RECORDS, page, view);
  }

  /** Of these users, those with a BLOCKING record in force now, each with one such record. */
  async blockingAmong(
    userIds: readonly string[],
    now: Date,
  ): Promise<{ userId: string; id: string; kind: CreditRecordEntity['kind'] }[]> {
    if (userIds.length === 0) return [];
    return this.dataSource
      .createQueryBuilder(CreditRecordEntity, 'r')
      .select(['r.userId', 'r.id', 'r.kind'])
      .distinctOn(['r.userId'])
      .where('r.userId IN (:...userIds)', { userIds: [...userIds] })
      .andWhere(`r.severity = 'BLOCKING'`)
      .andWhere(IN_FORCE_SQL, { now })
      .orderBy('r.userId')
      .addOrderBy('r.effectiveFrom', 'ASC')
      .getMany();
  }
}
