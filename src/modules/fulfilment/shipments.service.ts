import { type ClaimState, claimStateOf } from './backer-claims.service.js';
import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { TransactionRunner } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { CampaignQueries } from '../campaign/index.js';
import { type PledgeFacts, PledgeFactsQueries } from '../pledge/index.js';
import { Deliveries, toTierView } from './deliveries.service.js';
import {
  AlreadyShippedError,
  CampaignNotSettledError,
  NotAPhysicalPledgeError,
  NotShippedError,
} from './fulfilment.errors.js';
import { FulfilmentRepository, type ShipmentRow } from './fulfilment.repository.js';
import { isLate, type ShippingAddress } from './fulfilment.rules.js';
import { Holdbacks } from './holdbacks.service.js';

export interface ShipmentInput {
  pledgeId: string;
  carrier: string;
  trackingNumber: string;
}

export interface DeliveryView {
  pledgeId: string;
  campaignId: string;
  tierId: string;
  deliveryMonth: string;
  dueAt: string;
  /** Masked (PLAT-06); null until the backer gives one. */
  address: ShippingAddress | null;
  shipment: {
    carrier: string;
    trackingNumber: string;
    status: string;
    shippedAt: string;
    confirmedAt: string | null;
    problem: string | null;
  } | null;
  /** RW-03: the delivery month passed without shipment; a refund may be asked for. */
  late: boolean;
  refund:
    | ({
        amount: string;
        fromHoldback: string;
        fromPayable: string;
        shortfall: string;
      } & ClaimState)
    | null;
}

export const FULFILMENT_CSV_HEADER = [
  'pledgeId',
  'tierId',
  'tierTitle',
  'deliveryMonth',
  'amount',
  'currency',
  'recipient',
  'phone',
  'region',
  'addressLine',
  'postalCode',
  'status',
  'carrier',
  'trackingNumber',
] as const;

/** RFC 4180 quoting; a cell that a spreadsheet would run as a formula is defused with a quote. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The founder's side of delivery: the fulfilment list (one row per settled pledge to a physical
 * tier, with the decrypted address for that founder only), shipments recorded in bulk; and the
 * backer's: confirm receipt (which may release the holdback, RW-03) or report a problem.
 */
