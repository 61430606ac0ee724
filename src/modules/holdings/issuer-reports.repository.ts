import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CursorCodec, type Page } from '../../common/pagination/cursor-codec.js';
import { type Keyset, keysetSql, type PageRequest, pageFrom } from '../../database/keyset-page.js';
import type { Tx } from '../../database/transaction.js';

/** A campaign's reports, newest first (index issuer_reports_campaign_idx). */
const REPORTS: Keyset = {
  list: 'issuer-reports',
  key: 'filed_at',
  keyKind: 'timestamptz',
  id: 'id',
  idKind: 'uuid',
  direction: 'DESC',
};

export const REPORT_KINDS = ['ANNUAL', 'MATERIAL_EVENT'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface IssuerReportRow {
  id: string;
  campaignId: string;
  kind: ReportKind;
  fiscalYear: number | null;
  title: string;
  body: string;
  filedBy: string;
  filedAt: Date;
}

const REPORT = `id, campaign_id AS "campaignId", kind, fiscal_year AS "fiscalYear", title, body,
  filed_by AS "filedBy", filed_at AS "filedAt"`;

/** Issuer reports and the overdue notices (issue 15; written only by the holdings module). */
@Injectable()
export class IssuerReportsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: CursorCodec,
  ) {}

  /** Inserts the report; false when an ANNUAL report for that fiscal year exists already. */
  async insert(r: IssuerReportRow, tx: Tx): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO issuer_reports (id, campaign_id, kind, fiscal_year, title, body, filed_by, filed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (campaign_id, fiscal_year) WHERE kind = 'ANNUAL' DO NOTHING RETURNING id`,
      [r.id, r.campaignId, r.kind, r.fiscalYear, r.title, r.body, r.filedBy, r.filedAt],
    );
    return rows.length === 1;
  }

  /**
   * Locks the campaign's register (its certificate counter row) until the transaction ends: an
   * annual report and the sweep's overdue notice for it take turns. False: no register.
   */
  async lockRegister(campaignId: string, tx: Tx): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `SELECT campaign_id FROM holding_certificate_counters WHERE campaign_id = $1 FOR UPDATE`,
      [campaignId],
    );
    return rows.length === 1;
  }

  /** One cursor page of a campaign's reports, newest first. */
  async page(campaignId: string, page: PageRequest): Promise<Page<IssuerReportRow>> {
    const params: unknown[] = [campaignId];
    const sql = keysetSql(this.cursors, REPORTS, page.cursor, (v) => {
      params.push(v);
      return `$${params.length}`;
    });
    const rows: (IssuerReportRow & { keyset_key: string; keyset_id: string })[] =
      await this.dataSource.query(
        `SELECT ${REPORT}, ${sql.keyText} AS keyset_key, ${sql.idText} AS keyset_id
           FROM issuer_reports WHERE campaign_id = $1 ${sql.where ? `AND ${sql.where}` : ''}
          ORDER BY ${sql.orderBy} LIMIT ${page.limit + 1}`,
        params,
      );
    return pageFrom(
      this.cursors,
      REPORTS,
      rows,
      page.limit,
      ({ keyset_key: _k, keyset_id: _i, ...r }) => r,
    );
  }

  /**
   * Campaigns and fiscal years with a register but no annual report, from the register's first
   * (Beijing) year through `lastDueYear`, not noticed yet: the sweep's work list.
   */
  missingAnnual(
    lastDueYear: number,
    limit: number,
  ): Promise<{ campaignId: string; fiscalYear: number }[]> {
    return this.dataSource.query(
      `WITH registers AS (
         SELECT campaign_id,
                EXTRACT(YEAR FROM min(issued_at) AT TIME ZONE 'Asia/Shanghai')::int AS first_year
           FROM holdings GROUP BY campaign_id)
       SELECT r.campaign_id AS "campaignId", y::int AS "fiscalYear"
         FROM registers r, generate_series(r.first_year, $1::int) AS y
        WHERE NOT EXISTS (SELECT 1 FROM issuer_reports a WHERE a.campaign_id = r.campaign_id
                            AND a.kind = 'ANNUAL' AND a.fiscal_year = y)
          AND NOT EXISTS (SELECT 1 FROM issuer_report_overdue o
                           WHERE o.campaign_id = r.campaign_id AND o.fiscal_year = y)
        ORDER BY y, r.campaign_id LIMIT $2`,
      [lastDueYear, limit],
    );
  }

  /** Claims the notice for (campaign, year): false when another sweep or a report got there first. */
  async claimOverdue(
    o: { campaignId: string; fiscalYear: number; dueAt: Date; noticedAt: Date },
    creditRecordId: string,
    holders: number,
    tx: Tx,
  ): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO issuer_report_overdue (campaign_id, fiscal_year, due_at, noticed_at, credit_record_id, holders)
       SELECT $1, $2, $3, $4, $5, $6
        WHERE NOT EXISTS (SELECT 1 FROM issuer_reports a WHERE a.campaign_id = $1
                            AND a.kind = 'ANNUAL' AND a.fiscal_year = $2)
       ON CONFLICT (campaign_id, fiscal_year) DO NOTHING RETURNING campaign_id`,
      [o.campaignId, o.fiscalYear, o.dueAt, o.noticedAt, creditRecordId, holders],
    );
    return rows.length === 1;
  }

  /** The fiscal years noticed as overdue for a campaign. */
  async overdueYears(campaignId: string): Promise<number[]> {
    const rows: { y: number }[] = await this.dataSource.query(
      `SELECT fiscal_year AS y FROM issuer_report_overdue WHERE campaign_id = $1 ORDER BY 1`,
      [campaignId],
    );
    return rows.map((r) => r.y);
  }
}
