import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError, ValidationFailedError } from '../../common/errors/domain-error.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { CampaignQueries, CampaignSubmitChecks } from '../campaign/index.js';
import { PiiVault } from '../identity/index.js';
import { type PledgeFacts, PledgeFactsQueries } from '../pledge/index.js';
import {
  AlreadyShippedError,
  DeliveryMonthRequiredError,
  DeliveryPlanLockedError,
  NotAPhysicalPledgeError,
  NotARewardCampaignError,
  UnknownTierError,
} from './fulfilment.errors.js';
import { FulfilmentRepository, type TierDelivery } from './fulfilment.repository.js';
import {
  deliveryDueAt,
  maskAddress,
  parseDeliveryMonth,
  type ShippingAddress,
} from './fulfilment.rules.js';

export interface TierDeliveryView {
  tierId: string;
  /** `YYYY-MM`. */
  deliveryMonth: string;
  physical: boolean;
}

/** A campaign row as CampaignQueries returns it (read-only). */
export type CampaignRow = NonNullable<Awaited<ReturnType<CampaignQueries['find']>>>;

export const addressContext = (pledgeId: string): string =>
  `shipping_addresses.address:${pledgeId}`;

/** Pledges whose reward may still be shipped: not ended by cancellation or refund. */
const SHIPPABLE = new Set([
  'COOLING_OFF',
  'AWAITING_CONFIRMATION',
  'ACTIVE',
  'AWAITING_RECONFIRMATION',
  'SETTLED',
]);

/**
 * RW-03 delivery plans (an estimated delivery month per reward tier, required at submit through
 * CampaignSubmitChecks) and the backer's shipping address for a physical tier, stored encrypted
 * and bound to its pledge (PLAT-06), shown masked.
 */
@Injectable()
export class Deliveries implements OnModuleInit {
  constructor(
    private readonly repo: FulfilmentRepository,
    private readonly campaigns: CampaignQueries,
    private readonly submitChecks: CampaignSubmitChecks,
    private readonly pledges: PledgeFactsQueries,
    private readonly vault: PiiVault,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.submitChecks.register('REWARD', (campaign, tx) => this.requirePlan(campaign.id, tx));
  }

  /** RW-03: at submit, every tier of a reward campaign has its delivery month. */
  async requirePlan(campaignId: string, tx: Tx): Promise<void> {
    const tiers = await this.campaigns.tiers(campaignId, tx); // one connection: in turn
    const plan = await this.repo.planOf(campaignId, tx);
    const planned = new Set(plan.map((p) => p.tierId));
    const missing = tiers.filter((t) => !planned.has(t.id)).map((t) => t.id);
    if (missing.length > 0) throw new DeliveryMonthRequiredError(missing);
  }

  async setPlan(
    founder: AuthUser,
    campaignId: string,
    items: readonly TierDeliveryView[],
  ): Promise<TierDeliveryView[]> {
    const campaign = await this.ownReward(founder, campaignId);
    if (campaign.status !== 'DRAFT' && campaign.status !== 'REJECTED')
      throw new DeliveryPlanLockedError(campaign.status);
    const rows: TierDelivery[] = items.map((item, i) => {
      const month = parseDeliveryMonth(item.deliveryMonth);
      if (!month)
        throw new ValidationFailedError([
          { field: `tiers[${i}].deliveryMonth`, problems: ['must be a month, YYYY-MM'] },
        ]);
      return { tierId: item.tierId, campaignId, deliveryMonth: month, physical: item.physical };
    });
    const tierIds = new Set((await this.campaigns.tiers(campaignId)).map((t) => t.id));
    const named = rows.map((r) => r.tierId);
    const unknown = named.filter((id) => !tierIds.has(id));
    const duplicated = named.filter((id, i) => named.indexOf(id) !== i);
    if (unknown.length > 0 || duplicated.length > 0)
      throw new UnknownTierError([...unknown, ...duplicated]);
    await this.transactions.run(async (tx) => {
      await this.repo.replacePlan(campaignId, rows, this.clock.now(), tx);
      await this.audit.append(
        {
          occurredAt: this.clock.now(),
          actorId: founder.id,
          action: 'fulfilment.delivery_plan_set',
          subjectType: 'campaign',
          subjectId: campaignId,
          details: { tiers: rows.length, rules: ['RW-03'] },
        },
        tx,
      );
    });
    return this.plan(campaignId);
  }