@Injectable()
export class Shipments {
  constructor(
    private readonly repo: FulfilmentRepository,
    private readonly deliveries: Deliveries,
    private readonly holdbacks: Holdbacks,
    private readonly campaigns: CampaignQueries,
    private readonly pledges: PledgeFactsQueries,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /** The settled pledges of the founder's campaign that ship a physical item, with their tier. */
  private async physicalPledges(founder: AuthUser, campaignId: string) {
    const campaign = await this.deliveries.ownReward(founder, campaignId);
    const [plan, tiers, settled] = await Promise.all([
      this.repo.planOf(campaignId),
      this.campaigns.tiers(campaignId),
      this.pledges.settledOf(campaignId),
    ]);
    const physical = new Map(plan.filter((p) => p.physical).map((p) => [p.tierId, p]));
    const titles = new Map(tiers.map((t) => [t.id, t.title]));
    const owed = settled.flatMap((p) => {
      const tier = p.rewardTierId ? physical.get(p.rewardTierId) : undefined;
      return tier ? [{ pledge: p, tier, title: titles.get(tier.tierId) ?? '' }] : [];
    });
    return { campaign, owed };
  }

  /** GET /campaigns/:id/fulfilment.csv: one row per settled physical pledge (RW-03). */
  async csv(founder: AuthUser, campaignId: string): Promise<string> {
    const { owed } = await this.physicalPledges(founder, campaignId);
    const ids = owed.map((o) => o.pledge.id);
    const [addresses, shipments, refunds] = await Promise.all([
      this.deliveries.decryptedAddresses(ids),
      this.repo.shipmentsOf(campaignId),
      this.repo.refundsOf(campaignId),
    ]);
    const shipped = new Map(shipments.map((s) => [s.pledgeId, s]));
    const refunded = new Set(refunds.map((r) => r.pledgeId));
    const lines = [FULFILMENT_CSV_HEADER.join(',')];
    for (const { pledge, tier, title } of owed) {
      const a = addresses.get(pledge.id);
      const s = shipped.get(pledge.id);
      const status = refunded.has(pledge.id)
        ? 'REFUNDED'
        : (s?.status ?? (a ? 'TO_SHIP' : 'ADDRESS_MISSING'));
      const cells = [
        pledge.id,
        tier.tierId,
        title,
        tier.deliveryMonth.slice(0, 7),
        pledge.amount,
        pledge.currency,
        a?.recipient ?? '',
        a?.phone ?? '',
        a?.region ?? '',
        a?.line ?? '',
        a?.postalCode ?? '',
        status,
        s?.carrier ?? '',
        s?.trackingNumber ?? '',
      ];
      lines.push(cells.map(csvCell).join(','));
    }
    return lines.join('\r\n') + '\r\n';
  }

  /** POST /campaigns/:id/shipments: all or nothing; every pledge must be shippable now. */
  async record(
    founder: AuthUser,
    campaignId: string,
    items: readonly ShipmentInput[],
  ): Promise<{ recorded: number }> {
    const { campaign, owed } = await this.physicalPledges(founder, campaignId);
    if (campaign.status !== 'SETTLED') throw new CampaignNotSettledError(campaign.status);
    const owedIds = new Set(owed.map((o) => o.pledge.id));
    const named = items.map((i) => i.pledgeId);
    const wrong = named.filter((id, i) => !owedIds.has(id) || named.indexOf(id) !== i);
    if (wrong.length > 0) throw new NotAPhysicalPledgeError(wrong);
    await this.transactions.run(async (tx) => {
      const shipments = await this.repo.shipmentsOf(campaignId, tx); // one connection: in turn
      const refunds = await this.repo.refundsOf(campaignId, tx);
      const closed = new Set([
        ...shipments.filter((s) => s.status === 'DELIVERED').map((s) => s.pledgeId),
        ...refunds.map((r) => r.pledgeId),
      ]);
      const refused = named.filter((id) => closed.has(id));
      if (refused.length > 0) throw new AlreadyShippedError(refused);
      const now = this.clock.now();
      await this.repo.upsertShipments(
        items.map((i) => ({ ...i, campaignId })),
        founder.id,
        now,
        tx,
      );
      await this.audit.append(
        {
          occurredAt: now,
          actorId: founder.id,
          action: 'fulfilment.shipments_recorded',
          subjectType: 'campaign',
          subjectId: campaignId,
          details: { shipments: items.length, rules: ['RW-03'] },
        },
        tx,
      );
    });
    return { recorded: items.length };
  }

  async confirm(investor: AuthUser, pledgeId: string): Promise<DeliveryView> {
    const pledge = await this.deliveries.ownPledge(investor, pledgeId);
    await this.deliveries.physicalTier(pledge);
    await this.transactions.run(async (tx) => {
      // A release may follow: the founder's payable lock before the shipment's, as late refunds.
      await this.holdbacks.lockPayableOf(pledge.campaignId, tx);
      const shipment = await this.repo.lockShipment(pledge.id, tx);
      if (!shipment) throw new NotShippedError();
      if (shipment.status === 'DELIVERED') return;
      await this.repo.markDelivered(pledge.id, this.clock.now(), tx);
      await this.holdbacks.releaseIfDelivered(pledge.campaignId, tx);
    });
    return this.view(investor, pledgeId);
  }

  async reportProblem(
    investor: AuthUser,
    pledgeId: string,
    problem: string,
  ): Promise<DeliveryView> {
    const pledge = await this.deliveries.ownPledge(investor, pledgeId);
    await this.deliveries.physicalTier(pledge);
    await this.transactions.run(async (tx) => {
      const shipment = await this.repo.lockShipment(pledge.id, tx);
      if (!shipment) throw new NotShippedError();
      await this.repo.markProblem(pledge.id, problem, this.clock.now(), tx);
    });
    return this.view(investor, pledgeId);
  }

  async view(investor: AuthUser, pledgeId: string): Promise<DeliveryView> {
    const pledge = await this.deliveries.ownPledge(investor, pledgeId);
    return this.viewOf(pledge);
  }

  async viewOf(pledge: PledgeFacts): Promise<DeliveryView> {
    const tier = await this.deliveries.physicalTier(pledge);
    const [address, shipment, refund] = await Promise.all([
      this.deliveries.maskedAddress(pledge.id),
      this.repo.findShipment(pledge.id),
      this.repo.findRefund(pledge.id),
    ]);
    return {
      pledgeId: pledge.id,
      campaignId: pledge.campaignId,
      tierId: tier.tierId,
      deliveryMonth: toTierView(tier).deliveryMonth,
      dueAt: tier.dueAt.toISOString(),
      address,
      shipment: shipment ? toShipmentView(shipment) : null,
      late:
        pledge.status === 'SETTLED' &&
        !refund &&
        isLate(this.clock.now(), tier.deliveryMonth, shipment),
      refund: refund
        ? {
            amount: refund.amount,
            fromHoldback: refund.fromHoldback,
            fromPayable: refund.fromPayable,
            shortfall: refund.shortfall,
            ...claimStateOf(refund),
          }
        : null,
    };
  }
}

function toShipmentView(s: ShipmentRow): NonNullable<DeliveryView['shipment']> {
  return {
    carrier: s.carrier,
    trackingNumber: s.trackingNumber,
    status: s.status,
    shippedAt: s.shippedAt.toISOString(),
    confirmedAt: s.confirmedAt?.toISOString() ?? null,
    problem: s.problem,
  };
}
