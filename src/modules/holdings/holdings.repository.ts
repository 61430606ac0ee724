import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CursorCodec, type Page } from '../../common/pagination/cursor-codec.js';
import { type Keyset, type PageRequest, rawKeysetPage } from '../../database/keyset-page.js';
import type { Tx } from '../../database/transaction.js';

export type Vehicle = 'DIRECT' | 'NOMINEE';

export interface EquityTermsRow {
  campaignId: string;
  shareClass: string;
  vehicle: Vehicle;
  nomineeName: string | null;
  updatedAt: Date;
}

export interface HoldingRow {
  id: string;
  campaignId: string;
  certificateNo: number;
  investorId: string;
  units: string;
  unitPrice: string;
  cost: string;
  currency: string;
  shareClass: string;
  vehicle: Vehicle;
  legalHolder: string | null;
  entry: 'ISSUE' | 'CORRECTION';
  correctsId: string | null;
  reason: string | null;
  recordedBy: string | null;
  issuedAt: Date;
}

const HOLDING = `h.id, h.campaign_id AS "campaignId", h.certificate_no AS "certificateNo",
  h.investor_id AS "investorId", h.units::text AS units, h.unit_price::text AS "unitPrice",
  h.cost::text AS cost, h.currency, h.share_class AS "shareClass", h.vehicle,
  h.legal_holder AS "legalHolder", h.entry, h.corrects_id AS "correctsId", h.reason,
  h.recorded_by AS "recordedBy", h.issued_at AS "issuedAt"`;

/** A holding no later entry supersedes: the register as it stands. */
const INVESTOR_HOLDINGS: Keyset = {
  list: 'holdings',
  key: 'h.issued_at',
  keyKind: 'timestamptz',
  id: 'h.id',
  idKind: 'uuid',
  direction: 'DESC',
};

const CURRENT = `NOT EXISTS (SELECT 1 FROM holdings c WHERE c.corrects_id = h.id)`;

/** The holdings module's tables (DESIGN §2: written only here). */
@Injectable()
export class HoldingsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: CursorCodec,
  ) {}

  private m(tx?: Tx) {
    return tx ?? this.dataSource.manager;
  }

  async findTerms(campaignId: string, tx?: Tx): Promise<EquityTermsRow | null> {
    const rows: EquityTermsRow[] = await this.m(tx).query(
      `SELECT campaign_id AS "campaignId", share_class AS "shareClass", vehicle,
              nominee_name AS "nomineeName", updated_at AS "updatedAt"
         FROM equity_terms WHERE campaign_id = $1`,
      [campaignId],
    );
    return rows[0] ?? null;
  }

  async upsertTerms(t: EquityTermsRow, tx: Tx): Promise<void> {
    await tx.query(
      `INSERT INTO equity_terms (campaign_id, share_class, vehicle, nominee_name, updated_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (campaign_id) DO UPDATE SET share_class = EXCLUDED.share_class,
         vehicle = EXCLUDED.vehicle, nominee_name = EXCLUDED.nominee_name,
         updated_at = EXCLUDED.updated_at`,
      [t.campaignId, t.shareClass, t.vehicle, t.nomineeName, t.updatedAt],
    );
  }

  /**
   * Opens the campaign's certificate counter at `count`; false when it was open already (the
   * settlement's hand-over replayed: the register exists).
   */
  async openCounter(campaignId: string, count: number, tx: Tx): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO holding_certificate_counters (campaign_id, last_number) VALUES ($1, $2)
       ON CONFLICT (campaign_id) DO NOTHING RETURNING campaign_id`,
      [campaignId, count],
    );
    return rows.length === 1;
  }

  /** The next certificate number of an open register; the counter row stays locked until commit. */
  async nextNumber(campaignId: string, tx: Tx): Promise<number> {
    const rows: { last: number }[] = await tx.query(
      `WITH taken AS (UPDATE holding_certificate_counters SET last_number = last_number + 1
          WHERE campaign_id = $1 RETURNING last_number)
       SELECT last_number AS last FROM taken`,
      [campaignId],
    );
    return rows[0].last;
  }

  async insert(rows: readonly HoldingRow[], tx: Tx): Promise<void> {
    if (rows.length === 0) return;
    const col = (f: (r: HoldingRow) => unknown) => rows.map(f);
    await tx.query(
      `INSERT INTO holdings (id, campaign_id, certificate_no, investor_id, units, unit_price, cost,
         currency, share_class, vehicle, legal_holder, entry, corrects_id, reason, recorded_by,
         issued_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::uuid[], $5::bigint[],
         $6::numeric[], $7::numeric[], $8::char(3)[], $9::text[], $10::text[], $11::text[],
         $12::text[], $13::uuid[], $14::text[], $15::uuid[], $16::timestamptz[])`,
      [
        col((r) => r.id),
        col((r) => r.campaignId),
        col((r) => r.certificateNo),
        col((r) => r.investorId),
        col((r) => r.units),
        col((r) => r.unitPrice),
        col((r) => r.cost),
        col((r) => r.currency),
        col((r) => r.shareClass),
        col((r) => r.vehicle),
        col((r) => r.legalHolder),
        col((r) => r.entry),
        col((r) => r.correctsId),
        col((r) => r.reason),
        col((r) => r.recordedBy),
        col((r) => r.issuedAt),
      ],
    );
  }

  async find(id: string, tx?: Tx): Promise<HoldingRow | null> {
    const rows: HoldingRow[] = await this.m(tx).query(
      `SELECT ${HOLDING} FROM holdings h WHERE h.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Whether a later entry supersedes the holding (locks nothing; the caller holds the counter). */
  async superseded(id: string, tx: Tx): Promise<boolean> {
    const rows: unknown[] = await tx.query(`SELECT 1 FROM holdings WHERE corrects_id = $1`, [id]);
    return rows.length > 0;
  }

  /** An investor's current holdings, newest first, in cursor pages (holdings_investor_idx). */
  ofInvestor(investorId: string, page: PageRequest): Promise<Page<HoldingRow>> {
    return rawKeysetPage<HoldingRow & { keyset_key: string; keyset_id: string }, HoldingRow>(
      this.cursors,
      (sql, params) => this.dataSource.query(sql, params),
      INVESTOR_HOLDINGS,
      page,
      [investorId],
      (k) =>
        `SELECT ${HOLDING}, ${k.columns} FROM holdings h
          WHERE h.investor_id = $1 AND ${CURRENT}${k.after} ${k.tail}`,
      ({ keyset_key: _key, keyset_id: _id, ...row }) => row,
    );
  }

  /** Every entry of a campaign's register, corrections included, in certificate order. */
  entriesOf(campaignId: string): Promise<HoldingRow[]> {
    return this.dataSource.query(
      `SELECT ${HOLDING} FROM holdings h WHERE h.campaign_id = $1 ORDER BY h.certificate_no`,
      [campaignId],
    );
  }

  /** The register as it stands, per investor holding units (> 0): who the holders are now. */
  async unitsByHolder(campaignId: string, tx?: Tx): Promise<Map<string, bigint>> {
    const rows: { investorId: string; units: string }[] = await this.m(tx).query(
      `SELECT h.investor_id AS "investorId", sum(h.units)::text AS units FROM holdings h
        WHERE h.campaign_id = $1 AND ${CURRENT}
        GROUP BY h.investor_id HAVING sum(h.units) > 0 ORDER BY min(h.certificate_no)`,
      [campaignId],
    );
    return new Map(rows.map((r) => [r.investorId, BigInt(r.units)]));
  }
}
