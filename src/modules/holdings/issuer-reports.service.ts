import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import {
  ConflictError,
  NotFoundError,
  RuleViolationError,
} from '../../common/errors/domain-error.js';
import { NOTICES, type NoticeSink } from '../../common/notices/notices.port.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import { rulePackConfig, type RulePackConfig } from '../../config/namespaces.js';
import type { PageRequest } from '../../database/keyset-page.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { CampaignQueries } from '../campaign/index.js';
import { CreditService } from '../credit/index.js';
import { HoldingsRepository } from './holdings.repository.js';
import {
  type IssuerReportRow,
  IssuerReportsRepository,
  type ReportKind,
} from './issuer-reports.repository.js';

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The (Beijing) calendar year of an instant: the fiscal year it falls in. */
export const fiscalYearOf = (instant: Date): number =>
  new Date(instant.getTime() + SHANGHAI_OFFSET_MS).getUTCFullYear();

/** CN-ECF-07 / US-CF-20: the annual report of fiscal year `year` is due `dueDays` after it ends. */
export const annualReportDueAt = (year: number, dueDays: number): Date =>
  new Date(Date.UTC(year + 1, 0, 1) - SHANGHAI_OFFSET_MS + dueDays * DAY_MS);

/** The latest fiscal year whose annual report is due at `now` (null: none yet). */
export function lastDueYear(now: Date, dueDays: number): number {
  let year = fiscalYearOf(now);
  while (annualReportDueAt(year, dueDays) > now) year--;
  return year;
}

export interface IssuerReportView {
  id: string;
  campaignId: string;
  kind: ReportKind;
  fiscalYear: number | null;
  title: string;
  body: string;
  filedAt: string;
}

/**
 * Issuer reporting (issue 15; CN-ECF-07, US-CF-20 analogue): after the close the issuer files an
 * annual report per (Beijing) fiscal year and material-event reports to its holders, each of whom
 * is told. A sweep finds a missing annual report `issuerAnnualReportDueDays` (120) after the year
 * end: every holder is notified and the founder gets a credit WARNING, once per year.
 */
@Injectable()
export class IssuerReports {
  constructor(
    private readonly repo: IssuerReportsRepository,
    private readonly holdings: HoldingsRepository,
    private readonly campaigns: CampaignQueries,
    private readonly credit: CreditService,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(NOTICES) private readonly notices: NoticeSink,
    @Inject(rulePackConfig.KEY) private readonly pack: RulePackConfig,
  ) {}

  async file(
    founder: AuthUser,
    campaignId: string,
    input: { kind: ReportKind; fiscalYear?: number | null; title: string; body: string },
  ): Promise<IssuerReportView> {
    const campaign = await this.campaigns.find(campaignId);
    if (!campaign || campaign.founderId !== founder.id || campaign.kind !== 'EQUITY')
      throw new NotFoundError('Campaign');
    const now = this.clock.now();
    const annual = input.kind === 'ANNUAL';
    if (annual !== (input.fiscalYear != null))
      throw new RuleViolationError(
        'HOLDINGS.FISCAL_YEAR',
        'An ANNUAL report names its fiscalYear; a MATERIAL_EVENT report names none.',
      );
    if (annual && (input.fiscalYear as number) >= fiscalYearOf(now))
      throw new RuleViolationError(
        'HOLDINGS.FISCAL_YEAR',
        'The annual report of a fiscal year is filed once the year has ended.',
        { fiscalYear: input.fiscalYear, currentFiscalYear: fiscalYearOf(now) },
      );
    const row: IssuerReportRow = {
      id: randomUUID(),
      campaignId,
      kind: input.kind,
      fiscalYear: annual ? (input.fiscalYear as number) : null,
      title: input.title.trim(),
      body: input.body.trim(),
      filedBy: founder.id,
      filedAt: now,
    };
    await this.transactions.run(async (tx) => {
      if (!(await this.repo.lockRegister(campaignId, tx)))
        throw new RuleViolationError(
          'HOLDINGS.NO_REGISTER',
          'Reports go to holders: this campaign has settled no holdings.',
        );
      if (!(await this.repo.insert(row, tx)))
        throw new ConflictError(
          'HOLDINGS.REPORT_EXISTS',
          `The annual report of fiscal year ${row.fiscalYear} was filed already; file a MATERIAL_EVENT report to correct it.`,
        );
      await this.tellHolders(campaignId, 'holdings.report_filed', `report:${row.id}`, tx, {
        kind: row.kind,
        title: row.title,
      });
      await this.audit.append(
        {
          occurredAt: now,
          actorId: founder.id,
          action: 'holdings.report_filed',
          subjectType: 'campaign',
          subjectId: campaignId,
          details: { reportId: row.id, kind: row.kind, fiscalYear: row.fiscalYear },
        },
        tx,
      );
    });
    return toView(row);
  }

