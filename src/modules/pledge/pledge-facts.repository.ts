import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '../../database/transaction.js';
import type { PledgeStatus } from './pledge.state.js';

/** What the modules above pledge (fulfilment, charity) may know of a pledge: no evidence. */
export interface PledgeFacts {
  id: string;
  campaignId: string;
  investorId: string;
  amount: string;
  currency: string;
  rewardTierId: string | null;
  status: PledgeStatus;
  createdAt: Date;
  endedAt: Date | null;
}

const COLUMNS = `id, campaign_id AS "campaignId", investor_id AS "investorId", amount::text AS amount,
  currency, reward_tier_id AS "rewardTierId", status, created_at AS "createdAt", ended_at AS "endedAt"`;

/** Plain reads of pledges for the modules above (DESIGN §2: they never read the table themselves). */
@Injectable()
export class PledgeFactsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(id: string, tx?: Tx): Promise<PledgeFacts | null> {
    const rows: PledgeFacts[] = await (tx ?? this.dataSource.manager).query(
      `SELECT ${COLUMNS} FROM pledges WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** A campaign's SETTLED pledges in the order they were placed. */
  settledOf(campaignId: string, tx?: Tx): Promise<PledgeFacts[]> {
    return (tx ?? this.dataSource.manager).query(
      `SELECT ${COLUMNS} FROM pledges WHERE campaign_id = $1 AND status = 'SETTLED'
       ORDER BY created_at, id`,
      [campaignId],
    );
  }
}
