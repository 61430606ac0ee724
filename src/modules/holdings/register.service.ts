import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { Money } from '../../common/money/money.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import type { PageRequest } from '../../database/keyset-page.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { CampaignQueries } from '../campaign/index.js';
import { UserDirectory } from '../identity/index.js';
import { PledgeFactsQueries } from '../pledge/index.js';
import { type SettledCampaign, SettlementHandovers } from '../settlement/index.js';
import { HoldingSupersededError } from './holdings.errors.js';
import { type HoldingRow, HoldingsRepository } from './holdings.repository.js';
import { DEFAULT_EQUITY_TERMS } from './equity-terms.service.js';

export interface HoldingView {
  id: string;
  campaignId: string;
  certificateNo: number;
  investorId: string;
  /** The beneficial owner's masked real name (PLAT-06: never the full name or ID number). */
  holderNameMasked: string;
  units: string;
  unitPrice: string;
  cost: string;
  currency: string;
  shareClass: string;
  vehicle: 'DIRECT' | 'NOMINEE';
  /** NOMINEE: who holds legal title for the beneficial owner; DIRECT: null (the holder). */
  legalHolder: string | null;
  entry: 'ISSUE' | 'CORRECTION';
  correctsId: string | null;
  reason: string | null;
  issuedAt: string;
}

export interface RegisterView {
  campaignId: string;
  campaignTitle: string;
  issuerId: string;
  shareClass: string;
  vehicle: 'DIRECT' | 'NOMINEE';
  nomineeName: string | null;
  unitPrice: string;
  currency: string;
  holders: number;
  totalUnits: string;
  totalCost: string;
  holdings: HoldingView[];
}

/**
 * The equity register (issue 15): in the transaction that settles an EQUITY campaign (a
 * settlement hand-over, DESIGN §2), one holding per investor, units = settled amount / unit price
 * (whole units: CN-ECF-01 admits only unit multiples), certificate numbers 1..n without a gap
 * (the campaign's counter row is created in that transaction). The register is append-only; an
 * ADMIN correction is a new entry with the next number that supersedes the one it corrects.
 */
@Injectable()
export class HoldingsRegister implements OnModuleInit {
  constructor(
    private readonly repo: HoldingsRepository,
    private readonly campaigns: CampaignQueries,
    private readonly pledges: PledgeFactsQueries,
    private readonly users: UserDirectory,
    private readonly handovers: SettlementHandovers,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.handovers.register('EQUITY', (campaign, tx) => this.issue(campaign, tx));
  }

  async issue(settled: SettledCampaign, tx: Tx): Promise<void> {
    const campaign = await this.campaigns.find(settled.id, tx);
    if (!campaign?.unitPrice) throw new Error(`EQUITY campaign ${settled.id} has no unit price`);
    const unitPrice = Money.fromDecimalString(campaign.unitPrice, settled.currency);
    const costs = new Map<string, Money>(); // in order of each investor's first settled pledge
    for (const p of await this.pledges.settledOf(settled.id, tx)) {
      const amount = Money.fromDecimalString(p.amount, p.currency);
      costs.set(p.investorId, (costs.get(p.investorId) ?? Money.zero(p.currency)).plus(amount));
    }
    if (!(await this.repo.openCounter(settled.id, costs.size, tx))) return; // a replayed hand-over
    const terms = (await this.repo.findTerms(settled.id, tx)) ?? DEFAULT_EQUITY_TERMS;
    const issuedAt = this.clock.now();
    const rows: HoldingRow[] = [...costs].map(([investorId, cost], i) => {
      if (cost.fen % unitPrice.fen !== 0n)
        throw new Error(`settled ${cost.toString()} is not whole units of ${unitPrice.toString()}`);
      return {
        id: randomUUID(),
        campaignId: settled.id,
        certificateNo: i + 1,
        investorId,
        units: (cost.fen / unitPrice.fen).toString(),
        unitPrice: unitPrice.toString(),
        cost: cost.toString(),
        currency: settled.currency,
        shareClass: terms.shareClass,
        vehicle: terms.vehicle,
        legalHolder: terms.nomineeName,
        entry: 'ISSUE',
        correctsId: null,
        reason: null,
        recordedBy: null,
        issuedAt,
      };
    });
    await this.repo.insert(rows, tx);
    await this.audit.append(
      {
        occurredAt: issuedAt,
        actorId: null,
        action: 'holdings.register_issued',
        subjectType: 'campaign',
        subjectId: settled.id,
        details: { holdings: rows.length, from: 1, to: rows.length, vehicle: terms.vehicle },
      },
      tx,
    );
  }

  /** The investor's current holdings, newest first. */
  /** The investor's holdings, newest first, one cursor page at a time (issue 16). */
  async mine(
    investor: AuthUser,
    page: PageRequest,
  ): Promise<Page<HoldingView & { campaignTitle: string }>> {
    const { items: rows, nextCursor } = await this.repo.ofInvestor(investor.id, page);
    const names = await this.users.maskedNames([investor.id]);
    const titles = new Map<string, string>();
    for (const id of new Set(rows.map((r) => r.campaignId)))
      titles.set(id, (await this.campaigns.find(id))?.title ?? '');
    return {
      items: rows.map((r) => ({
        ...toView(r, names),
        campaignTitle: titles.get(r.campaignId) ?? '',
      })),
      nextCursor,
    };
  }