  async plan(campaignId: string): Promise<TierDeliveryView[]> {
    return (await this.repo.planOf(campaignId)).map(toTierView);
  }

  /** The backer gives (or corrects) the address for a physical reward until it ships. */
  async setAddress(
    investor: AuthUser,
    pledgeId: string,
    address: ShippingAddress,
  ): Promise<{ pledgeId: string; address: ShippingAddress }> {
    const pledge = await this.ownPledge(investor, pledgeId);
    await this.physicalTier(pledge);
    if (!SHIPPABLE.has(pledge.status)) throw new NotAPhysicalPledgeError([pledge.id]);
    const masked = maskAddress(address);
    await this.transactions.run(async (tx) => {
      const shipment = await this.repo.lockShipment(pledge.id, tx);
      if (shipment && shipment.status !== 'PROBLEM') throw new AlreadyShippedError([pledge.id]);
      await this.repo.upsertAddress(
        {
          pledgeId: pledge.id,
          campaignId: pledge.campaignId,
          investorId: investor.id,
          addressEncrypted: this.vault.encrypt(JSON.stringify(address), addressContext(pledge.id)),
          addressMasked: masked,
          updatedAt: this.clock.now(),
        },
        tx,
      );
    });
    return { pledgeId: pledge.id, address: masked };
  }

  /** Decrypted addresses by pledge: only for the owning founder's fulfilment list. */
  async decryptedAddresses(pledgeIds: readonly string[]): Promise<Map<string, ShippingAddress>> {
    const rows = await this.repo.addressesOf(pledgeIds);
    return new Map(
      rows.map((r) => [
        r.pledgeId,
        JSON.parse(
          this.vault.decrypt(r.addressEncrypted, addressContext(r.pledgeId)),
        ) as ShippingAddress,
      ]),
    );
  }

  async maskedAddress(pledgeId: string): Promise<ShippingAddress | null> {
    const [row] = await this.repo.addressesOf([pledgeId]);
    return row?.addressMasked ?? null;
  }

  /** The pledge, if it is the caller's (others' are not found, never forbidden). */
  async ownPledge(investor: AuthUser, pledgeId: string): Promise<PledgeFacts> {
    const pledge = await this.pledges.find(pledgeId);
    if (!pledge || pledge.investorId !== investor.id) throw new NotFoundError('Pledge');
    return pledge;
  }

  /** The pledge's tier delivery, if the tier ships a physical item (else 422). */
  async physicalTier(pledge: PledgeFacts, tx?: Tx): Promise<TierDelivery & { dueAt: Date }> {
    const campaign = await this.campaigns.find(pledge.campaignId, tx);
    if (!campaign || campaign.kind !== 'REWARD')
      throw new NotARewardCampaignError(campaign?.kind ?? 'UNKNOWN');
    const plan = await this.repo.planOf(pledge.campaignId, tx);
    const tier = plan.find((p) => p.tierId === pledge.rewardTierId && p.physical);
    if (!tier) throw new NotAPhysicalPledgeError([pledge.id]);
    return { ...tier, dueAt: deliveryDueAt(tier.deliveryMonth) };
  }

  async ownReward(founder: AuthUser, campaignId: string): Promise<CampaignRow> {
    const campaign = await this.campaigns.find(campaignId);
    if (!campaign || campaign.founderId !== founder.id) throw new NotFoundError('Campaign');
    if (campaign.kind !== 'REWARD') throw new NotARewardCampaignError(campaign.kind);
    return campaign;
  }
}

export function toTierView(p: TierDelivery): TierDeliveryView {
  return { tierId: p.tierId, deliveryMonth: p.deliveryMonth.slice(0, 7), physical: p.physical };
}
