import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CursorCodec, type Page } from '../../common/pagination/cursor-codec.js';
import { type Keyset, keysetPage } from '../../database/keyset-page.js';
import { preparedQuery, returnedRows, type Tx, type TxEnd } from '../../database/transaction.js';
import { type LockedSectionInput, lockedSectionStatement } from './pledge-locked-section.js';
import { PledgeEntity, type PledgeEvidence, PledgeEvidenceEntity } from './pledge.entity.js';
import {
  LIMIT_COUNTING_STATUSES,
  LIVE_PLEDGE_STATUSES,
  type PledgeStatus,
} from './pledge.state.js';

/** The advisory lock that serialises one investor's pledges (INV-9) and their ends (INV-7). */
export const investorPledgeLock = (investorId: string): string => `pledge-investor:${investorId}`;

const OWN_PLEDGES: Keyset = {
  list: 'pledges',
  key: 'p.created_at',
  keyKind: 'timestamptz',
  id: 'p.id',
  idKind: 'uuid',
  direction: 'DESC',
};

/** A pledge as the sweeps and batch endings need it. */
export const toDuePledge = (p: PledgeEntity): DuePledge => ({
  id: p.id,
  campaignId: p.campaignId,
  investorId: p.investorId,
  amount: p.amount,
  currency: p.currency,
  rewardTierId: p.rewardTierId,
  holdTransferId: p.holdTransferId,
  status: p.status,
});

export interface DuePledge {
  id: string;
  campaignId: string;
  investorId: string;
  amount: string;
  currency: string;
  rewardTierId: string | null;
  holdTransferId: string;
  status: PledgeStatus;
}

export interface DuePledgeRow {
  id: string;
  campaign_id: string;
  investor_id: string;
  amount: string;
  currency: string;
  reward_tier_id: string | null;
  hold_transfer_id: string;
  status: PledgeStatus;
}

export const DUE_COLUMNS = `id, campaign_id, investor_id, amount::text AS amount, currency, reward_tier_id, hold_transfer_id, status`;

export const toDue = (r: DuePledgeRow): DuePledge => ({
  id: r.id,
  campaignId: r.campaign_id,
  investorId: r.investor_id,
  amount: r.amount,
  currency: r.currency,
  rewardTierId: r.reward_tier_id,
  holdTransferId: r.hold_transfer_id,
  status: r.status,
});

/**
 * The pledge module's SQL (it owns `pledges`, `confirmation_calls` and
 * `material_change_applications`). Other tables change only through their owners' functions:
 * `pledge_hold_and_claim` (composed of the ledger's and the campaign's), `campaign_release`,
 * `campaign_release_tiers`, `audit_append` and `notifications_enqueue`. Statuses are written only by `transition` and the
 * sweeps' set-based updates (settlement's: `PledgeBatchesRepository.moveOldestPostingHolds`), always `WHERE status = ANY(from)` with targets from pledge.state.ts.
 */
