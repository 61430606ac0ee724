import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CursorCodec, type Page } from '../../common/pagination/cursor-codec.js';
import { type Keyset, keysetPage, type PageRequest } from '../../database/keyset-page.js';
import { type Tx, uniqueViolationConstraint } from '../../database/transaction.js';
import { PayoutEntity } from './payout.entity.js';
import { PayoutAlreadyRequestedError } from './payouts.errors.js';

/** What a FINANCE decision changes on a REQUESTED payout. */
export type PayoutDecision =
  | { status: 'APPROVED'; decidedBy: string; decidedAt: Date; holdTransferId: string }
  | { status: 'REJECTED'; decidedBy: string; decidedAt: Date; reason: string };

/**
 * The `payouts` table (settlement owns it, migration 1764830000000). The table's CHECKs hold the
 * decision's shape and maker-checker; the partial unique index on campaign_id is the arbiter of
 * "one REQUESTED payout per campaign at a time" under concurrency (a campaign is paid in rounds:
 * the released holdback after the rest).
 */
/** The approval queue's keyset (issue 16): oldest request first, the id breaking ties. */
const BY_REQUEST: Keyset = {
  list: 'payouts',
  key: 'p.requested_at',
  keyKind: 'timestamptz',
  id: 'p.id',
  idKind: 'uuid',
  direction: 'ASC',
};

@Injectable()
export class PayoutsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: CursorCodec,
  ) {}

  async insert(payout: PayoutEntity, tx: Tx): Promise<void> {
    try {
      await tx.insert(PayoutEntity, payout);
    } catch (error) {
      if (uniqueViolationConstraint(error) === 'payouts_campaign_id_requested_key')
        throw new PayoutAlreadyRequestedError();
      throw error;
    }
  }

  find(id: string): Promise<PayoutEntity | null> {
    return this.dataSource.manager.findOne(PayoutEntity, { where: { id } });
  }

  /** Every payout of a campaign, oldest first. */
  ofCampaign(campaignId: string, tx: Tx): Promise<PayoutEntity[]> {
    return tx.find(PayoutEntity, {
      where: { campaignId },
      order: { requestedAt: 'ASC', id: 'ASC' },
    });
  }

  /** What the founder's REQUESTED payouts ask for (not yet a hold on the payable). */
  async requestedTotal(founderId: string, tx: Tx): Promise<string> {
    const rows: { total: string }[] = await tx.query(
      `SELECT COALESCE(sum(amount), 0)::text AS total FROM payouts WHERE founder_id = $1 AND status = 'REQUESTED'`,
      [founderId],
    );
    return rows[0]?.total ?? '0';
  }

  /** Payouts in one decision state, oldest request first (the approval queue). */
  listByStatus(status: PayoutEntity['status'], page: PageRequest): Promise<Page<PayoutEntity>> {
    const qb = this.dataSource.manager
      .createQueryBuilder(PayoutEntity, 'p')
      .where('p.status = :status', { status });
    return keysetPage(this.cursors, qb, BY_REQUEST, page, (p) => p);
  }

  /** Row-locks the payout for a decision, so two FINANCE users never both decide it. */
  lockForDecision(id: string, tx: Tx): Promise<PayoutEntity | null> {
    return tx.findOne(PayoutEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Records the decision on a payout the caller locked; returns the payout as now stored. */
  async decide(payout: PayoutEntity, decision: PayoutDecision, tx: Tx): Promise<PayoutEntity> {
    const decided: PayoutEntity = { ...payout, ...decision };
    const result = await tx.update(
      PayoutEntity,
      { id: payout.id, status: 'REQUESTED' },
      {
        status: decided.status,
        decidedBy: decided.decidedBy,
        decidedAt: decided.decidedAt,
        reason: decided.reason,
        holdTransferId: decided.holdTransferId,
      },
    );
    // The caller holds the row lock and saw REQUESTED: anything else is a bug, never a 4xx.
    if (result.affected !== 1) throw new Error(`payout ${payout.id} was not REQUESTED any more`);
    return decided;
  }
}
