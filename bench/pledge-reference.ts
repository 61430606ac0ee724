import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { v7 as timeOrderedUuid } from 'uuid';
import { KeyedSemaphore } from '../src/common/concurrency/keyed-semaphore.js';
import { transferIdFor } from '../src/modules/escrow-ledger/ledger.service.js';
import { notificationRowsJson } from '../src/modules/notifications/notifications.repository.js';
import {
  type LockedSectionInput,
  lockedSectionStatement,
} from '../src/modules/pledge/pledge-locked-section.js';

/**
 * The plain-SQL reference pledges (issue 18): what a careful engineer would write for the same
 * effects and checks as `PledgePlacement.place`, through a bare `pg` pool connected as the service
 * connects (the application role), without Nest, TypeORM, HTTP, JWT or validation.
 *
 * - the same admission reads, in parallel, as named prepared statements: market access (PLAT-03),
 *   the pledger's identity facts, the campaign, the standing inputs, the acknowledgement state and
 *   the campaign's lead; the checks that decide on them are made in JS, as the application's are;
 * - the same admission control: at most `hotCampaignConcurrency` pledge transactions per campaign
 *   at once (a per-campaign semaphore taken after the reads, as the application takes its own);
 * - one transaction of prepared statements with the same effects, hot locks last: the idempotency
 *   record claimed complete with the investor's advisory lock (INV-9), the pledge row within the
 *   rolling limit with evidence of the application's size, its audit event and its notice (one
 *   statement, as the application's), then the locked section (the escrow account and campaign
 *   row are the hot rows).
 *
 * Two forms of the locked section, each ending with the transaction's COMMIT in the same round
 * trip as its last statement, as the application ends its own (`TxEnd.commitWith`: one
 * simple-protocol query, its values as escaped literals):
 * - `statements` (the honest reference): three statements, as plain SQL would place them:
 *   `ledger_lock_accounts` (both accounts in id order; the application role may not lock ledger rows
 *   itself), the campaign's conditional counter UPDATE, and the hold's INSERT with the COMMIT, whose
 *   statement trigger moves the account counters and enforces INV-5;
 * - `function`: the whole locked section as one call of `pledge_hold_and_claim_or_refuse` with the
 *   COMMIT, the statement the application sends (`lockedSectionStatement`).
 */
export type LockedSection = 'statements' | 'function';

export interface ReferenceInvestor {
  userId: string;
  /** The wallet account's id (the application caches it too). */
  wallet: string;
}

// The admission reads: the application's statement texts (credit, identity, campaign,
// classification and risk-disclosure repositories; the lead read is prepared here).
const READS = {
  blocked: {
    name: 'ref-credit-any-blocking',
    text: `SELECT EXISTS (
         SELECT 1 FROM credit_records WHERE user_id = $1 AND severity = 'BLOCKING' AND lifted_at IS NULL
           AND effective_from <= $2 AND (effective_until IS NULL OR effective_until > $2)) AS blocked`,
  },
  facts: {
    name: 'ref-pledger-facts',
    text: `SELECT u.kind, i.user_id IS NOT NULL AS verified, i.birth_date::text AS birth_date,
              u.email_verified_at IS NOT NULL AS email_verified
         FROM users u LEFT JOIN real_name_identities i ON i.user_id = u.id WHERE u.id = $1`,
  },
  campaign: {
    name: 'ref-campaign-find',
    text: `SELECT id, founder_id, kind, offering, title, currency, max_amount::text AS max_amount,
              min_pledge::text AS min_pledge, max_pledge::text AS max_pledge, deadline, risk_rating,
              investor_cap, status, committed::text AS committed, investor_count
       FROM campaigns WHERE id = $1`,
  },
  standing: {
    name: 'ref-standing-inputs',
    text: `SELECT p.category, p.qualified_until,
              f.annual_income::text AS annual_income, f.financial_assets::text AS financial_assets,
              f.net_worth::text AS net_worth,
              a.id AS assessment_id, a.risk_level, a.lowest_category, a.valid_until
       FROM (SELECT $1::uuid AS user_id) u
       LEFT JOIN investor_profiles p ON p.user_id = u.user_id
       LEFT JOIN investor_financials f ON f.user_id = u.user_id
       LEFT JOIN LATERAL (
         SELECT id, risk_level, lowest_category, valid_until FROM investor_assessments
         WHERE user_id = u.user_id ORDER BY assessed_at DESC, id DESC LIMIT 1) a ON true`,
  },
  acknowledgements: {
    name: 'ref-acknowledgement-state',
    text: `SELECT d.scope, v.version, v.sha256, a.id AS ack_id
       FROM disclosure_documents d
       LEFT JOIN LATERAL (
         SELECT version, sha256 FROM disclosure_versions WHERE document_id = d.id
         ORDER BY version DESC LIMIT 1) v ON true
       LEFT JOIN disclosure_acknowledgements a
         ON a.user_id = $1 AND a.document_id = d.id AND a.version = v.version
       WHERE d.scope = 'PLATFORM' OR (d.scope IN ('CAMPAIGN', 'LEAD_MEMO') AND d.campaign_id = $2)`,
  },
  lead: {
    name: 'ref-campaign-lead',
    text: `SELECT campaign_id, lead_investor_id, status FROM campaign_leads WHERE campaign_id = $1`,
  },
} as const;

