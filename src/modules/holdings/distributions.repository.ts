import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CursorCodec, type Page } from '../../common/pagination/cursor-codec.js';
import { type Keyset, type PageRequest, rawKeysetPage } from '../../database/keyset-page.js';
import type { Tx } from '../../database/transaction.js';

export const DISTRIBUTION_KINDS = ['DIVIDEND', 'EXIT_PROCEEDS', 'SPV_DISTRIBUTION'] as const;
export type DistributionKind = (typeof DISTRIBUTION_KINDS)[number];

export interface DistributionRow {
  id: string;
  campaignId: string;
  kind: DistributionKind;
  amount: string;
  currency: string;
  withholdingRate: string;
  note: string | null;
  status: 'ANNOUNCED' | 'PAID';
  announcedBy: string;
  announcedAt: Date;
  bankReference: string | null;
  paidAt: Date | null;
  holders: number | null;
  taxWithheld: string | null;
  carryPaid: string | null;
}

type Keyed = { keyset_key: string; keyset_id: string };

const CAMPAIGN_DISTRIBUTIONS: Keyset = {
  list: 'campaign-distributions',
  key: 'announced_at',
  keyKind: 'timestamptz',
  id: 'id',
  idKind: 'uuid',
  direction: 'DESC',
};

const INVESTOR_STATEMENTS: Keyset = {
  list: 'distribution-statements',
  key: 'p.paid_at',
  keyKind: 'timestamptz',
  id: 'p.distribution_id',
  idKind: 'uuid',
  direction: 'DESC',
};

export interface PaymentRow {
  distributionId: string;
  investorId: string;
  units: string;
  gross: string;
  tax: string;
  carry: string;
  net: string;
  paidAt: Date;
}

export type StatementRow = PaymentRow & {
  campaignId: string;
  kind: DistributionKind;
  currency: string;
};

const DISTRIBUTION = `id, campaign_id AS "campaignId", kind, amount::text AS amount, currency,
  withholding_rate::text AS "withholdingRate", note, status, announced_by AS "announcedBy",
  announced_at AS "announcedAt", bank_reference AS "bankReference", paid_at AS "paidAt", holders,
  tax_withheld::text AS "taxWithheld", carry_paid::text AS "carryPaid"`;

/** The distributions tables (issue 15; written only by the holdings module). */
@Injectable()
export class DistributionsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: CursorCodec,
  ) {}

  async insert(d: DistributionRow, tx: Tx): Promise<void> {
    await tx.query(
      `INSERT INTO distributions (id, campaign_id, kind, amount, currency, withholding_rate, note,
         status, announced_by, announced_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'ANNOUNCED', $8, $9)`,
      [
        d.id,
        d.campaignId,
        d.kind,
        d.amount,
        d.currency,
        d.withholdingRate,
        d.note,
        d.announcedBy,
        d.announcedAt,
      ],
    );
  }

  /** The distribution, locked until the transaction ends (payment takes turns with itself). */
  async lock(id: string, tx: Tx): Promise<DistributionRow | null> {
    const rows: DistributionRow[] = await tx.query(
      `SELECT ${DISTRIBUTION} FROM distributions WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  async find(id: string): Promise<DistributionRow | null> {
    const rows: DistributionRow[] = await this.dataSource.query(
      `SELECT ${DISTRIBUTION} FROM distributions WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** A campaign's distributions, newest first, in cursor pages (distributions_campaign_idx). */
  ofCampaign<T>(
    campaignId: string,
    page: PageRequest,
    view: (d: DistributionRow) => T,
  ): Promise<Page<T>> {
    return rawKeysetPage<DistributionRow & Keyed, T>(
      this.cursors,
      (sql, params) => this.dataSource.query(sql, params),
      CAMPAIGN_DISTRIBUTIONS,
      page,
      [campaignId],
      (k) =>
        `SELECT ${DISTRIBUTION}, ${k.columns} FROM distributions WHERE campaign_id = $1${k.after} ${k.tail}`,
      view,
    );
  }

  async markPaid(
    id: string,
    paid: {
      bankReference: string;
      paidAt: Date;
      holders: number;
      taxWithheld: string;
      carryPaid: string;
    },
    tx: Tx,
  ): Promise<void> {
    await tx.query(
      `UPDATE distributions SET status = 'PAID', bank_reference = $2, paid_at = $3, holders = $4,
         tax_withheld = $5, carry_paid = $6 WHERE id = $1 AND status = 'ANNOUNCED'`,
      [id, paid.bankReference, paid.paidAt, paid.holders, paid.taxWithheld, paid.carryPaid],
    );
  }

  /** Issue 15: per holder, what earlier distributions of the campaign paid after tax (carry incl.). */
  async receivedBefore(campaignId: string, exceptId: string, tx: Tx): Promise<Map<string, string>> {
    const rows: { investor_id: string; received: string }[] = await tx.query(
      `SELECT p.investor_id, sum(p.net + p.carry)::text AS received
         FROM distribution_payments p JOIN distributions d ON d.id = p.distribution_id
        WHERE d.campaign_id = $1 AND d.id <> $2 GROUP BY p.investor_id`,
      [campaignId, exceptId],
    );
    return new Map(rows.map((r) => [r.investor_id, r.received]));
  }

  async insertPayments(rows: readonly PaymentRow[], tx: Tx): Promise<void> {
    const col = (f: (r: PaymentRow) => unknown) => rows.map(f);
    await tx.query(
      `INSERT INTO distribution_payments
         (distribution_id, investor_id, units, gross, tax, net, paid_at, carry)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::numeric[], $5::numeric[],
         $6::numeric[], $7::timestamptz[], $8::numeric[])`,
      [
        col((r) => r.distributionId),
        col((r) => r.investorId),
        col((r) => r.units),
        col((r) => r.gross),
        col((r) => r.tax),
        col((r) => r.net),
        col((r) => r.paidAt),
        col((r) => r.carry),
      ],
    );
  }

  payments(distributionId: string): Promise<PaymentRow[]> {
    return this.dataSource.query(
      `SELECT distribution_id AS "distributionId", investor_id AS "investorId", units::text AS units,
              gross::text AS gross, tax::text AS tax, carry::text AS carry, net::text AS net,
              paid_at AS "paidAt"
         FROM distribution_payments WHERE distribution_id = $1 ORDER BY investor_id`,
      [distributionId],
    );
  }

  /**
   * An investor's statements: each distribution paid to them, newest first, in cursor pages
   * (distribution_payments_investor_idx; an investor has one payment per distribution).
   */
  ofInvestor<T>(
    investorId: string,
    page: PageRequest,
    view: (row: StatementRow) => T,
  ): Promise<Page<T>> {
    return rawKeysetPage<StatementRow & Keyed, T>(
      this.cursors,
      (sql, params) => this.dataSource.query(sql, params),
      INVESTOR_STATEMENTS,
      page,
      [investorId],
      (k) =>
        `SELECT p.distribution_id AS "distributionId", p.investor_id AS "investorId",
              p.units::text AS units, p.gross::text AS gross, p.tax::text AS tax,
              p.carry::text AS carry, p.net::text AS net,
              p.paid_at AS "paidAt", d.campaign_id AS "campaignId", d.kind, d.currency, ${k.columns}
         FROM distribution_payments p JOIN distributions d ON d.id = p.distribution_id
        WHERE p.investor_id = $1${k.after} ${k.tail}`,
      view,
    );
  }
}