  /** A campaign's register for its founder (the issuer), ADMIN and FINANCE; else not found. */
  async register(user: AuthUser, campaignId: string, all = false): Promise<RegisterView> {
    const campaign = await this.campaigns.find(campaignId);
    const staff = user.role === 'ADMIN' || user.role === 'FINANCE';
    if (!campaign || campaign.kind !== 'EQUITY' || !(staff || campaign.founderId === user.id))
      throw new NotFoundError('Campaign');
    // Every entry once; the register as it stands drops those a later entry supersedes.
    const entries = await this.repo.entriesOf(campaignId);
    const superseded = new Set(entries.map((r) => r.correctsId));
    const current = entries.filter((r) => !superseded.has(r.id));
    const rows = all ? entries : current;
    const names = await this.users.maskedNames([...new Set(rows.map((r) => r.investorId))]);
    const terms = (await this.repo.findTerms(campaignId)) ?? DEFAULT_EQUITY_TERMS;
    const currency = campaign.currency;
    return {
      campaignId,
      campaignTitle: campaign.title,
      issuerId: campaign.founderId,
      shareClass: terms.shareClass,
      vehicle: terms.vehicle,
      nomineeName: terms.nomineeName,
      unitPrice: Money.fromDecimalString(campaign.unitPrice ?? '0', currency).toString(),
      currency,
      holders: new Set(current.filter((r) => r.units !== '0').map((r) => r.investorId)).size,
      totalUnits: current.reduce((s, r) => s + BigInt(r.units), 0n).toString(),
      totalCost: Money.sum(
        current.map((r) => Money.fromDecimalString(r.cost, currency)),
        currency,
      ).toString(),
      holdings: rows.map((r) => toView(r, names)),
    };
  }

  /** One holding for its holder, its issuer, ADMIN or FINANCE; anyone else: not found. */
  async get(user: AuthUser, id: string): Promise<HoldingView & { campaignTitle: string }> {
    const row = await this.repo.find(id);
    const campaign = row ? await this.campaigns.find(row.campaignId) : null;
    const staff = user.role === 'ADMIN' || user.role === 'FINANCE';
    if (
      !row ||
      !campaign ||
      !(staff || row.investorId === user.id || campaign.founderId === user.id)
    )
      throw new NotFoundError('Holding');
    const names = await this.users.maskedNames([row.investorId]);
    return { ...toView(row, names), campaignTitle: campaign.title };
  }

  /**
   * ADMIN: corrects a holding by a new entry (append-only register) with the campaign's next
   * certificate number. The counter row's lock makes corrections of one campaign take turns, and
   * `holdings_corrects_key` lets at most one entry supersede a holding.
   */
  async correct(admin: AuthUser, id: string, units: string, reason: string): Promise<HoldingView> {
    const corrected = await this.transactions.run(async (tx) => {
      const row = await this.repo.find(id, tx);
      if (!row) throw new NotFoundError('Holding');
      const certificateNo = await this.repo.nextNumber(row.campaignId, tx);
      if (await this.repo.superseded(id, tx)) throw new HoldingSupersededError();
      const unitPrice = Money.fromDecimalString(row.unitPrice, row.currency);
      const corrected: HoldingRow = {
        ...row,
        id: randomUUID(),
        certificateNo,
        units,
        cost: Money.fromFen(unitPrice.fen * BigInt(units), row.currency).toString(),
        entry: 'CORRECTION',
        correctsId: row.id,
        reason,
        recordedBy: admin.id,
        issuedAt: this.clock.now(),
      };
      await this.repo.insert([corrected], tx);
      await this.audit.append(
        {
          occurredAt: corrected.issuedAt,
          actorId: admin.id,
          action: 'holdings.corrected',
          subjectType: 'holding',
          subjectId: row.id,
          details: {
            by: corrected.id,
            certificateNo,
            units: { from: row.units, to: units },
            reason,
          },
        },
        tx,
      );
      return corrected;
    });
    return toView(corrected, await this.users.maskedNames([corrected.investorId]));
  }
}

function toView(r: HoldingRow, names: ReadonlyMap<string, string>): HoldingView {
  return {
    id: r.id,
    campaignId: r.campaignId,
    certificateNo: r.certificateNo,
    investorId: r.investorId,
    holderNameMasked: names.get(r.investorId) ?? '*',
    units: r.units,
    unitPrice: r.unitPrice,
    cost: r.cost,
    currency: r.currency,
    shareClass: r.shareClass,
    vehicle: r.vehicle,
    legalHolder: r.legalHolder,
    entry: r.entry,
    correctsId: r.correctsId,
    reason: r.reason,
    issuedAt: r.issuedAt.toISOString(),
  };
}