// The transaction: the application's statement texts (idempotency, pledge and notification
// repositories), each prepared once per connection.
const CLAIM = `WITH claimed AS (INSERT INTO idempotency_records (scope, key, request_hash, status_code, response, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scope, key) DO NOTHING RETURNING 1)
     SELECT count(*)::int AS claimed, (SELECT pg_advisory_xact_lock(hashtextextended($7, 0))::text) AS locked
     FROM claimed`;
const INSERT_WITHIN_LIMIT = `WITH used AS (
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
       FROM used, live`;
// The locked section as plain statements (campaign_claim's UPDATE and ledger_place_hold's INSERT).
const LOCK_ACCOUNTS = `SELECT ledger_lock_accounts(ARRAY[$1::uuid, $2::uuid]) AS locked`;
const CLAIM_CAMPAIGN = `UPDATE campaigns SET committed = committed + $2::numeric,
         investor_count = investor_count + $3, updated_at = $4
       WHERE id = $1 AND status = 'LIVE' AND deadline > $4
         AND committed + $2::numeric <= max_amount
         AND (investor_cap IS NULL OR investor_count + $3 <= investor_cap)`;
const placeHold = (h: LockedSectionInput, literal: (v: string) => string) =>
  `INSERT INTO ledger_transfers
         (id, kind, status, debit_account_id, credit_account_id, amount, currency, pending_id, reference, created_at)
       VALUES (${literal(h.holdId)}, 'PLEDGE', 'PENDING', ${literal(h.debitAccountId)},
               ${literal(h.creditAccountId)}, ${literal(h.amount)}::numeric, ${literal(h.currency)},
               NULL, ${literal(h.reference)}, ${literal(h.now.toISOString())})`;

const LIVE = ['COOLING_OFF', 'AWAITING_CONFIRMATION', 'ACTIVE', 'AWAITING_RECONFIRMATION'];
const LIMIT_COUNTING = [...LIVE, 'SETTLED'];
const DAY_MS = 86_400_000;

interface Row {
  [column: string]: unknown;
}

class RefusedError extends Error {}

/**
 * A reference pledger: `pledge(investor, campaignId, escrowAccountId)` places one pledge of 1.00
 * (throws on any refusal, as the bench's HTTP client does on a non-2xx answer).
 */