@Injectable()
export class PledgeRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: CursorCodec,
  ) {}

  private m(tx?: Tx) {
    return tx ?? this.dataSource.manager;
  }

  /**
   * The pledge row under INV-9, in one statement (DESIGN §10). Runs after the investor's lock was
   * taken (with the idempotency claim), so the sum sees every pledge of theirs committed before:
   * the rolling commitments so far (financial pledges in LIMIT_COUNTING_STATUSES), whether they
   * already hold a live pledge on this campaign, and the insert, made only while the new total stays
   * within `limit` (null: none), with its evidence row (`pledge_evidence`, the figure `usedBefore`
   * added). The audit event and the pledge's notices (`notices`: the rows of
   * `notifications_enqueue`, NoticeSink.encode) are written in the same statement, only when the
   * pledge is.
   */
  async insertWithinLimit(
    pledge: PledgeEntity & { evidence: Omit<PledgeEvidence, 'usedBefore'> },
    input: {
      since: Date;
      limit: string | null;
      auditDetails: Record<string, unknown>;
      notices: string;
    },
    tx: Tx,
  ): Promise<{ usedBefore: string; newInvestor: boolean; inserted: boolean }> {
    const rows = await preparedQuery<{ used: string; held: boolean; inserted: number }>(
      tx,
      'pledge-insert-within-limit',
      `WITH used AS (
         SELECT coalesce(sum(amount), 0)::numeric(20,2) AS total FROM pledges
         WHERE investor_id = $3 AND created_at >= $13 AND financial AND status = ANY($17)),
       live AS (
         SELECT EXISTS (SELECT 1 FROM pledges WHERE campaign_id = $2 AND investor_id = $3 AND status = ANY($15)) AS held),
       inserted AS (
         INSERT INTO pledges (id, campaign_id, investor_id, amount, currency, reward_tier_id, status,
           hold_transfer_id, cooling_off_ends_at, confirmation_required, created_at, updated_at, financial)
         SELECT $1, $2, $3, $4::numeric, $5, $6, $7, $8, $9, $10, $12, $12, $18
         FROM used WHERE $14::numeric IS NULL OR used.total + $4::numeric <= $14::numeric
         RETURNING id),
       evidenced AS (
         INSERT INTO pledge_evidence (pledge_id, evidence)
         SELECT inserted.id, $11::jsonb || jsonb_build_object('usedBefore', used.total::text)
         FROM inserted, used
         RETURNING pledge_id, evidence),
       audited AS (
         SELECT audit_append($12, $3, 'pledge.placed', 'pledge', evidenced.pledge_id::text,
           $16::jsonb || jsonb_build_object('evidence', evidenced.evidence)) AS id,
           notifications_enqueue($19::jsonb, $12) AS noticed
         FROM evidenced)
       SELECT used.total::text AS used, live.held,
              (SELECT count(*) FROM audited WHERE id IS NOT NULL AND noticed IS NOT NULL)::int AS inserted
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
        [...LIMIT_COUNTING_STATUSES],
        pledge.financial,
        input.notices,
      ],
    );
    const r = rows[0];
    return { usedBefore: r.used, newInvestor: !r.held, inserted: r.inserted === 1 };
  }

  /**
   * The locked section of a pledge in one round trip (DESIGN §10), through the function its owners
   * compose (migration 1765100300000): the ledger locks both accounts in its order, the campaign
   * claims its counters (LIVE, before the deadline, under the hard cap and the investor cap) and the
   * tier's stock, and only if both held the ledger places the hold, whose statement trigger moves
   * the account counters and enforces INV-5. Says which claims held; the caller rolls back unless
   * all did. Ledger constraint errors propagate for the ledger to translate.
   */
  async holdAndClaim(
    input: LockedSectionInput,
    tx: Tx,
  ): Promise<{ campaign: boolean; tier: boolean; held: boolean }> {
    const rows = await preparedQuery<{ o_campaign: boolean; o_tier: boolean; o_held: boolean }>(
      tx,
      'pledge-hold-and-claim',
      `SELECT o_campaign, o_tier, o_held
       FROM pledge_hold_and_claim($1, $2::numeric, $3, $4::uuid, $5, $6, $7, $8, $9, $10)`,
      [
        input.campaignId,
        input.amount,
        input.newInvestor ? 1 : 0,
        input.rewardTierId,
        input.now,
        input.holdId,
        input.debitAccountId,
        input.creditAccountId,
        input.currency,
        input.reference,
      ],
    );
    return { campaign: rows[0].o_campaign, tier: rows[0].o_tier, held: rows[0].o_held };
  }

  /**
   * The same locked section, sent with the transaction's COMMIT in one round trip (issue 18): a
   * refused claim raises (LOCKED_SECTION_REFUSED) and rolls the whole pledge back instead of
   * returning false. Ledger constraint errors propagate for the ledger to translate.
   */
  async holdClaimAndCommit(input: LockedSectionInput, end: TxEnd): Promise<void> {
    await end.commitWith(lockedSectionStatement(input, end.literal));
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
   * The one status write: moves the pledges in `ids` that are still in one of `from` to `to`
   * (ending them when `to` is terminal), and says which moved. Callers take `to` from
   * pledge.state.ts and lock the rows first.
   */
  async transition(
    ids: readonly string[],
    from: readonly PledgeStatus[],
    to: PledgeStatus,
    now: Date,
    tx: Tx,
  ): Promise<string[]> {
    if (ids.length === 0) return [];
    // Leaving AWAITING_RECONFIRMATION (or never in it): no window and nothing to resume.
    const rows = returnedRows<{ id: string }>(
      await tx.query(
        `UPDATE pledges SET status = $3, updated_at = $4::timestamptz, resume_status = NULL,
           reconfirm_by = NULL, ended_at = CASE WHEN $5::boolean THEN $4::timestamptz END
         WHERE id = ANY($1::uuid[]) AND status = ANY($2)
         RETURNING id`,
        [[...ids], [...from], to, now, !LIVE_PLEDGE_STATUSES.includes(to)],
      ),
    );
    return rows.map((r) => r.id);
  }

  /**
   * Gives back the counters of pledges that have just ended (their status already terminal, in this
   * transaction), set-based, through the campaign's functions: committed by their sums, investor
   * count by the investors left with no live pledge on the campaign, tier stock by their count.
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
         SELECT g.campaign_id, sum(g.amount) AS total, coalesce(max(l.n), 0)::int AS investors
         FROM gone g LEFT JOIN left_investors l ON l.campaign_id = g.campaign_id GROUP BY g.campaign_id),
       tiers AS (
         SELECT array_agg(reward_tier_id) AS ids, array_agg(n) AS counts
         FROM (SELECT reward_tier_id, count(*)::int AS n FROM gone
               WHERE reward_tier_id IS NOT NULL GROUP BY reward_tier_id) t)
       SELECT (SELECT sum(campaign_release(s.campaign_id, s.total, s.investors, $2)) FROM sums s) AS campaigns,
              (SELECT campaign_release_tiers(tiers.ids, tiers.counts) FROM tiers WHERE tiers.ids IS NOT NULL) AS tiers`,
      [[...endedPledgeIds], now, [...LIVE_PLEDGE_STATUSES]],
    );
  }

  find(id: string, tx?: Tx): Promise<PledgeEntity | null> {
    return this.m(tx).findOne(PledgeEntity, { where: { id } });
  }

  /** Why the pledge was admitted (its row in pledge_evidence), or null for no such pledge. */
  async evidence(pledgeId: string): Promise<PledgeEvidence | null> {
    const row = await this.m().findOne(PledgeEvidenceEntity, { where: { pledgeId } });
    return row?.evidence ?? null;
  }

  lock(id: string, tx: Tx): Promise<PledgeEntity | null> {
    return tx.findOne(PledgeEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** An investor's pledges, newest first, in cursor pages (index pledges_investor_idx). */
  listForInvestor<T>(
    investorId: string,
    page: { cursor?: string; limit: number },
    view: (p: PledgeEntity) => T,
  ): Promise<Page<T>> {
    const qb = this.m()
      .createQueryBuilder(PledgeEntity, 'p')
      .where('p.investor_id = :investorId', { investorId });
    return keysetPage(this.cursors, qb, OWN_PLEDGES, page, view);
  }

  /**
   * CN-PF-06 -> CN-PF-07: pledges whose cooling-off ended move on, to `withCall` when a call is
   * required, else to `withoutCall` (both from pledge.state.ts).
   */
  async endCoolingOff(
    now: Date,
    limit: number,
    from: readonly PledgeStatus[],
    to: { withCall: PledgeStatus; withoutCall: PledgeStatus },
    tx: Tx,
  ): Promise<
    Array<{
      id: string;
      investorId: string;
      campaignId: string;
      status: PledgeStatus;
      amount: string;
      currency: string;
      coolingOffEndsAt: Date;
    }>
  > {
    const rows = returnedRows<{
      id: string;
      investor_id: string;
      campaign_id: string;
      status: PledgeStatus;
      amount: string;
      currency: string;
      cooling_off_ends_at: Date;
    }>(
      await tx.query(
        `UPDATE pledges SET status = CASE WHEN confirmation_required THEN $3 ELSE $4 END, updated_at = $1
         WHERE id IN (SELECT id FROM pledges WHERE status = ANY($5) AND cooling_off_ends_at <= $1
                      ORDER BY cooling_off_ends_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING id, investor_id, campaign_id, status, amount::text AS amount, currency, cooling_off_ends_at`,
        [now, limit, to.withCall, to.withoutCall, [...from]],
      ),
    );
    return rows.map((r) => ({
      id: r.id,
      investorId: r.investor_id,
      campaignId: r.campaign_id,
      status: r.status,
      amount: r.amount,
      currency: r.currency,
      coolingOffEndsAt: r.cooling_off_ends_at,
    }));
  }

  /** Pledges left unconfirmed past the call window (CN-PF-07/08), locked for cancellation. */
  async lockUnconfirmed(
    from: readonly PledgeStatus[],
    confirmBefore: Date,
    limit: number,
    tx: Tx,
  ): Promise<DuePledge[]> {
    const rows: DuePledgeRow[] = await tx.query(
      `SELECT ${DUE_COLUMNS} FROM pledges
         WHERE status = ANY($3) AND cooling_off_ends_at <= $1
         ORDER BY cooling_off_ends_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [confirmBefore, limit, [...from]],
    );
    return rows.map(toDue);
  }

  /** Pledges whose reconfirmation window ran out, locked for cancellation. */
  async lockExpiredReconfirmations(
    from: readonly PledgeStatus[],
    now: Date,
    limit: number,
    tx: Tx,
  ): Promise<DuePledge[]> {
    const rows: DuePledgeRow[] = await tx.query(
      `SELECT ${DUE_COLUMNS} FROM pledges
         WHERE status = ANY($3) AND reconfirm_by <= $1
         ORDER BY reconfirm_by LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit, [...from]],
    );
    return rows.map(toDue);
  }
}
