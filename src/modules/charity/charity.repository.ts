import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CursorCodec, type Page } from '../../common/pagination/cursor-codec.js';
import { type Keyset, type PageRequest, rawKeysetPage } from '../../database/keyset-page.js';
import type { Tx } from '../../database/transaction.js';

export interface PlanItem {
  purpose: string;
  amount: string;
}

export interface DonationPlanRow {
  campaignId: string;
  charityId: string;
  charityUscc: string;
  fundUsePlan: PlanItem[];
  planTotal: string;
  updatedAt: Date;
}

export interface DonationSettlementRow {
  campaignId: string;
  charityId: string;
  currency: string;
  raised: string;
  net: string;
  settledAt: Date;
  reportDueAt: Date;
  overdueNoticedAt: Date | null;
  creditRecordId: string | null;
}

export interface ReceiptRow {
  id: string;
  receiptNo: string;
  charityId: string;
  year: number;
  number: number;
  pledgeId: string;
  campaignId: string;
  donorId: string;
  donorNameMasked: string;
  amount: string;
  currency: string;
  donatedAt: Date;
  charityName: string;
  charityUscc: string;
  issuedAt: Date;
}

export interface ReportItem {
  purpose: string;
  amount: string;
  evidence: string[];
}

export interface FundUseReportRow {
  id: string;
  campaignId: string;
  charityId: string;
  items: ReportItem[];
  total: string;
  filedAt: Date;
}

const PLAN = `campaign_id AS "campaignId", charity_id AS "charityId", charity_uscc AS "charityUscc",
  fund_use_plan AS "fundUsePlan", plan_total::text AS "planTotal", updated_at AS "updatedAt"`;
const SETTLEMENT = `campaign_id AS "campaignId", charity_id AS "charityId", currency,
  raised::text AS raised, net::text AS net, settled_at AS "settledAt", report_due_at AS "reportDueAt",
  overdue_noticed_at AS "overdueNoticedAt", credit_record_id AS "creditRecordId"`;
const RECEIPT = `id, receipt_no AS "receiptNo", charity_id AS "charityId", year, number,
  pledge_id AS "pledgeId", campaign_id AS "campaignId", donor_id AS "donorId",
  donor_name_masked AS "donorNameMasked", amount::text AS amount, currency, donated_at AS "donatedAt",
  charity_name AS "charityName", charity_uscc AS "charityUscc", issued_at AS "issuedAt"`;
const REPORT = `id, campaign_id AS "campaignId", charity_id AS "charityId", items,
  total::text AS total, filed_at AS "filedAt"`;

/** A donor's receipts, newest first (index donation_receipts_donor_idx). */
const DONOR_RECEIPTS: Keyset = {
  list: 'donor-receipts',
  key: 'issued_at',
  keyKind: 'timestamptz',
  id: 'id',
  idKind: 'uuid',
  direction: 'DESC',
};

/**
 * A campaign's receipts in number order (index donation_receipts_campaign_idx). All of a
 * campaign's receipts are numbered in its one settlement, so in one charity's year: the number
 * alone orders them; the id only makes the key unique.
 */
const CAMPAIGN_RECEIPTS: Keyset = {
  list: 'campaign-receipts',
  key: 'number',
  keyKind: 'bigint',
  id: 'id',
  idKind: 'uuid',
  direction: 'ASC',
};

type KeyedReceipt = ReceiptRow & { keyset_key: string; keyset_id: string };

