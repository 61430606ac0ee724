import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { rulePackConfig, type RulePackConfig } from '../../config/namespaces.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import type { PageRequest } from '../../database/keyset-page.js';
import type { Tx } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { CampaignQueries } from '../campaign/index.js';
import { UserDirectory } from '../identity/index.js';
import { PledgeFactsQueries } from '../pledge/index.js';
import { type SettledCampaign, SettlementHandovers } from '../settlement/index.js';
import { CharityRepository, type ReceiptRow } from './charity.repository.js';

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The receipt year: the calendar year in Beijing time of the settlement. */
export const receiptYear = (instant: Date): number =>
  new Date(instant.getTime() + SHANGHAI_OFFSET_MS).getUTCFullYear();

/** `<charity USCC>-<year>-<number, 6 digits>`: unique, and in order within a charity's year. */
export const receiptNo = (uscc: string, year: number, n: number): string =>
  `${uscc}-${year}-${String(n).padStart(6, '0')}`;

export interface ReceiptView {
  id: string;
  receiptNo: string;
  year: number;
  number: number;
  campaignId: string;
  pledgeId: string;
  donorNameMasked: string;
  amount: string;
  currency: string;
  donatedAt: string;
  charityName: string;
  charityUscc: string;
  issuedAt: string;
}

/**
 * PLAT-08 donation receipts: in the transaction that settles a donation campaign (a settlement
 * hand-over), each settled donation gets a receipt numbered from the charity's counter for the
 * year, with the donor's masked name, amount, date and the charity's registered name and USCC.
 * Numbers are gapless per charity and year: the counter row is taken in that transaction, so
 * concurrent settlements queue on it and a rolled-back settlement returns its numbers.
 */
@Injectable()
export class Receipts implements OnModuleInit {
  constructor(
    private readonly repo: CharityRepository,
    private readonly campaigns: CampaignQueries,
    private readonly pledges: PledgeFactsQueries,
    private readonly users: UserDirectory,
    private readonly handovers: SettlementHandovers,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(rulePackConfig.KEY) private readonly pack: RulePackConfig,
  ) {}

  onModuleInit(): void {
    this.handovers.register('DONATION', (campaign, tx) => this.issue(campaign, tx));
  }

  async issue(campaign: SettledCampaign, tx: Tx): Promise<void> {
    const plan = await this.repo.findPlan(campaign.id, tx);
    const charityId = plan?.charityId ?? campaign.founderId;
    const reportDueAt = new Date(
      campaign.settledAt.getTime() + this.pack.parameters.charityReportDueDays * DAY_MS,
    );
    const first = await this.repo.insertSettlement(
      {
        campaignId: campaign.id,
        charityId,
        currency: campaign.currency,
        raised: campaign.gross.toString(),
        net: campaign.net.toString(),
        settledAt: campaign.settledAt,
        reportDueAt,
        overdueNoticedAt: null,
        creditRecordId: null,
      },
      tx,
    );
    if (!first) return; // already handed over (a replay): receipts exist
    const donations = await this.pledges.settledOf(campaign.id, tx);
    if (donations.length === 0) return;
    const registration = await this.users.organizationRegistration(charityId);
    const names = await this.users.maskedNames([...new Set(donations.map((d) => d.investorId))]);
    const uscc = plan?.charityUscc ?? registration?.uscc ?? '';
    const year = receiptYear(campaign.settledAt);
    const last = await this.repo.takeNumbers(charityId, year, donations.length, tx);
    const firstNumber = last - donations.length + 1;
    const issuedAt = this.clock.now();
    const rows: ReceiptRow[] = donations.map((d, i) => ({
      id: randomUUID(),
      receiptNo: receiptNo(uscc, year, firstNumber + i),
      charityId,
      year,
      number: firstNumber + i,
      pledgeId: d.id,
      campaignId: campaign.id,
      donorId: d.investorId,
      donorNameMasked: names.get(d.investorId) ?? '*',
      amount: d.amount,
      currency: d.currency,
      donatedAt: campaign.settledAt,
      charityName: registration?.name ?? '',
      charityUscc: uscc,
      issuedAt,
    }));
    await this.repo.insertReceipts(rows, tx);
    await this.audit.append(
      {
        occurredAt: issuedAt,
        actorId: null,
        action: 'charity.receipts_issued',
        subjectType: 'campaign',
        subjectId: campaign.id,
        details: { year, from: firstNumber, to: last, count: rows.length, rules: ['PLAT-08'] },
      },
      tx,
    );
  }

  /** The donor's receipts, newest first, one cursor page at a time (issue 16). */
  mine(donor: AuthUser, page: PageRequest): Promise<Page<ReceiptView>> {
    return this.repo.receiptsOfDonor(donor.id, page, toReceiptView);
  }

  /** A campaign's receipts for its charity (the founder organisation) or staff. */
  async ofCampaign(
    user: AuthUser,
    campaignId: string,
    page: PageRequest,
  ): Promise<Page<ReceiptView>> {
    const campaign = await this.campaigns.find(campaignId);
    if (!campaign || (user.role === 'FOUNDER' && campaign.founderId !== user.id))
      throw new NotFoundError('Campaign');
    return this.repo.receiptsOfCampaign(campaignId, page, toReceiptView);
  }

  /** One receipt for its donor, its charity or staff; anyone else: not found. */
  async get(user: AuthUser, id: string): Promise<ReceiptView> {
    const receipt = await this.repo.findReceipt(id);
    const staff = user.role === 'ADMIN' || user.role === 'FINANCE';
    if (!receipt || !(staff || receipt.donorId === user.id || receipt.charityId === user.id))
      throw new NotFoundError('Receipt');
    return toReceiptView(receipt);
  }
}

export function toReceiptView(r: ReceiptRow): ReceiptView {
  return {
    id: r.id,
    receiptNo: r.receiptNo,
    year: r.year,
    number: r.number,
    campaignId: r.campaignId,
    pledgeId: r.pledgeId,
    donorNameMasked: r.donorNameMasked,
    amount: r.amount,
    currency: r.currency,
    donatedAt: r.donatedAt.toISOString(),
    charityName: r.charityName,
    charityUscc: r.charityUscc,
    issuedAt: r.issuedAt.toISOString(),
  };
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The downloadable receipt (捐赠收据): a self-contained HTML page, printable. */
export function receiptDocument(r: ReceiptView): string {
  const row = (label: string, value: string) =>
    `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;
  return [
    '<!DOCTYPE html>',
    '<html lang="zh-CN"><head><meta charset="utf-8">',
    `<title>捐赠收据 Donation receipt ${escapeHtml(r.receiptNo)}</title></head><body>`,
    '<h1>公益捐赠收据 / Donation receipt</h1>',
    '<table>',
    row('收据编号 Receipt no.', r.receiptNo),
    row('捐赠人 Donor', r.donorNameMasked),
    row('金额 Amount', `${r.amount} ${r.currency}`),
    row('捐赠日期 Date', r.donatedAt.slice(0, 10)),
    row('受赠慈善组织 Charity', r.charityName),
    row('统一社会信用代码 USCC', r.charityUscc),
    row('签发时间 Issued', r.issuedAt),
    '</table>',
    '</body></html>',
    '',
  ].join('\n');
}
