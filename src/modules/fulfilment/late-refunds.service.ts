import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { Money } from '../../common/money/money.js';
import { NOTICES, type NoticeSink } from '../../common/notices/notices.port.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { CampaignQueries } from '../campaign/index.js';
import { CreditService } from '../credit/index.js';
import { AccountCodes, LedgerService } from '../escrow-ledger/index.js';
import type { PledgeFacts } from '../pledge/index.js';
import { type ClaimState, claimStateOf } from './backer-claims.service.js';
import { Deliveries } from './deliveries.service.js';
import { CampaignNotSettledError, NotLateError } from './fulfilment.errors.js';
import { FulfilmentRepository, type RefundRow } from './fulfilment.repository.js';
import { isLate, type RefundSplit, splitRefund } from './fulfilment.rules.js';
import { holdbackAccount } from './holdbacks.service.js';

export interface LateRefundView {
  pledgeId: string;
  campaignId: string;
  currency: string;
  amount: string;
  fromHoldback: string;
  fromPayable: string;
  /** Not covered: recorded as the backer's claim and a credit WARNING on the founder. */
  shortfall: string;
  claimCreditRecordId: string | null;
  /** The claim's state: paid from the founder's payable as money reaches it. */
  claimStatus: ClaimState['claimStatus'];
  claimPaid: string;
  claimRemaining: string;
  requestedAt: string;
}

/**
 * RW-03 late delivery is a material change: the backer of a settled physical reward whose
 * delivery month ended without shipment may ask for the pledge back. It is paid from the
 * campaign's holdback first, then from the founder's payable; what neither covers is the backer's
 * claim, and a credit WARNING on the founder. Every movement is a ledger transfer, exact to the
 * fen; one refund per pledge (asking again answers the same refund).
 */
@Injectable()
export class LateRefunds {
  constructor(
    private readonly repo: FulfilmentRepository,
    private readonly deliveries: Deliveries,
    private readonly campaigns: CampaignQueries,
    private readonly ledger: LedgerService,
    private readonly credit: CreditService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(NOTICES) private readonly notices: NoticeSink,
  ) {}

  async request(investor: AuthUser, pledgeId: string): Promise<LateRefundView> {
    const pledge = await this.deliveries.ownPledge(investor, pledgeId);
    const existing = await this.repo.findRefund(pledge.id);
    if (existing) return toView(existing);
    const tier = await this.deliveries.physicalTier(pledge);
    if (pledge.status !== 'SETTLED') throw new CampaignNotSettledError(pledge.status);
    const campaign = await this.campaigns.find(pledge.campaignId);
    if (!campaign) throw new CampaignNotSettledError('UNKNOWN');
    const row = await this.transactions.run(async (tx) => {
      await this.repo.lockFounder(campaign.founderId, tx);
      const again = await this.repo.findRefund(pledge.id, tx);
      if (again) return again;
      const shipment = await this.repo.lockShipment(pledge.id, tx);
      if (!isLate(this.clock.now(), tier.deliveryMonth, shipment))
        throw new NotLateError(tier.dueAt.toISOString());
      return this.pay(pledge, campaign.founderId, campaign.title, tx);
    });
    return toView(row);
  }

  private async pay(
    pledge: PledgeFacts,
    founderId: string,
    campaignTitle: string,
    tx: Tx,
  ): Promise<RefundRow> {
    const currency = pledge.currency;
    const money = (v: string) => Money.fromDecimalString(v, currency);
    const amount = money(pledge.amount);
    const holdback = await this.repo.lockHoldback(pledge.campaignId, tx);
    const holdbackLeft =
      holdback && holdback.status === 'HELD'
        ? money(holdback.amount).minus(money(holdback.refunded)).minus(money(holdback.released))
        : Money.zero(currency);
    const payableCode = AccountCodes.founderPayable(founderId);
    const payable = await this.ledger.findAccount(payableCode, tx);
    const payableAvailable = payable
      ? money(payable.creditsPosted)
          .minus(money(payable.debitsPosted))
          .minus(money(payable.debitsPending))
      : Money.zero(currency);
    const split: RefundSplit = splitRefund(amount, holdbackLeft, payableAvailable);
    const wallet = AccountCodes.investorAvailable(pledge.investorId);
    await this.ledger.openAccount(wallet, 'LIABILITY', currency, tx);
    const reference = `pledge:${pledge.id}`;
    if (!split.fromHoldback.isZero()) {
      await this.ledger.transfer(
        {
          idempotencyKey: `late-refund:${pledge.id}:holdback`,
          kind: 'REFUND',
          debitAccount: holdbackAccount(pledge.campaignId),
          creditAccount: wallet,
          amount: split.fromHoldback,
          reference,
        },
        tx,
      );
      await this.repo.addRefunded(pledge.campaignId, split.fromHoldback.toString(), tx);
    }
    if (!split.fromPayable.isZero()) {
      await this.ledger.transfer(
        {
          idempotencyKey: `late-refund:${pledge.id}:payable`,
          kind: 'REFUND',
          debitAccount: payableCode,
          creditAccount: wallet,
          amount: split.fromPayable,
          reference,
        },
        tx,
      );
    }
    const now = this.clock.now();
    const claim = split.shortfall.isZero()
      ? null
      : await this.credit.recordIn(
          null,
          {
            userId: founderId,
            kind: 'DEFAULT',
            severity: 'WARNING',
            source: 'fulfilment:late-delivery',
            note: `RW-03: late-delivery refund of pledge ${pledge.id} short by ${split.shortfall.toString()} ${currency}; recorded as the backer's claim.`,
          },
          tx,
        );
    const row: RefundRow = {
      pledgeId: pledge.id,
      campaignId: pledge.campaignId,
      investorId: pledge.investorId,
      founderId,
      currency,
      amount: amount.toString(),
      fromHoldback: split.fromHoldback.toString(),
      fromPayable: split.fromPayable.toString(),
      shortfall: split.shortfall.toString(),
      creditRecordId: claim?.id ?? null,
      requestedAt: now,
    };
    await this.repo.insertRefund(row, tx);
    await this.audit.append(
      {
        occurredAt: now,
        actorId: pledge.investorId,
        action: 'fulfilment.late_delivery_refunded',
        subjectType: 'pledge',
        subjectId: pledge.id,
        details: {
          campaignId: pledge.campaignId,
          amount: row.amount,
          fromHoldback: row.fromHoldback,
          fromPayable: row.fromPayable,
          shortfall: row.shortfall,
          rules: ['RW-03'],
        },
      },
      tx,
    );
    await this.notices.record(
      [
        {
          recipientId: pledge.investorId,
          type: 'delivery.late_refund_paid',
          campaignId: pledge.campaignId,
          params: {
            pledgeId: pledge.id,
            campaignTitle,
            amount: split.fromHoldback.plus(split.fromPayable).toString(),
            shortfall: row.shortfall,
            currency,
          },
          dedupeKey: `late-refund:${pledge.id}`,
        },
      ],
      tx,
    );
    return row;
  }
}

function toView(r: RefundRow): LateRefundView {
  return {
    pledgeId: r.pledgeId,
    campaignId: r.campaignId,
    currency: r.currency,
    amount: r.amount,
    fromHoldback: r.fromHoldback,
    fromPayable: r.fromPayable,
    shortfall: r.shortfall,
    claimCreditRecordId: r.creditRecordId,
    ...claimStateOf(r),
    requestedAt: r.requestedAt.toISOString(),
  };
}
