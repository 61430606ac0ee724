import { Injectable } from '@nestjs/common';
import type { Money } from '../../common/money/money.js';
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

  register(kind: CampaignKind, handover: SettlementHandover): void {
    const list = this.byKind.get(kind) ?? [];
    list.push(handover);
    this.byKind.set(kind, list);
  }

  async handOver(campaign: SettledCampaign, tx: Tx): Promise<void> {
    for (const handover of this.byKind.get(campaign.kind) ?? []) await handover(campaign, tx);
  }
}
