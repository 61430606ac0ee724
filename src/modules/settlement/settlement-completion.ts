import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { Money } from '../../common/money/money.js';
import { ledgerConfig, type LedgerConfig } from '../../config/namespaces.js';
import type { Tx } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { CampaignTransitions } from '../campaign/campaign-transitions.service.js';
import type { CampaignEntity } from '../campaign/campaign.entities.js';
import { LedgerService } from '../escrow-ledger/ledger.service.js';
import { AccountCodes } from '../escrow-ledger/ledger.types.js';
import { PledgeLifecycle } from '../pledge/pledge-lifecycle.service.js';
import { SettlementHandovers } from './settlement-handovers.js';

/**
 * The last step of a successful campaign, in the caller's transaction (the campaign row locked):
 * pay the founder the net and the platform the fee (fee = gross x rate, half-up to the fen) so the
 * escrow ends at exactly zero (RW-01, INV-12), hand over to the modules above (lending's loan,
 * holdings' register, DESIGN §2) and move the campaign to SETTLED. Used for a campaign alone
 * (SettlementService) and for both sides of a linked raise in one transaction (LinkedSettlement).
 */
@Injectable()
export class SettlementCompletion {
  constructor(
    private readonly campaigns: CampaignTransitions,
    private readonly pledges: PledgeLifecycle,
    private readonly ledger: LedgerService,
    private readonly handovers: SettlementHandovers,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(ledgerConfig.KEY) private readonly config: LedgerConfig,
  ) {}

  /**
   * Posts one batch of the campaign's ACTIVE holds, of at most `limit` (SETTLEMENT_BATCH_SIZE):
   * how many and their sum (0: none left).
   */
  settleBatch(
    campaign: Pick<CampaignEntity, 'id' | 'currency'>,
    tx: Tx,
    limit = this.config.settlementBatchSize,
  ): Promise<{ count: number; amount: Money }> {
    return this.pledges.settleBatch(campaign.id, campaign.currency, limit, tx);
  }

  /**
   * Every hold already posted (settleBatch returned 0, so no pledge is ACTIVE and the gross is
   * the SETTLED pledges' sum): pay out, tell each investor once, hand over, SETTLE. The campaign's
   * pledges are read once, by investor, for all four (issue 18: the gross, the notices, the
   * loan's claims and the transition's recipients were four reads of 100,000 pledges).
   */
  async complete(campaign: CampaignEntity, tx: Tx): Promise<void> {
    const investors = await this.pledges.settledByInvestor(campaign.id, campaign.currency, tx);
    const gross = Money.sum(
      investors.map((i) => i.amount),
      campaign.currency,
    );
    const { fee, net } = await this.payOut(campaign, gross, tx);
    await this.pledges.announceSettled(campaign.id, campaign.currency, investors, tx);
    await this.handovers.handOver(
      {
        id: campaign.id,
        founderId: campaign.founderId,
        kind: campaign.kind,
        currency: campaign.currency,
        gross,
        fee,
        net,
        settledAt: this.clock.now(),
        investors,
      },
      tx,
    );
    // No pledge is live any more (none ACTIVE, none in a window): the backers are the investors
    // whose pledges settled.
    await this.campaigns.apply(
      campaign,
      {
        event: 'SETTLE',
        actorId: null,
        reason: `settled ${gross.toString()}`,
        backers: investors.map((i) => i.investorId),
      },
      tx,
    );
  }

  private async payOut(
    campaign: CampaignEntity,
    gross: Money,
    tx: Tx,
  ): Promise<{ fee: Money; net: Money }> {
    const fee = gross.times(campaign.feeRate, 'HALF_UP');
    const net = gross.minus(fee);
    const escrow = AccountCodes.campaignEscrow(campaign.id);
    const payable = AccountCodes.founderPayable(campaign.founderId);
    await this.ledger.openAccount(payable, 'LIABILITY', campaign.currency, tx);
    if (!net.isZero()) {
      await this.ledger.transfer(
        {
          idempotencyKey: `settle:${campaign.id}:net`,
          kind: 'SETTLEMENT',
          debitAccount: escrow,
          creditAccount: payable,
          amount: net,
          reference: `campaign:${campaign.id}`,
        },
        tx,
      );
    }
    if (!fee.isZero()) {
      await this.ledger.transfer(
        {
          idempotencyKey: `settle:${campaign.id}:fee`,
          kind: 'FEE',
          debitAccount: escrow,
          creditAccount: AccountCodes.platformFees,
          amount: fee,
          reference: `campaign:${campaign.id}`,
        },
        tx,
      );
    }
    await this.audit.append(
      {
        occurredAt: this.clock.now(),
        actorId: null,
        action: 'campaign.settled',
        subjectType: 'campaign',
        subjectId: campaign.id,
        details: {
          gross: gross.toString(),
          feeRate: campaign.feeRate,
          fee: fee.toString(),
          net: net.toString(),
          rules: ['RW-01', 'INV-12'],
        },
      },
      tx,
    );
    return { fee, net };
  }
}
