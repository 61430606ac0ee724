import { Injectable } from '@nestjs/common';
import { Money } from '../../common/money/money.js';
import type { Tx } from '../../database/transaction.js';
import type { CampaignKind } from '../campaign/campaign.types.js';

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
}

/**
 * How much of a settled campaign's net a module above still keeps out of the founder's payable
 * (fulfilment's reward holdback, RW-03), so that the payout asks for the rest only.
 */
export type PayoutRetention = (campaignId: string, currency: string) => Promise<Money>;

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
  async retained(campaign: { id: string; kind: CampaignKind; currency: string }): Promise<Money> {
    let total = Money.zero(campaign.currency);
    for (const retention of this.retentions.get(campaign.kind) ?? [])
      total = total.plus(await retention(campaign.id, campaign.currency));
    return total;
  }
}
