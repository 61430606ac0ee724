import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Tx } from '../../database/transaction.js';
import { lockFounderPayable } from '../settlement/index.js';
import type { ShippingAddress } from './fulfilment.rules.js';

export interface TierDelivery {
  tierId: string;
  campaignId: string;
  /** First day of the month, `YYYY-MM-DD`. */
  deliveryMonth: string;
  physical: boolean;
}

export interface AddressRow {
  pledgeId: string;
  campaignId: string;
  investorId: string;
  addressEncrypted: string;
  addressMasked: ShippingAddress;
  updatedAt: Date;
}

export type ShipmentStatus = 'SHIPPED' | 'DELIVERED' | 'PROBLEM';

export interface ShipmentRow {
  pledgeId: string;
  campaignId: string;
  carrier: string;
  trackingNumber: string;
  status: ShipmentStatus;
  shippedAt: Date;
  recordedBy: string;
  confirmedAt: Date | null;
  problem: string | null;
  problemReportedAt: Date | null;
}

export interface HoldbackRow {
  campaignId: string;
  founderId: string;
  currency: string;
  net: string;
  rate: string;
  amount: string;
  refunded: string;
  released: string;
  status: 'HELD' | 'RELEASED';
  settledAt: Date;
  releaseDueAt: Date;
  releasedAt: Date | null;
  releaseReason: string | null;
}

export interface RefundRow {
  pledgeId: string;
  campaignId: string;
  investorId: string;
  founderId: string;
  currency: string;
  amount: string;
  fromHoldback: string;
  fromPayable: string;
  shortfall: string;
  creditRecordId: string | null;
  requestedAt: Date;
  /** Paid so far toward the claim (the shortfall), from the founder's payable. */
  claimPaid?: string;
  claimSettledAt?: Date | null;
}

const SHIPMENT = `pledge_id AS "pledgeId", campaign_id AS "campaignId", carrier,
  tracking_number AS "trackingNumber", status, shipped_at AS "shippedAt", recorded_by AS "recordedBy",
  confirmed_at AS "confirmedAt", problem, problem_reported_at AS "problemReportedAt"`;
const HOLDBACK = `campaign_id AS "campaignId", founder_id AS "founderId", currency, net::text AS net,
  rate::text AS rate, amount::text AS amount, refunded::text AS refunded, released::text AS released,
  status, settled_at AS "settledAt", release_due_at AS "releaseDueAt", released_at AS "releasedAt",
  release_reason AS "releaseReason"`;
const REFUND = `pledge_id AS "pledgeId", campaign_id AS "campaignId", investor_id AS "investorId",
  founder_id AS "founderId", currency, amount::text AS amount, from_holdback::text AS "fromHoldback",
  from_payable::text AS "fromPayable", shortfall::text AS shortfall,
  credit_record_id AS "creditRecordId", requested_at AS "requestedAt",
  claim_paid::text AS "claimPaid", claim_settled_at AS "claimSettledAt"`;