export function referencePledger(
  pool: pg.Pool,
  options: { lockedSection: LockedSection; hotCampaignConcurrency: number; amount?: string },
): (investor: ReferenceInvestor, campaignId: string, escrow: string) => Promise<void> {
  const hot = new KeyedSemaphore(options.hotCampaignConcurrency);
  const amount = options.amount ?? '1.00';
  const read = (q: { name: string; text: string }, values: unknown[]) =>
    pool.query<Row>({ name: q.name, text: q.text, values }).then((r) => r.rows);
  return async (investor, campaignId, escrow) => {
    const now = new Date();
    const [[blocked], [facts], [campaign], [standing], acknowledgements, leads] = await Promise.all(
      [
        read(READS.blocked, [investor.userId, now]),
        read(READS.facts, [investor.userId]),
        read(READS.campaign, [campaignId]),
        read(READS.standing, [investor.userId]),
        read(READS.acknowledgements, [investor.userId, campaignId]),
        read(READS.lead, [campaignId]),
      ],
    );
    // The checks the reads exist for (the application's admission policy decides more cases, on
    // the same rows): market access, real name and e-mail, campaign open, minimum, assessment in
    // force, both disclosures acknowledged at their current version, no lead to follow.
    if (blocked.blocked) throw new RefusedError('blocked');
    if (!facts?.verified || !facts.email_verified) throw new RefusedError('not verified');
    if (!campaign || campaign.status !== 'LIVE' || (campaign.deadline as Date) <= now)
      throw new RefusedError('campaign not open');
    if (Number(amount) < Number(campaign.min_pledge)) throw new RefusedError('below minimum');
    if (!standing.assessment_id || (standing.valid_until as Date) <= now)
      throw new RefusedError('no assessment in force');
    const ack = (scope: string) => acknowledgements.find((a) => a.scope === scope);
    const platform = ack('PLATFORM');
    const own = ack('CAMPAIGN');
    if (!platform?.ack_id || !own?.ack_id) throw new RefusedError('not acknowledged');
    if (leads.length > 0)
      throw new RefusedError('the reference pledges on campaigns without a lead');
    // CN-ECF-03's inputs: a rate of the larger of income and financial assets (the pack's floor
    // and cap left out: the figure only has to be a limit the sum is checked against).
    const limit = (
      Math.max(Number(standing.annual_income ?? 0), Number(standing.financial_assets ?? 0)) / 10
    ).toFixed(2);

    // As the application makes them: a time-ordered pledge id, the hold's derived from its key.
    const pledgeId = timeOrderedUuid();
    const holdId = transferIdFor(`pledge:${pledgeId}`);
    const draft = {
      id: pledgeId,
      campaignId,
      investorId: investor.userId,
      amount,
      currency: campaign.currency,
      rewardTierId: null,
      financial: true,
      status: 'ACTIVE',
      holdTransferId: holdId,
      coolingOffEndsAt: null,
      confirmationRequired: false,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      endedAt: null,
    };
    const evidence = {
      rulePack: 'CN',
      decidedAt: now.toISOString(),
      suitability: 'SUITABLE',
      category: standing.category ?? 'ORDINARY',
      qualified: false,
      riskLevel: standing.risk_level,
      lowestCategory: standing.lowest_category,
      productRisk: campaign.risk_rating,
      assessmentId: standing.assessment_id,
      annualLimit: limit,
      limitInputs: {
        annualIncome: standing.annual_income,
        financialAssets: standing.financial_assets,
        netWorth: standing.net_worth,
        windowDays: 365,
      },
      platformAcknowledgementId: platform.ack_id,
      campaignAcknowledgementId: own.ack_id,
      leadMemoAcknowledgementId: null,
      specialWarningId: null,
      specialWarning: null,
      windows: { coolingOffEndsAt: null, confirmationRequired: false },
      rules: ['PLAT-01', 'PLAT-03', 'PLAT-09', 'CN-SUIT-09', 'CN-ECF-03', 'CN-PF-06', 'CN-PF-10'],
    };

    const release = await hot.acquire(campaignId);
    let client: pg.PoolClient | undefined;
    try {
      client = await pool.connect();
      const q = (name: string, text: string, values: unknown[]) =>
        (client as pg.PoolClient).query<Row>({ name, text, values });
      await client.query('BEGIN');
      try {
        const [claim] = (
          await q('ref-claim', CLAIM, [
            `pledge:${investor.userId}`,
            randomUUID(),
            '0'.repeat(64),
            200,
            JSON.stringify(draft),
            now,
            `pledge-investor:${investor.userId}`,
          ])
        ).rows;
        if (claim.claimed !== 1) throw new RefusedError('key already used');
        const [placed] = (
          await q('ref-insert-within-limit', INSERT_WITHIN_LIMIT, [
            pledgeId,
            campaignId,
            investor.userId,
            amount,
            campaign.currency,
            null,
            'ACTIVE',
            holdId,
            null,
            false,
            JSON.stringify(evidence),
            now,
            new Date(now.getTime() - 365 * DAY_MS),
            limit,
            LIVE,
            JSON.stringify({ campaignId, amount }),
            LIMIT_COUNTING,
            true,
            notificationRowsJson([
              {
                id: randomUUID(),
                recipientId: investor.userId,
                type: 'pledge.placed',
                params: {
                  pledgeId,
                  campaignTitle: campaign.title as string,
                  amount,
                  currency: campaign.currency as string,
                  status: 'ACTIVE',
                  coolingOffEndsAt: null,
                },
                campaignId,
                dedupeKey: `pledge:${pledgeId}:placed`,
              },
            ]),
          ])
        ).rows;
        if (placed.inserted !== 1) throw new RefusedError('over the limit');
        const newInvestor = placed.held ? 0 : 1;
        const section: LockedSectionInput = {
          campaignId,
          amount,
          newInvestor: newInvestor === 1,
          rewardTierId: null,
          now,
          holdId,
          debitAccountId: investor.wallet,
          creditAccountId: escrow,
          currency: campaign.currency as string,
          reference: `pledge:${pledgeId}`,
        };
        const ending = client;
        const literal = (v: string) => ending.escapeLiteral(v);
        if (options.lockedSection === 'function') {
          await client.query(`${lockedSectionStatement(section, literal)}; COMMIT`);
        } else {
          const [locked] = (await q('ref-lock-accounts', LOCK_ACCOUNTS, [investor.wallet, escrow]))
            .rows;
          if (locked.locked !== 2) throw new RefusedError('accounts missing');
          const claimed = await q('ref-claim-campaign', CLAIM_CAMPAIGN, [
            campaignId,
            amount,
            newInvestor,
            now,
          ]);
          if (claimed.rowCount !== 1) throw new RefusedError('claim refused');
          await client.query(`${placeHold(section, literal)}; COMMIT`);
        }
      } catch (error) {
        // A connection that cannot even roll back is destroyed, never handed back to the pool.
        await client.query('ROLLBACK').catch((broken: Error) => {
          client?.release(broken);
          client = undefined;
        });
        throw error;
      }
    } finally {
      client?.release();
      release();
    }
  };
}