/** The charity module's tables (migration 1765560000000); nothing else writes them. */
@Injectable()
export class CharityRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: CursorCodec,
  ) {}

  private m(tx?: Tx): EntityManager {
    return tx ?? this.dataSource.manager;
  }

  async upsertPlan(row: DonationPlanRow, tx?: Tx): Promise<void> {
    await this.m(tx).query(
      `INSERT INTO donation_plans (campaign_id, charity_id, charity_uscc, fund_use_plan, plan_total, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (campaign_id) DO UPDATE SET charity_id = EXCLUDED.charity_id,
         charity_uscc = EXCLUDED.charity_uscc, fund_use_plan = EXCLUDED.fund_use_plan,
         plan_total = EXCLUDED.plan_total, updated_at = EXCLUDED.updated_at`,
      [
        row.campaignId,
        row.charityId,
        row.charityUscc,
        JSON.stringify(row.fundUsePlan),
        row.planTotal,
        row.updatedAt,
      ],
    );
  }

  async findPlan(campaignId: string, tx?: Tx): Promise<DonationPlanRow | null> {
    const rows: DonationPlanRow[] = await this.m(tx).query(
      `SELECT ${PLAN} FROM donation_plans WHERE campaign_id = $1`,
      [campaignId],
    );
    return rows[0] ?? null;
  }

  async insertSettlement(row: DonationSettlementRow, tx: Tx): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO donation_settlements (campaign_id, charity_id, currency, raised, net, settled_at, report_due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (campaign_id) DO NOTHING RETURNING campaign_id`,
      [
        row.campaignId,
        row.charityId,
        row.currency,
        row.raised,
        row.net,
        row.settledAt,
        row.reportDueAt,
      ],
    );
    return rows.length === 1;
  }

  async findSettlement(campaignId: string, tx?: Tx): Promise<DonationSettlementRow | null> {
    const rows: DonationSettlementRow[] = await this.m(tx).query(
      `SELECT ${SETTLEMENT} FROM donation_settlements WHERE campaign_id = $1`,
      [campaignId],
    );
    return rows[0] ?? null;
  }

  async lockSettlement(campaignId: string, tx: Tx): Promise<DonationSettlementRow | null> {
    const rows: DonationSettlementRow[] = await tx.query(
      `SELECT ${SETTLEMENT} FROM donation_settlements WHERE campaign_id = $1 FOR UPDATE`,
      [campaignId],
    );
    return rows[0] ?? null;
  }

  /**
   * Takes `count` receipt numbers for the charity's year: the counter row stays locked until the
   * settling transaction ends, so concurrent settlements number one after the other, and a
   * rolled-back settlement gives its numbers back. Returns the last number taken.
   */
  async takeNumbers(charityId: string, year: number, count: number, tx: Tx): Promise<number> {
    const rows: { last: number }[] = await tx.query(
      `INSERT INTO donation_receipt_counters AS c (charity_id, year, last_number) VALUES ($1, $2, $3)
       ON CONFLICT (charity_id, year) DO UPDATE SET last_number = c.last_number + EXCLUDED.last_number
       RETURNING last_number AS last`,
      [charityId, year, count],
    );
    return rows[0].last;
  }

  async insertReceipts(rows: readonly ReceiptRow[], tx: Tx): Promise<void> {
    if (rows.length === 0) return;
    const cols = (f: (r: ReceiptRow) => unknown) => rows.map(f);
    await tx.query(
      `INSERT INTO donation_receipts (id, receipt_no, charity_id, year, number, pledge_id, campaign_id,
         donor_id, donor_name_masked, amount, currency, donated_at, charity_name, charity_uscc, issued_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::int[], $5::int[], $6::uuid[],
         $7::uuid[], $8::uuid[], $9::text[], $10::numeric[], $11::char(3)[], $12::timestamptz[],
         $13::text[], $14::text[], $15::timestamptz[])`,
      [
        cols((r) => r.id),
        cols((r) => r.receiptNo),
        cols((r) => r.charityId),
        cols((r) => r.year),
        cols((r) => r.number),
        cols((r) => r.pledgeId),
        cols((r) => r.campaignId),
        cols((r) => r.donorId),
        cols((r) => r.donorNameMasked),
        cols((r) => r.amount),
        cols((r) => r.currency),
        cols((r) => r.donatedAt),
        cols((r) => r.charityName),
        cols((r) => r.charityUscc),
        cols((r) => r.issuedAt),
      ],
    );
  }

  async findReceipt(id: string): Promise<ReceiptRow | null> {
    const rows: ReceiptRow[] = await this.m().query(
      `SELECT ${RECEIPT} FROM donation_receipts WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** A donor's receipts, newest first, in cursor pages (issue 16). */
  receiptsOfDonor<T>(
    donorId: string,
    page: PageRequest,
    view: (r: ReceiptRow) => T,
  ): Promise<Page<T>> {
    return this.receiptPage(DONOR_RECEIPTS, 'donor_id', donorId, page, view);
  }

  /** A campaign's receipts in number order, in cursor pages (issue 16). */
  receiptsOfCampaign<T>(
    campaignId: string,
    page: PageRequest,
    view: (r: ReceiptRow) => T,
  ): Promise<Page<T>> {
    return this.receiptPage(CAMPAIGN_RECEIPTS, 'campaign_id', campaignId, page, view);
  }

  private receiptPage<T>(
    keyset: Keyset,
    column: 'donor_id' | 'campaign_id',
    value: string,
    page: PageRequest,
    view: (r: ReceiptRow) => T,
  ): Promise<Page<T>> {
    return rawKeysetPage<KeyedReceipt, T>(
      this.cursors,
      (sql, params) => this.m().query(sql, params),
      keyset,
      page,
      [value],
      (k) =>
        `SELECT ${RECEIPT}, ${k.columns} FROM donation_receipts WHERE ${column} = $1${k.after} ${k.tail}`,
      view,
    );
  }

  async donorsOf(campaignId: string, tx: Tx): Promise<string[]> {
    const rows: { donorId: string }[] = await tx.query(
      `SELECT DISTINCT donor_id AS "donorId" FROM donation_receipts WHERE campaign_id = $1`,
      [campaignId],
    );
    return rows.map((r) => r.donorId);
  }

  async insertReport(row: FundUseReportRow, tx: Tx): Promise<void> {
    await tx.query(
      `INSERT INTO fund_use_reports (id, campaign_id, charity_id, items, total, filed_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [row.id, row.campaignId, row.charityId, JSON.stringify(row.items), row.total, row.filedAt],
    );
  }

  reportsOf(campaignId: string, tx?: Tx): Promise<FundUseReportRow[]> {
    return this.m(tx).query(
      `SELECT ${REPORT} FROM fund_use_reports WHERE campaign_id = $1 ORDER BY filed_at, id`,
      [campaignId],
    );
  }

  /** Settled donation campaigns past their report date with no report and no notice yet. */
  async overdueIds(now: Date, limit: number): Promise<string[]> {
    const rows: { campaignId: string }[] = await this.m().query(
      `SELECT s.campaign_id AS "campaignId" FROM donation_settlements s
       WHERE s.overdue_noticed_at IS NULL AND s.report_due_at <= $1
         AND NOT EXISTS (SELECT 1 FROM fund_use_reports r WHERE r.campaign_id = s.campaign_id)
       ORDER BY s.report_due_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.campaignId);
  }

  async lockOverdue(campaignId: string, now: Date, tx: Tx): Promise<DonationSettlementRow | null> {
    const rows: DonationSettlementRow[] = await tx.query(
      `SELECT ${SETTLEMENT} FROM donation_settlements s
       WHERE s.campaign_id = $1 AND s.overdue_noticed_at IS NULL AND s.report_due_at <= $2
         AND NOT EXISTS (SELECT 1 FROM fund_use_reports r WHERE r.campaign_id = s.campaign_id)
       FOR UPDATE SKIP LOCKED`,
      [campaignId, now],
    );
    return rows[0] ?? null;
  }

  async markOverdue(campaignId: string, now: Date, creditRecordId: string, tx: Tx): Promise<void> {
    await tx.query(
      `UPDATE donation_settlements SET overdue_noticed_at = $2, credit_record_id = $3 WHERE campaign_id = $1`,
      [campaignId, now, creditRecordId],
    );
  }
}