  /** The reports of a campaign for its holders, its issuer and staff; anyone else: not found. */
  async list(
    user: AuthUser,
    campaignId: string,
    page: PageRequest,
  ): Promise<Page<IssuerReportView>> {
    const campaign = await this.campaigns.find(campaignId);
    const staff = user.role === 'ADMIN' || user.role === 'FINANCE';
    const holder =
      user.role === 'INVESTOR' && (await this.holdings.unitsByHolder(campaignId)).has(user.id);
    if (!campaign || !(staff || holder || campaign.founderId === user.id))
      throw new NotFoundError('Campaign');
    const rows = await this.repo.page(campaignId, page);
    return { items: rows.items.map(toView), nextCursor: rows.nextCursor };
  }

  /** The sweep: each missing annual report past its date, once per campaign and fiscal year. */
  async noticeOverdue(limit = 500): Promise<number> {
    const now = this.clock.now();
    const dueDays = this.pack.parameters.issuerAnnualReportDueDays;
    let noticed = 0;
    for (const missing of await this.repo.missingAnnual(lastDueYear(now, dueDays), limit)) {
      const dueAt = annualReportDueAt(missing.fiscalYear, dueDays);
      const done = await this.transactions
        .run(async (tx) => {
          if (!(await this.repo.lockRegister(missing.campaignId, tx))) return false;
          const campaign = await this.campaigns.find(missing.campaignId, tx);
          if (!campaign) return false;
          const record = await this.credit.recordIn(
            null,
            {
              userId: campaign.founderId,
              kind: 'OTHER',
              severity: 'WARNING',
              source: 'holdings:annual-report',
              note: `CN-ECF-07: no annual report for fiscal year ${missing.fiscalYear} of equity campaign ${missing.campaignId}, due ${dueAt.toISOString()}.`,
            },
            tx,
          );
          const holders = await this.tellHolders(
            missing.campaignId,
            'holdings.annual_report_overdue',
            `annual-report-overdue:${missing.fiscalYear}`,
            tx,
            { fiscalYear: missing.fiscalYear, dueAt: dueAt.toISOString() },
          );
          const claimed = await this.repo.claimOverdue(
            { ...missing, dueAt, noticedAt: now },
            record.id,
            holders,
            tx,
          );
          // A report filed or another sweep got there first: undo this run's record and notices.
          if (!claimed) throw new OverdueTaken();
          await this.audit.append(
            {
              occurredAt: now,
              actorId: null,
              action: 'holdings.annual_report_overdue',
              subjectType: 'campaign',
              subjectId: missing.campaignId,
              details: {
                fiscalYear: missing.fiscalYear,
                holders,
                creditRecordId: record.id,
                rules: ['CN-ECF-07', 'US-CF-20'],
              },
            },
            tx,
          );
          return true;
        })
        .catch((error: unknown) => {
          if (error instanceof OverdueTaken) return false;
          throw error;
        });
      if (done) noticed++;
    }
    return noticed;
  }

  /** Notifies every current holder once (the dedupe key); returns how many. */
  private async tellHolders(
    campaignId: string,
    type: 'holdings.report_filed' | 'holdings.annual_report_overdue',
    dedupe: string,
    tx: Tx,
    params: Record<string, string | number>,
  ): Promise<number> {
    const holders = [...(await this.holdings.unitsByHolder(campaignId, tx)).keys()];
    await this.notices.record(
      holders.map((recipientId) => ({
        recipientId,
        type,
        campaignId,
        params,
        dedupeKey: `${type}:${campaignId}:${dedupe}:${recipientId}`,
      })),
      tx,
    );
    return holders.length;
  }
}

/** Rolls back a sweep's transaction whose notice another run already recorded. */
class OverdueTaken extends Error {}

const toView = (r: IssuerReportRow): IssuerReportView => ({
  id: r.id,
  campaignId: r.campaignId,
  kind: r.kind,
  fiscalYear: r.fiscalYear,
  title: r.title,
  body: r.body,
  filedAt: r.filedAt.toISOString(),
});
