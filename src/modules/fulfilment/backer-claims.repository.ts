import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CursorCodec, type Page } from '../../common/pagination/cursor-codec.js';
import { type Keyset, keysetSql, type PageRequest, pageFrom } from '../../database/keyset-page.js';
import type { Tx } from '../../database/transaction.js';

/** FINANCE's claims list: oldest first, by when the refund was asked, then the pledge. */
const CLAIMS: Keyset = {
  list: 'finance-claims',
  key: 'requested_at',
  keyKind: 'timestamptz',
  id: 'pledge_id',
  idKind: 'uuid',
  direction: 'ASC',
};

export interface ClaimRow {
  pledgeId: string;
  campaignId: string;
  investorId: string;
  founderId: string;
  currency: string;
  shortfall: string;
  claimPaid: string;
  requestedAt: Date;
  claimSettledAt: Date | null;
}

const CLAIM = `pledge_id AS "pledgeId", campaign_id AS "campaignId", investor_id AS "investorId",
  founder_id AS "founderId", currency, shortfall::text AS shortfall, claim_paid::text AS "claimPaid",
  requested_at AS "requestedAt", claim_settled_at AS "claimSettledAt"`;

/**
 * Backers' claims (RW-03): the claim columns of `late_delivery_refunds` (migration
 * 1765900000000), a claim being a refund with a shortfall. Fulfilment owns the table.
 */
@Injectable()
export class BackerClaimsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: CursorCodec,
  ) {}

  private m(tx?: Tx): EntityManager {
    return tx ?? this.dataSource.manager;
  }

  /** The founder's open claims, oldest first, row-locked for payment. */
  lockOpen(founderId: string, tx: Tx): Promise<ClaimRow[]> {
    return tx.query(
      `SELECT ${CLAIM} FROM late_delivery_refunds
        WHERE founder_id = $1 AND claim_paid < shortfall
        ORDER BY requested_at, pledge_id FOR UPDATE`,
      [founderId],
    );
  }

  async hasOpen(founderId: string): Promise<boolean> {
    const rows: unknown[] = await this.m().query(
      `SELECT 1 FROM late_delivery_refunds WHERE founder_id = $1 AND claim_paid < shortfall LIMIT 1`,
      [founderId],
    );
    return rows.length > 0;
  }

  /** Records what is now paid of the claim; settled when it is the whole shortfall. */
  async markPaid(pledgeId: string, paid: string, now: Date, tx: Tx): Promise<void> {
    await tx.query(
      `UPDATE late_delivery_refunds
          SET claim_paid = $2::numeric,
              claim_settled_at = CASE WHEN $2::numeric = shortfall THEN $3::timestamptz END
        WHERE pledge_id = $1`,
      [pledgeId, paid, now],
    );
  }

  async owed(founderId: string, tx?: Tx): Promise<string> {
    const rows: { owed: string }[] = await this.m(tx).query(
      `SELECT COALESCE(sum(shortfall - claim_paid), 0)::text AS owed
         FROM late_delivery_refunds WHERE founder_id = $1 AND claim_paid < shortfall`,
      [founderId],
    );
    return rows[0]?.owed ?? '0';
  }

  async paidFor(campaignId: string, tx?: Tx): Promise<string> {
    const rows: { paid: string }[] = await this.m(tx).query(
      `SELECT COALESCE(sum(claim_paid), 0)::text AS paid FROM late_delivery_refunds WHERE campaign_id = $1`,
      [campaignId],
    );
    return rows[0]?.paid ?? '0';
  }

  /** Claims by state, oldest first, after the keyset position. */
  /** One cursor page of claims by status, oldest first (keyset `(requested_at, pledge_id)`). */
  async page(status: 'OPEN' | 'PAID' | undefined, page: PageRequest): Promise<Page<ClaimRow>> {
    const params: unknown[] = [status ?? null];
    const sql = keysetSql(this.cursors, CLAIMS, page.cursor, (v) => {
      params.push(v);
      return `$${params.length}`;
    });
    const rows: (ClaimRow & { keyset_key: string; keyset_id: string })[] = await this.m().query(
      `SELECT ${CLAIM}, ${sql.keyText} AS keyset_key, ${sql.idText} AS keyset_id
         FROM late_delivery_refunds
        WHERE shortfall > 0
          AND ($1::text IS NULL OR ($1 = 'OPEN') = (claim_paid < shortfall))
          ${sql.where ? `AND ${sql.where}` : ''}
        ORDER BY ${sql.orderBy} LIMIT ${page.limit + 1}`,
      params,
    );
    return pageFrom(
      this.cursors,
      CLAIMS,
      rows,
      page.limit,
      ({ keyset_key: _k, keyset_id: _i, ...row }) => row,
    );
  }
}
