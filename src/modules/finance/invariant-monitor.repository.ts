import { Injectable } from '@nestjs/common';
import { ReadReplica } from '../../database/read-replica.js';
import { LIVE_PLEDGE_STATUS_SQL } from './finance.repository.js';

/** One broken invariant found after the fact, naming the rows involved. */
export interface InvariantViolation {
  invariant: string;
  code: string;
  ids: string[];
  message: string;
  details: Record<string, unknown>;
}

/** At most this many rows per check are listed; the count is always exact. */
export const MAX_LISTED = 100;

/**
 * The after-the-fact checks of DESIGN §5 that the ledger's own verifier does not make, each one
 * set-based SQL (one scan or hash join per table, no per-row round trips), so they keep working
 * at millions of transfers and pledges.
 */
@Injectable()
export class InvariantMonitorRepository {
  constructor(private readonly reads: ReadReplica) {}

  /** INV-5: no credit-normal account's debits (posted + pending) exceed its posted credits. */
  async overdrawnAccounts(): Promise<InvariantViolation[]> {
    const rows: { code: string; dp: string; dq: string; cp: string }[] = await this.reads.query(
      `SELECT code, debits_posted::text AS dp, debits_pending::text AS dq, credits_posted::text AS cp
         FROM ledger_accounts_view
         WHERE kind <> 'ASSET' AND debits_posted + debits_pending > credits_posted
         ORDER BY code LIMIT ${MAX_LISTED}`,
    );
    return rows.map((r) => ({
      invariant: 'INV-5',
      code: 'ACCOUNT_OVERDRAWN',
      ids: [r.code],
      message: `account ${r.code}: debits ${r.dp} posted + ${r.dq} pending exceed ${r.cp} posted credits`,
      details: { debitsPosted: r.dp, debitsPending: r.dq, creditsPosted: r.cp },
    }));
  }

  /** INV-7: committed <= max amount, tier claimed <= stock, private offering investors <= cap. */
  async capsExceeded(): Promise<InvariantViolation[]> {
    const rows: { code: string; ids: string[]; value: string; cap: string }[] =
      await this.reads.query(
        `(SELECT 'CAMPAIGN_OVER_MAX_AMOUNT' AS code, ARRAY[id::text] AS ids,
                 committed::text AS value, max_amount::text AS cap
          FROM campaigns_finance_view WHERE committed > max_amount ORDER BY id LIMIT ${MAX_LISTED})
         UNION ALL
         (SELECT 'REWARD_TIER_OVERSOLD', ARRAY[campaign_id::text, id::text], claimed::text, stock::text
          FROM reward_tiers_finance_view WHERE claimed > stock ORDER BY campaign_id, id LIMIT ${MAX_LISTED})
         UNION ALL
         (SELECT 'PRIVATE_OFFERING_OVER_INVESTOR_CAP', ARRAY[id::text], investor_count::text, investor_cap::text
          FROM campaigns_finance_view WHERE offering = 'PRIVATE' AND investor_count > investor_cap
          ORDER BY id LIMIT ${MAX_LISTED})`,
      );
    const what: Record<string, string> = {
      CAMPAIGN_OVER_MAX_AMOUNT: 'campaign committed exceeds its maximum amount',
      REWARD_TIER_OVERSOLD: 'reward tier claimed exceeds its stock',
      PRIVATE_OFFERING_OVER_INVESTOR_CAP: 'private offering has more investors than its cap',
    };
    return rows.map((r) => ({
      invariant: 'INV-7',
      code: r.code,
      ids: r.ids,
      message: `${what[r.code]}: ${r.value} > ${r.cap}`,
      details: { value: r.value, cap: r.cap },
    }));
  }

  /**
   * INV-8: each campaign's escrow (credits - debits, posted and pending) equals the sum of its
   * live pledges. While a campaign settles batch by batch, its SETTLED pledges' holds are posted
   * into escrow before the net and fee leave it (in the transaction that marks it SETTLED), so
   * until then they still count.
   */
  async escrowMismatches(): Promise<InvariantViolation[]> {
    const rows: { id: string; code: string; expected: string; escrow: string }[] =
      await this.reads.query(
        `WITH expected AS (
           SELECT c.id, 'campaign:' || c.id || ':escrow' AS code,
                  coalesce(sum(p.amount) FILTER (
                    WHERE p.status IN (${LIVE_PLEDGE_STATUS_SQL})
                       OR (p.status = 'SETTLED' AND c.status <> 'SETTLED')), 0) AS expected
           FROM campaigns_finance_view c LEFT JOIN pledges_finance_view p ON p.campaign_id = c.id
           GROUP BY c.id
         )
         SELECT e.id, e.code, e.expected::numeric(20,2)::text AS expected,
                coalesce(a.credits_posted + a.credits_pending - a.debits_posted - a.debits_pending, 0)::numeric(20,2)::text AS escrow
         FROM expected e LEFT JOIN ledger_accounts_view a ON a.code = e.code
         WHERE coalesce(a.credits_posted + a.credits_pending - a.debits_posted - a.debits_pending, 0) <> e.expected
         ORDER BY e.id LIMIT ${MAX_LISTED}`,
      );
    return rows.map((r) => ({
      invariant: 'INV-8',
      code: 'ESCROW_NOT_EQUAL_LIVE_PLEDGES',
      ids: [r.id, r.code],
      message: `campaign ${r.id}: escrow holds ${r.escrow}, its live pledges add up to ${r.expected}`,
      details: { escrow: r.escrow, livePledges: r.expected },
    }));
  }

  /** INV-12: a SETTLED or REFUNDED campaign's escrow is exactly 0, posted and pending. */
  async closedEscrowNotZero(): Promise<InvariantViolation[]> {
    const rows: {
      id: string;
      status: string;
      code: string;
      dp: string;
      cp: string;
      dq: string;
      cq: string;
    }[] = await this.reads.query(
      `SELECT c.id, c.status, a.code, a.debits_posted::text AS dp, a.credits_posted::text AS cp,
              a.debits_pending::text AS dq, a.credits_pending::text AS cq
       FROM campaigns_finance_view c JOIN ledger_accounts_view a ON a.code = 'campaign:' || c.id || ':escrow'
       WHERE c.status IN ('SETTLED', 'REFUNDED')
         AND (a.credits_posted <> a.debits_posted OR a.debits_pending <> 0 OR a.credits_pending <> 0)
       ORDER BY c.id LIMIT ${MAX_LISTED}`,
    );
    return rows.map((r) => ({
      invariant: 'INV-12',
      code: 'CLOSED_CAMPAIGN_ESCROW_NOT_ZERO',
      ids: [r.id, r.code],
      message: `${r.status} campaign ${r.id} still has money in escrow`,
      details: {
        status: r.status,
        debitsPosted: r.dp,
        creditsPosted: r.cp,
        debitsPending: r.dq,
        creditsPending: r.cq,
      },
    }));
  }

  /** INV-11: the transfers older than `before` that no sealed block covers yet (oldest first). */
  async unsealedTransferIds(before: Date): Promise<string[]> {
    const rows: { id: string }[] = await this.reads.query(
      `SELECT id FROM ledger_transfers_view
       WHERE tx_id >= coalesce((SELECT to_tx_id FROM ledger_blocks_view ORDER BY height DESC LIMIT 1), '1'::xid8)
         AND created_at < $1
       ORDER BY seq LIMIT ${MAX_LISTED}`,
      [before],
    );
    return rows.map((r) => r.id);
  }
}
