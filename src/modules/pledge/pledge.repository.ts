import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { preparedQuery, returnedRows, type Tx } from '../../database/transaction.js';
import { type NewTransfer, translateWriteError } from '../escrow-ledger/ledger.repository.js';
import {
  ConfirmationCallEntity,
  LIVE_PLEDGE_STATUSES,
  PledgeEntity,
  type PledgeEvidence,
} from './pledge.entity.js';

/** INV-9: the pledges that count toward an investor's rolling limit (all but ended-with-refund). */
const COUNTS_TOWARD_LIMIT = `status NOT IN ('CANCELLED', 'REFUNDED')`;

/**
 * The pledge path's SQL. The counters it moves (campaign committed and investor count, tier
 * claimed) carry CHECK constraints as well (INV-7): a bug here cannot oversubscribe.
 */
/** The advisory lock that serialises one investor's pledges (INV-9) and their ends (INV-7). */
export const investorPledgeLock = (investorId: string): string => `pledge-investor:${investorId}`;

@Injectable()
export class PledgeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(tx?: Tx) {
    return tx ?? this.dataSource.manager;
  }

  /**
   * The pledge row under INV-9, in one statement (DESIGN §10). Runs after the investor's lock was
   * taken (with the idempotency claim), so the sum sees every pledge of theirs committed before:
   * the rolling-12-month commitments so far, whether they already hold a live pledge on this
   * campaign, and the insert, made only while the new total stays within `limit` (null: none).
   * The audit event is written in the same statement. `evidence.usedBefore` is filled in here.
   */
  async insertWithinLimit(
    pledge: Omit<PledgeEntity, 'evidence'> & { evidence: Omit<PledgeEvidence, 'usedBefore'> },
    input: { since: Date; limit: string | null; auditDetails: Record<string, unknown> },
    tx: Tx,
  ): Promise<{ usedBefore: string; newInvestor: boolean; inserted: boolean }> {
    const rows = await preparedQuery<{ used: string; held: boolean; inserted: number }>(
      tx,
      'pledge-insert-within-limit',
      `WITH used AS (
         SELECT coalesce(sum(amount), 0)::numeric(20,2) AS total FROM pledges
         WHERE investor_id = $3 AND created_at >= $13 AND ${COUNTS_TOWARD_LIMIT}),
       live AS (
         SELECT EXISTS (SELECT 1 FROM pledges WHERE campaign_id = $2 AND investor_id = $3 AND status = ANY($15)) AS held),
       inserted AS (
         INSERT INTO pledges (id, campaign_id, investor_id, amount, currency, reward_tier_id, status,
           hold_transfer_id, cooling_off_ends_at, confirmation_required, evidence, created_at, updated_at)
         SELECT $1, $2, $3, $4::numeric, $5, $6, $7, $8, $9, $10,
           $11::jsonb || jsonb_build_object('usedBefore', used.total::text), $12, $12
         FROM used WHERE $14::numeric IS NULL OR used.total + $4::numeric <= $14::numeric
         RETURNING id, evidence),
       audited AS (
         INSERT INTO audit_events (occurred_at, actor_id, action, subject_type, subject_id, details)
         SELECT $12, $3, 'pledge.placed', 'pledge', inserted.id::text,
           $16::jsonb || jsonb_build_object('evidence', inserted.evidence)
         FROM inserted RETURNING 1)
       SELECT used.total::text AS used, live.held, (SELECT count(*) FROM inserted)::int AS inserted
       FROM used, live`,
      [
        pledge.id,
        pledge.campaignId,
        pledge.investorId,
        pledge.amount,
        pledge.currency,
        pledge.rewardTierId,
        pledge.status,
        pledge.holdTransferId,
        pledge.coolingOffEndsAt,
        pledge.confirmationRequired,
        JSON.stringify(pledge.evidence),
        pledge.createdAt,
        input.since,
        input.limit,
        [...LIVE_PLEDGE_STATUSES],
        JSON.stringify(input.auditDetails),
      ],
    );
    const r = rows[0];
    return { usedBefore: r.used, newInvestor: !r.held, inserted: r.inserted === 1 };
  }

  /**
   * The locked section of a pledge in one round trip (DESIGN §10): the wallet and escrow accounts
   * locked first (the order every ledger write takes them in, so cancellations cannot deadlock with
   * it), then the hot rows, the campaign's counters (only while it is LIVE, before its deadline,
   * under its hard cap and its investor cap) and the tier's stock, then the hold itself, prepared
   * by the ledger (LedgerService.prepareHold), written only when both claims held. The ledger's
   * statement trigger moves the account counters at the end of this statement and enforces INV-5
   * (LEDGER.INSUFFICIENT_FUNDS); the counters' CHECKs enforce INV-7. Says which claims held; the
   * caller rolls back unless all did.
   */
  async holdAndClaim(
    hold: NewTransfer,
    claim: {
      campaignId: string;
      amount: string;
      newInvestor: boolean;
      rewardTierId: string | null;
      now: Date;
    },
    tx: Tx,
  ): Promise<{ campaign: boolean; tier: boolean; held: boolean }> {
    try {
      const rows = await preparedQuery<{ campaign: number; tier: number; held: number }>(
        tx,
        'pledge-hold-and-claim',
        `WITH accounts AS (
           SELECT id FROM ledger_accounts WHERE id IN ($6, $7) ORDER BY id FOR NO KEY UPDATE),
         campaign AS (
           UPDATE campaigns SET committed = committed + $2::numeric, investor_count = investor_count + $3, updated_at = $4
           WHERE id = $1 AND status = 'LIVE' AND deadline > $4 AND committed + $2::numeric <= max_amount
             AND (investor_cap IS NULL OR investor_count + $3 <= investor_cap)
             AND (SELECT count(*) FROM accounts) = 2
           RETURNING 1),
         tier AS (
           UPDATE reward_tiers SET claimed = claimed + 1
           WHERE $5::uuid IS NOT NULL AND id = $5::uuid AND campaign_id = $1 AND claimed < stock
             AND EXISTS (SELECT 1 FROM campaign)
           RETURNING 1),
         held AS (
           INSERT INTO ledger_transfers
             (id, kind, status, debit_account_id, credit_account_id, amount, currency, pending_id, reference, created_at)
           SELECT $8, $9, $10, $6, $7, $11::numeric, $12, NULL, $13, $14
           WHERE EXISTS (SELECT 1 FROM campaign) AND ($5::uuid IS NULL OR EXISTS (SELECT 1 FROM tier))
           RETURNING 1)
         SELECT (SELECT count(*) FROM campaign)::int AS campaign, (SELECT count(*) FROM tier)::int AS tier,
                (SELECT count(*) FROM held)::int AS held`,
        [
          claim.campaignId,
          claim.amount,
          claim.newInvestor ? 1 : 0,
          claim.now,
          claim.rewardTierId,
          hold.debitAccountId,
          hold.creditAccountId,
          hold.id,
          hold.kind,
          hold.status,
          hold.amount,
          hold.currency,
          hold.reference,
          hold.createdAt,
        ],
      );
      return {
        campaign: rows[0].campaign === 1,
        tier: claim.rewardTierId === null || rows[0].tier === 1,
        held: rows[0].held === 1,
      };
    } catch (error) {
      throw translateWriteError(error, [hold]);
    }
  }

  /** Commitments that count toward the rolling limit: every pledge not cancelled or refunded. */
  async committedSince(investorId: string, since: Date, tx?: Tx): Promise<string> {
    const rows: { total: string }[] = await this.m(tx).query(
      `SELECT coalesce(sum(amount), 0)::numeric(20,2)::text AS total FROM pledges
       WHERE investor_id = $1 AND created_at >= $2 AND ${COUNTS_TOWARD_LIMIT}`,
      [investorId, since],
    );
    return rows[0].total;
  }

  /**
   * Takes each investor's pledge lock (the one a pledge takes with its key, `investorPledgeLock`),
   * in id order so that two takers cannot deadlock. Whatever ends a pledge on a LIVE campaign takes
   * it before touching any money, so its `releaseCounters` runs after any pledge of theirs placed
   * meanwhile has committed, and that pledge saw this one ended: without it, a cancel racing a new
   * pledge of the same investor on the same campaign left the investor count one short (INV-7).
   */
  async lockInvestors(investorIds: readonly string[], tx: Tx): Promise<void> {
    const keys = [...new Set(investorIds)].sort().map(investorPledgeLock);
    if (keys.length === 0) return;
    await tx.query(
      `SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0)))::int AS locked FROM unnest($1::text[]) AS k`,
      [keys],
    );
  }

  /**
   * Gives back the counters of pledges that have just ended (their status already terminal, in this
   * transaction), set-based: committed by their sums, investor count by the investors left with no
   * live pledge on the campaign, tier stock by their count.
   */
  async releaseCounters(endedPledgeIds: readonly string[], now: Date, tx: Tx): Promise<void> {
    if (endedPledgeIds.length === 0) return;
    await tx.query(
      `WITH gone AS (
         SELECT campaign_id, investor_id, amount, reward_tier_id FROM pledges WHERE id = ANY($1)),
       left_investors AS (
         SELECT g.campaign_id, count(DISTINCT g.investor_id) AS n FROM gone g
         WHERE NOT EXISTS (SELECT 1 FROM pledges p WHERE p.campaign_id = g.campaign_id
                           AND p.investor_id = g.investor_id AND p.status = ANY($3))
         GROUP BY g.campaign_id),
       sums AS (
         SELECT g.campaign_id, sum(g.amount) AS total, coalesce(max(l.n), 0) AS investors
         FROM gone g LEFT JOIN left_investors l ON l.campaign_id = g.campaign_id GROUP BY g.campaign_id),
       campaigns_released AS (
         UPDATE campaigns c SET committed = c.committed - s.total, investor_count = c.investor_count - s.investors, updated_at = $2
         FROM sums s WHERE c.id = s.campaign_id RETURNING c.id),
       tiers_released AS (
         UPDATE reward_tiers t SET claimed = t.claimed - g.n
         FROM (SELECT reward_tier_id, count(*) AS n FROM gone WHERE reward_tier_id IS NOT NULL GROUP BY reward_tier_id) g
         WHERE t.id = g.reward_tier_id RETURNING t.id)
       SELECT (SELECT count(*) FROM campaigns_released) AS campaigns, (SELECT count(*) FROM tiers_released) AS tiers`,
      [[...endedPledgeIds], now, [...LIVE_PLEDGE_STATUSES]],
    );
  }

  find(id: string, tx?: Tx): Promise<PledgeEntity | null> {
    return this.m(tx).findOne(PledgeEntity, { where: { id } });
  }

  lock(id: string, tx: Tx): Promise<PledgeEntity | null> {
    return tx.findOne(PledgeEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async save(pledge: PledgeEntity, tx: Tx): Promise<void> {
    await tx.save(PledgeEntity, pledge);
  }

  listForInvestor(investorId: string, limit: number): Promise<PledgeEntity[]> {
    return this.m().find(PledgeEntity, {
      where: { investorId },
      order: { createdAt: 'DESC' },
      take: limit,
    });
  }

  liveForCampaign(campaignId: string, tx?: Tx): Promise<PledgeEntity[]> {
    return this.m(tx).find(PledgeEntity, {
      where: { campaignId, status: In([...LIVE_PLEDGE_STATUSES]) },
    });
  }

  async insertCall(call: ConfirmationCallEntity, tx: Tx): Promise<void> {
    await tx.insert(ConfirmationCallEntity, call);
  }

  calls(pledgeId: string): Promise<ConfirmationCallEntity[]> {
    return this.m().find(ConfirmationCallEntity, {
      where: { pledgeId },
      order: { calledAt: 'ASC' },
    });
  }

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
   * A material change: every live pledge of the campaign placed up to its publication waits for
   * reconfirmation until `by` (pledges placed later acknowledged the new version to be placed).
   */
  async markForReconfirmation(
    campaignId: string,
    publishedAt: Date,
    by: Date,
    now: Date,
    tx: Tx,
  ): Promise<number> {
    const rows = returnedRows<{ id: string }>(
      await tx.query(
        `UPDATE pledges SET resume_status = status, status = 'AWAITING_RECONFIRMATION', reconfirm_by = $2, updated_at = $3
         WHERE campaign_id = $1 AND status IN ('COOLING_OFF', 'AWAITING_CONFIRMATION', 'ACTIVE')
           AND created_at <= $4
         RETURNING id`,
        [campaignId, by, now, publishedAt],
      ),
    );
    return rows.length;
  }

  /** Pledges whose reconfirmation window ran out, locked for cancellation. */
  lockExpiredReconfirmations(now: Date, limit: number, tx: Tx): Promise<PledgeEntity[]> {
    return tx
      .createQueryBuilder(PledgeEntity, 'p')
      .where(`p.status = 'AWAITING_RECONFIRMATION' AND p.reconfirm_by <= :now`, { now })
      .orderBy('p.reconfirm_by', 'ASC')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }
}
