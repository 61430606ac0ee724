import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { Money } from '../../common/money/money.js';
import { NOTICES, type NoticeSink } from '../../common/notices/notices.port.js';
import { TransactionRunner } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { CampaignQueries } from '../campaign/index.js';
import { CreditService } from '../credit/index.js';
import { CharityPlans } from './charity-plans.service.js';
import {
  DonationNotSettledError,
  NotADonationCampaignError,
  SpentExceedsRaisedError,
  UnknownPurposeError,
} from './charity.errors.js';
import { CharityRepository, type FundUseReportRow, type ReportItem } from './charity.repository.js';

export interface FundUseView {
  campaignId: string;
  currency: string;
  /** Donations settled (gross). */
  raised: string;
  /** What the charity received (raised less the platform fee). */
  received: string;
  spent: string;
  unspent: string;
  reportDueAt: string;
  /** PLAT-08: no report by the due date; donors were told. */
  reportOverdue: boolean;
  byPurpose: { purpose: string; planned: string; spent: string }[];
  reports: { id: string; filedAt: string; total: string; items: ReportItem[] }[];
}

/**
 * PLAT-08 / RW-07 fund-use reports: the charity reports what it spent per purpose of its plan,
 * with evidence references; donors see spent against raised. A settled donation campaign with no
 * report `charityReportDueDays` after settlement notifies its donors and records a credit WARNING
 * on the charity (a sweep, once per campaign).
 */
@Injectable()
export class FundUse {
  constructor(
    private readonly repo: CharityRepository,
    private readonly plans: CharityPlans,
    private readonly campaigns: CampaignQueries,
    private readonly credit: CreditService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(NOTICES) private readonly notices: NoticeSink,
  ) {}

  async file(
    charity: AuthUser,
    campaignId: string,
    items: readonly { purpose: string; amount: string; evidence: string[] }[],
  ): Promise<FundUseView> {
    const campaign = await this.plans.ownDonation(charity, campaignId);
    const currency = campaign.currency;
    const plan = await this.repo.findPlan(campaignId);
    const purposes = new Set((plan?.fundUsePlan ?? []).map((p) => p.purpose));
    const unknown = items.map((i) => i.purpose.trim()).filter((p) => !purposes.has(p));
    if (unknown.length > 0) throw new UnknownPurposeError([...new Set(unknown)]);
    const clean: ReportItem[] = items.map((i) => ({
      purpose: i.purpose.trim(),
      amount: Money.parse(i.amount, currency).toString(),
      evidence: i.evidence,
    }));
    const total = Money.sum(
      clean.map((i) => Money.fromDecimalString(i.amount, currency)),
      currency,
    );
    await this.transactions.run(async (tx) => {
      const settlement = await this.repo.lockSettlement(campaignId, tx);
      if (!settlement) throw new DonationNotSettledError(campaign.status);
      const before = Money.sum(
        (await this.repo.reportsOf(campaignId, tx)).map((r) =>
          Money.fromDecimalString(r.total, currency),
        ),
        currency,
      );
      const received = Money.fromDecimalString(settlement.net, currency);
      const spent = before.plus(total);
      if (spent.greaterThan(received))
        throw new SpentExceedsRaisedError(received.toString(), spent.toString());
      const report: FundUseReportRow = {
        id: randomUUID(),
        campaignId,
        charityId: charity.id,
        items: clean,
        total: total.toString(),
        filedAt: this.clock.now(),
      };
      await this.repo.insertReport(report, tx);
      await this.audit.append(
        {
          occurredAt: report.filedAt,
          actorId: charity.id,
          action: 'charity.fund_use_reported',
          subjectType: 'campaign',
          subjectId: campaignId,
          details: { reportId: report.id, total: report.total, rules: ['PLAT-08', 'RW-07'] },
        },
        tx,
      );
    });
    return this.view(campaignId);
  }

  /** Public: what a settled donation campaign raised and what the charity reports it spent. */
  async view(campaignId: string): Promise<FundUseView> {
    const campaign = await this.campaigns.find(campaignId);
    if (!campaign || campaign.publishedAt === null) throw new NotFoundError('Campaign');
    if (campaign.kind !== 'DONATION') throw new NotADonationCampaignError(campaign.kind);
    const [settlement, plan, reports] = await Promise.all([
      this.repo.findSettlement(campaignId),
      this.repo.findPlan(campaignId),
      this.repo.reportsOf(campaignId),
    ]);
    if (!settlement) throw new DonationNotSettledError(campaign.status);
    const currency = settlement.currency;
    const money = (v: string) => Money.fromDecimalString(v, currency);
    const spentBy = new Map<string, Money>();
    for (const r of reports)
      for (const i of r.items)
        spentBy.set(
          i.purpose,
          (spentBy.get(i.purpose) ?? Money.zero(currency)).plus(money(i.amount)),
        );
    const spent = Money.sum(
      reports.map((r) => money(r.total)),
      currency,
    );
    return {
      campaignId,
      currency,
      raised: money(settlement.raised).toString(),
      received: money(settlement.net).toString(),
      spent: spent.toString(),
      unspent: money(settlement.net).minus(spent).toString(),
      reportDueAt: settlement.reportDueAt.toISOString(),
      reportOverdue: settlement.overdueNoticedAt !== null,
      byPurpose: (plan?.fundUsePlan ?? []).map((p) => ({
        purpose: p.purpose,
        planned: p.amount,
        spent: (spentBy.get(p.purpose) ?? Money.zero(currency)).toString(),
      })),
      reports: reports.map((r) => ({
        id: r.id,
        filedAt: r.filedAt.toISOString(),
        total: money(r.total).toString(),
        items: r.items,
      })),
    };
  }

  /** The sweep: a missing report past its date notifies donors and warns the charity, once. */
  async noticeOverdue(limit = 500): Promise<number> {
    const now = this.clock.now();
    let noticed = 0;
    for (const id of await this.repo.overdueIds(now, limit)) {
      const done = await this.transactions.run(async (tx) => {
        const settlement = await this.repo.lockOverdue(id, now, tx);
        if (!settlement) return false;
        const campaign = await this.campaigns.find(id, tx);
        const record = await this.credit.recordIn(
          null,
          {
            userId: settlement.charityId,
            kind: 'OTHER',
            severity: 'WARNING',
            source: 'charity:fund-use-report',
            note: `PLAT-08: no fund-use report for donation campaign ${id}, due ${settlement.reportDueAt.toISOString()}.`,
          },
          tx,
        );
        const donors = await this.repo.donorsOf(id, tx);
        await this.notices.record(
          donors.map((donorId) => ({
            recipientId: donorId,
            type: 'charity.report_overdue' as const,
            campaignId: id,
            params: {
              campaignTitle: campaign?.title ?? '',
              reportDueAt: settlement.reportDueAt.toISOString(),
            },
            dedupeKey: `charity-report-overdue:${id}`,
          })),
          tx,
        );
        await this.repo.markOverdue(id, now, record.id, tx);
        await this.audit.append(
          {
            occurredAt: now,
            actorId: null,
            action: 'charity.report_overdue',
            subjectType: 'campaign',
            subjectId: id,
            details: { donors: donors.length, creditRecordId: record.id, rules: ['PLAT-08'] },
          },
          tx,
        );
        return true;
      });
      if (done) noticed++;
    }
    return noticed;
  }
}
