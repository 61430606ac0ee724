import { Injectable } from '@nestjs/common';
import { Money } from '../../common/money/money.js';
import type { Tx } from '../../database/transaction.js';
import type { CampaignKind } from '../campaign/campaign.types.js';
import type { SettledInvestor } from '../pledge/index.js';

/** A campaign as settlement leaves it: every ACTIVE hold posted, fee and net paid out. */
export interface SettledCampaign {
  id: string;
  founderId: string;
  kind: CampaignKind;
  currency: string;
  gross: Money;
  fee: Money;
  net: Money;
  settledAt: Date;
  /** Each investor's SETTLED pledges (sum and count) by investor id; their sum is `gross`. */
  investors: readonly SettledInvestor[];
}

/**
 * How much of a settled campaign's net a module above still keeps out of the founder's payable
 * (fulfilment's reward holdback, RW-03), so that the payout asks for the rest only.
 */
export type PayoutRetention = (campaignId: string, currency: string, tx?: Tx) => Promise<Money>;

/**
 * Backers' claims on a founder (fulfilment's late-delivery shortfalls, RW-03): paid from the
 * founder's payable before any payout may take it. `pay` runs in its own transaction and pays what
 * it can; `owed` is what stays open, which the payout leaves on the payable.
 */
export interface FounderClaims {
  pay(founderId: string): Promise<void>;
  owed(founderId: string, currency: string, tx: Tx): Promise<Money>;
}

/**
 * One founder's payable is read and then debited one decision at a time (payout requests,
 * late-delivery refunds, claim payments): a transaction-scoped advisory lock per founder.
 */
export async function lockFounderPayable(founderId: string, tx: Tx): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 16))`, [
    `payable:founder:${founderId}`,
  ]);
}

/**
 * The same lock, only if nobody holds it: for a caller that already holds ledger account locks
 * (settlement), where waiting could deadlock with a holder of this lock that waits for accounts.
 */
export async function tryLockFounderPayable(founderId: string, tx: Tx): Promise<boolean> {
  const rows: { locked: boolean }[] = await tx.query(
    `SELECT pg_try_advisory_xact_lock(hashtextextended($1, 16)) AS locked`,
    [`payable:founder:${founderId}`],
  );
  return rows[0]?.locked === true;
}

/** What a wave-2 module does when a campaign of its kind settles, in settlement's transaction. */
export type SettlementHandover = (campaign: SettledCampaign, tx: Tx) => Promise<void>;

/**
 * DESIGN §2: settlement hands over to the modules above it (lending makes the loan, holdings the
 * register, fulfilment the delivery plan) without knowing them: they register here at start-up and
 * are called in the transaction that moves the campaign to SETTLED, after its money moved, so the
 * hand-over commits with the settlement or not at all.
 */
@Injectable()
export class SettlementHandovers {
  private readonly byKind = new Map<CampaignKind, SettlementHandover[]>();
  private readonly retentions = new Map<CampaignKind, PayoutRetention[]>();
  private claims: FounderClaims | null = null;

  /** Fulfilment registers how backers' claims on a founder are paid and counted. */
  registerClaims(claims: FounderClaims): void {
    this.claims = claims;
  }

  /** Pays what it can of the founder's open claims (its own transaction); a no-op without any. */
  async payClaims(founderId: string): Promise<void> {
    if (this.claims) await this.claims.pay(founderId);
  }

  /** What backers' claims on the founder still ask for (zero when nobody registered). */
  async owedToClaims(founderId: string, currency: string, tx: Tx): Promise<Money> {
    return this.claims ? this.claims.owed(founderId, currency, tx) : Money.zero(currency);
  }

  register(kind: CampaignKind, handover: SettlementHandover): void {
    const list = this.byKind.get(kind) ?? [];
    list.push(handover);
    this.byKind.set(kind, list);
  }

  async handOver(campaign: SettledCampaign, tx: Tx): Promise<void> {
    for (const handover of this.byKind.get(campaign.kind) ?? []) await handover(campaign, tx);
  }

  /** A module that keeps part of a kind's net out of the payout (RW-03 holdback) registers here. */
  registerRetention(kind: CampaignKind, retention: PayoutRetention): void {
    this.retentions.set(kind, [...(this.retentions.get(kind) ?? []), retention]);
  }

  /** What the modules above keep of this campaign's net (zero when none registered). */
  async retained(
    campaign: { id: string; kind: CampaignKind; currency: string },
    tx?: Tx,
  ): Promise<Money> {
    let total = Money.zero(campaign.currency);
    for (const retention of this.retentions.get(campaign.kind) ?? [])
      total = total.plus(await retention(campaign.id, campaign.currency, tx));
    return total;
  }
}