/** The fulfilment module's tables (migration 1765550000000); nothing else writes them. */
@Injectable()
export class FulfilmentRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(tx?: Tx): EntityManager {
    return tx ?? this.dataSource.manager;
  }

  // ------------------------------------------------------------------ delivery plans (RW-03)

  async replacePlan(campaignId: string, rows: readonly TierDelivery[], now: Date, tx: Tx) {
    await tx.query(`DELETE FROM reward_tier_deliveries WHERE campaign_id = $1`, [campaignId]);
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO reward_tier_deliveries (tier_id, campaign_id, delivery_month, physical, updated_at)
       SELECT t.tier_id, $1, t.month, t.physical, $2
       FROM unnest($3::uuid[], $4::date[], $5::boolean[]) AS t(tier_id, month, physical)`,
      [
        campaignId,
        now,
        rows.map((r) => r.tierId),
        rows.map((r) => r.deliveryMonth),
        rows.map((r) => r.physical),
      ],
    );
  }

  planOf(campaignId: string, tx?: Tx): Promise<TierDelivery[]> {
    return this.m(tx).query(
      `SELECT tier_id AS "tierId", campaign_id AS "campaignId", delivery_month::text AS "deliveryMonth",
              physical
       FROM reward_tier_deliveries WHERE campaign_id = $1 ORDER BY delivery_month, tier_id`,
      [campaignId],
    );
  }

  // ------------------------------------------------------------------ addresses (PLAT-06)

  async upsertAddress(row: AddressRow, tx: Tx): Promise<void> {
    await tx.query(
      `INSERT INTO shipping_addresses (pledge_id, campaign_id, investor_id, address_encrypted, address_masked, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (pledge_id) DO UPDATE
         SET address_encrypted = EXCLUDED.address_encrypted, address_masked = EXCLUDED.address_masked,
             updated_at = EXCLUDED.updated_at`,
      [
        row.pledgeId,
        row.campaignId,
        row.investorId,
        row.addressEncrypted,
        JSON.stringify(row.addressMasked),
        row.updatedAt,
      ],
    );
  }

  async addressesOf(pledgeIds: readonly string[], tx?: Tx): Promise<AddressRow[]> {
    if (pledgeIds.length === 0) return [];
    return this.m(tx).query(
      `SELECT pledge_id AS "pledgeId", campaign_id AS "campaignId", investor_id AS "investorId",
              address_encrypted AS "addressEncrypted", address_masked AS "addressMasked",
              updated_at AS "updatedAt"
       FROM shipping_addresses WHERE pledge_id = ANY($1::uuid[])`,
      [[...pledgeIds]],
    );
  }

  // ------------------------------------------------------------------ shipments

  shipmentsOf(campaignId: string, tx?: Tx): Promise<ShipmentRow[]> {
    return this.m(tx).query(`SELECT ${SHIPMENT} FROM shipments WHERE campaign_id = $1`, [
      campaignId,
    ]);
  }

  async lockShipment(pledgeId: string, tx: Tx): Promise<ShipmentRow | null> {
    const rows: ShipmentRow[] = await tx.query(
      `SELECT ${SHIPMENT} FROM shipments WHERE pledge_id = $1 FOR UPDATE`,
      [pledgeId],
    );
    return rows[0] ?? null;
  }

  async findShipment(pledgeId: string, tx?: Tx): Promise<ShipmentRow | null> {
    const rows: ShipmentRow[] = await this.m(tx).query(
      `SELECT ${SHIPMENT} FROM shipments WHERE pledge_id = $1`,
      [pledgeId],
    );
    return rows[0] ?? null;
  }

  /** Records or re-records shipments (a re-shipment after a problem starts over as SHIPPED). */
  async upsertShipments(
    rows: readonly Pick<ShipmentRow, 'pledgeId' | 'campaignId' | 'carrier' | 'trackingNumber'>[],
    recordedBy: string,
    now: Date,
    tx: Tx,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO shipments (pledge_id, campaign_id, carrier, tracking_number, status, shipped_at, recorded_by)
       SELECT s.pledge_id, s.campaign_id, s.carrier, s.tracking, 'SHIPPED', $5, $6
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) AS s(pledge_id, campaign_id, carrier, tracking)
       ON CONFLICT (pledge_id) DO UPDATE
         SET carrier = EXCLUDED.carrier, tracking_number = EXCLUDED.tracking_number, status = 'SHIPPED',
             shipped_at = EXCLUDED.shipped_at, recorded_by = EXCLUDED.recorded_by, confirmed_at = NULL,
             problem = NULL, problem_reported_at = NULL`,
      [
        rows.map((r) => r.pledgeId),
        rows.map((r) => r.campaignId),
        rows.map((r) => r.carrier),
        rows.map((r) => r.trackingNumber),
        now,
        recordedBy,
      ],
    );
  }

  async markDelivered(pledgeId: string, now: Date, tx: Tx): Promise<void> {
    await tx.query(
      `UPDATE shipments SET status = 'DELIVERED', confirmed_at = $2, problem = NULL, problem_reported_at = NULL
       WHERE pledge_id = $1`,
      [pledgeId, now],
    );
  }

  async markProblem(pledgeId: string, problem: string, now: Date, tx: Tx): Promise<void> {
    await tx.query(
      `UPDATE shipments SET status = 'PROBLEM', problem = $2, problem_reported_at = $3, confirmed_at = NULL
       WHERE pledge_id = $1`,
      [pledgeId, problem, now],
    );
  }

  // ------------------------------------------------------------------ holdbacks (RW-03)

  async insertHoldback(row: HoldbackRow, tx: Tx): Promise<void> {
    await tx.query(
      `INSERT INTO reward_holdbacks (campaign_id, founder_id, currency, net, rate, amount, refunded,
         released, status, settled_at, release_due_at, released_at, release_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (campaign_id) DO NOTHING`,
      [
        row.campaignId,
        row.founderId,
        row.currency,
        row.net,
        row.rate,
        row.amount,
        row.refunded,
        row.released,
        row.status,
        row.settledAt,
        row.releaseDueAt,
        row.releasedAt,
        row.releaseReason,
      ],
    );
  }

  async findHoldback(campaignId: string, tx?: Tx): Promise<HoldbackRow | null> {
    const rows: HoldbackRow[] = await this.m(tx).query(
      `SELECT ${HOLDBACK} FROM reward_holdbacks WHERE campaign_id = $1`,
      [campaignId],
    );
    return rows[0] ?? null;
  }

  async lockHoldback(campaignId: string, tx: Tx): Promise<HoldbackRow | null> {
    const rows: HoldbackRow[] = await tx.query(
      `SELECT ${HOLDBACK} FROM reward_holdbacks WHERE campaign_id = $1 FOR UPDATE`,
      [campaignId],
    );
    return rows[0] ?? null;
  }

  /** HELD holdbacks, oldest due first; several instances share them (SKIP LOCKED). */
  async heldIds(limit: number): Promise<string[]> {
    const rows: { campaignId: string }[] = await this.m().query(
      `SELECT campaign_id AS "campaignId" FROM reward_holdbacks WHERE status = 'HELD'
       ORDER BY release_due_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.campaignId);
  }

  async lockHeldSkipLocked(campaignId: string, tx: Tx): Promise<HoldbackRow | null> {
    const rows: HoldbackRow[] = await tx.query(
      `SELECT ${HOLDBACK} FROM reward_holdbacks WHERE campaign_id = $1 AND status = 'HELD'
       FOR UPDATE SKIP LOCKED`,
      [campaignId],
    );
    return rows[0] ?? null;
  }

  async addRefunded(campaignId: string, amount: string, tx: Tx): Promise<void> {
    await tx.query(
      `UPDATE reward_holdbacks SET refunded = refunded + $2::numeric WHERE campaign_id = $1`,
      [campaignId, amount],
    );
  }

  async markReleased(
    campaignId: string,
    released: string,
    reason: string,
    now: Date,
    tx: Tx,
  ): Promise<void> {
    await tx.query(
      `UPDATE reward_holdbacks SET status = 'RELEASED', released = $2::numeric, release_reason = $3,
         released_at = $4
       WHERE campaign_id = $1 AND status = 'HELD'`,
      [campaignId, released, reason, now],
    );
  }

  // ------------------------------------------------------------------ late-delivery refunds

  /** One founder's refunds are decided one at a time (their payable is read, then debited). */
  async lockFounder(founderId: string, tx: Tx): Promise<void> {
    await lockFounderPayable(founderId, tx); // the same lock as payout requests and claims
  }

  async findRefund(pledgeId: string, tx?: Tx): Promise<RefundRow | null> {
    const rows: RefundRow[] = await this.m(tx).query(
      `SELECT ${REFUND} FROM late_delivery_refunds WHERE pledge_id = $1`,
      [pledgeId],
    );
    return rows[0] ?? null;
  }

  refundsOf(campaignId: string, tx?: Tx): Promise<RefundRow[]> {
    return this.m(tx).query(
      `SELECT ${REFUND} FROM late_delivery_refunds WHERE campaign_id = $1 ORDER BY requested_at`,
      [campaignId],
    );
  }

  async insertRefund(row: RefundRow, tx: Tx): Promise<void> {
    await tx.query(
      `INSERT INTO late_delivery_refunds (pledge_id, campaign_id, investor_id, founder_id, currency,
         amount, from_holdback, from_payable, shortfall, credit_record_id, requested_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        row.pledgeId,
        row.campaignId,
        row.investorId,
        row.founderId,
        row.currency,
        row.amount,
        row.fromHoldback,
        row.fromPayable,
        row.shortfall,
        row.creditRecordId,
        row.requestedAt,
      ],
    );
  }
}
