import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError, RuleViolationError } from '../../common/errors/domain-error.js';
import { Money } from '../../common/money/money.js';
import { NOTICES, type NoticeSink } from '../../common/notices/notices.port.js';
import { rulePackConfig, type RulePackConfig } from '../../config/namespaces.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import type { PageRequest } from '../../database/keyset-page.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { CampaignQueries } from '../campaign/index.js';
import {
  AccountCodes,
  type CustodyDistribution,
  CustodyDistributionHandlers,
  LedgerService,
  type TransferRequest,
  WalletLines,
} from '../escrow-ledger/index.js';
import { CampaignLeads } from '../pledge/index.js';
import { applyCarry, type LeadCarry, splitDistribution } from './distribution-split.js';
import {
  type DistributionKind,
  type DistributionRow,
  DistributionsRepository,
  type PaymentRow,
} from './distributions.repository.js';
import { HoldingsRepository } from './holdings.repository.js';

export interface DistributionView {
  id: string;
  campaignId: string;
  kind: DistributionKind;
  amount: string;
  currency: string;
  withholdingRate: string;
  note: string | null;
  status: 'ANNOUNCED' | 'PAID';
  /** The ledger account the custodian's DISTRIBUTION notice funds. */
  fundingAccount: string;
  announcedAt: string;
  paidAt: string | null;
  holders: number | null;
  taxWithheld: string | null;
  /** Issue 15: what followers' payments carried to the lead investor (null until paid). */
  carryPaid: string | null;
}

export interface StatementView {
  distributionId: string;
  campaignId: string;
  kind: DistributionKind;
  units: string;
  gross: string;
  tax: string;
  /** Issue 15: the lead investor's carry taken from this payment. */
  carry: string;
  net: string;
  currency: string;
  paidAt: string;
}

/**
 * Distributions to holders (issue 15): the issuer announces one (dividend, exit proceeds, SPV
 * distribution) and funds it through the custodian (a DISTRIBUTION notice, HMAC-signed and
 * idempotent by bank reference like every custody notice); in the notice's transaction the amount
 * is split to the current register pro rata to units (largest remainder), the pack's withholding
 * tax is kept from each share (half-up) for the tax office, and every holder's net is paid to
 * their wallet in ONE ledger batch, with a statement row per holder.
 */
@Injectable()
export class Distributions implements OnModuleInit {
  constructor(
    private readonly repo: DistributionsRepository,
    private readonly holdings: HoldingsRepository,
    private readonly campaigns: CampaignQueries,
    private readonly leads: CampaignLeads,
    private readonly ledger: LedgerService,
    private readonly wallets: WalletLines,
    private readonly handlers: CustodyDistributionHandlers,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(NOTICES) private readonly notices: NoticeSink,
    @Inject(rulePackConfig.KEY) private readonly pack: RulePackConfig,
  ) {}

  onModuleInit(): void {
    this.handlers.register((credit, tx) => this.pay(credit, tx));
  }

  /** The issuer (founder of a settled EQUITY campaign with a register) announces one. */
  async announce(
    founder: AuthUser,
    campaignId: string,
    input: { kind: DistributionKind; amount: string; note?: string | null },
  ): Promise<DistributionView> {
    const campaign = await this.campaigns.find(campaignId);
    if (!campaign || campaign.founderId !== founder.id || campaign.kind !== 'EQUITY')
      throw new NotFoundError('Campaign');
    const amount = Money.parse(input.amount, campaign.currency);
    const row: DistributionRow = {
      id: randomUUID(),
      campaignId,
      kind: input.kind,
      amount: amount.toString(),
      currency: campaign.currency,
      withholdingRate: this.pack.parameters.distributionWithholdingRate.toFixed(4),
      note: input.note?.trim() || null,
      status: 'ANNOUNCED',
      announcedBy: founder.id,
      announcedAt: this.clock.now(),
      bankReference: null,
      paidAt: null,
      holders: null,
      taxWithheld: null,
      carryPaid: null,
    };
    if ((await this.holdings.unitsByHolder(campaignId)).size === 0)
      throw new RuleViolationError(
        'HOLDINGS.NO_REGISTER',
        'A distribution goes to holders: this campaign has settled no holdings.',
      );
    await this.transactions.run(async (tx) => {
      await this.repo.insert(row, tx);
      await this.ledger.openAccount(
        AccountCodes.distributionFunding(row.id),
        'LIABILITY',
        campaign.currency,
        tx,
      );
      await this.audit.append(
        {
          occurredAt: row.announcedAt,
          actorId: founder.id,
          action: 'holdings.distribution_announced',
          subjectType: 'campaign',
          subjectId: campaignId,
          details: { distributionId: row.id, kind: row.kind, amount: row.amount },
        },
        tx,
      );
    });
    return toView(row);
  }

  /** The custodian funded it: pay the holders, once (the row lock and the status keep it so). */
  private async pay(credit: CustodyDistribution, tx: Tx): Promise<void> {
    const d = await this.repo.lock(credit.distributionId, tx);
    if (!d) throw new NotFoundError('Distribution');
    if (d.status === 'PAID') {
      // The same notice again (a concurrent duplicate waited on the transfer's key): nothing more.
      if (d.bankReference === credit.bankReference) return;
      throw new RuleViolationError(
        'HOLDINGS.DISTRIBUTION_PAID',
        'This distribution was paid already; a second funding notice is refused.',
      );
    }
    if (credit.amount.toString() !== d.amount)
      throw new RuleViolationError(
        'CUSTODY.MISMATCH',
        'The notice does not match the announced distribution amount.',
        { announced: d.amount, notified: credit.amount.toString() },
      );
    // The register as it stands, read in this transaction (holders pledged: their wallets exist).
    const units = await this.holdings.unitsByHolder(d.campaignId, tx);
    const split = splitDistribution(
      credit.amount,
      [...units].map(([investorId, u]) => ({ investorId, units: u.toString() })),
      d.withholdingRate,
    );
    const lead = await this.carryingLead(d.campaignId, tx);
    const payments = lead
      ? await this.withCarry(d, split, lead, tx)
      : applyCarry(split, null, noHistory);
    const funding = AccountCodes.distributionFunding(d.id);
    const key = `holdings:distribution:${d.id}`;
    const requests: TransferRequest[] = payments
      .filter((p) => !p.net.isZero())
      .map((p) => ({
        idempotencyKey: `${key}:${p.investorId}`,
        kind: 'DISTRIBUTION',
        debitAccount: funding,
        // PLAT-07: the equity line's wallet under line separation (else the general one)
        creditAccount: this.wallets.accountFor(p.investorId, 'EQUITY'),
        amount: p.net,
        reference: `distribution:${d.id}`,
      }));
    const money = (items: Money[]) => Money.sum(items, d.currency);
    const tax = money(payments.map((p) => p.tax));
    const carry = money(payments.map((p) => p.carry));
    if (!tax.isZero()) {
      await this.ledger.openAccount(AccountCodes.taxWithheld, 'LIABILITY', d.currency, tx);
      requests.push({
        idempotencyKey: `${key}:tax`,
        kind: 'DISTRIBUTION',
        debitAccount: funding,
        creditAccount: AccountCodes.taxWithheld,
        amount: tax,
        reference: `distribution:${d.id}`,
      });
    }
    if (lead && !carry.isZero()) {
      const leadWallet = this.wallets.accountFor(lead.leadInvestorId, 'EQUITY');
      await this.ledger.openAccount(leadWallet, 'LIABILITY', d.currency, tx);
      requests.push({
        idempotencyKey: `${key}:carry`,
        kind: 'DISTRIBUTION',
        debitAccount: funding,
        creditAccount: leadWallet,
        amount: carry,
        reference: `distribution:${d.id}:carry`,
      });
    }
    await this.ledger.transferMany(requests, tx);
    const paidAt = this.clock.now();
    const rows: PaymentRow[] = payments.map((p) => ({
      distributionId: d.id,
      investorId: p.investorId,
      units: p.units,
      gross: p.gross.toString(),
      tax: p.tax.toString(),
      carry: p.carry.toString(),
      net: p.net.toString(),
      paidAt,
    }));
    await this.repo.insertPayments(rows, tx);
    await this.repo.markPaid(
      d.id,
      {
        bankReference: credit.bankReference,
        paidAt,
        holders: rows.length,
        taxWithheld: tax.toString(),
        carryPaid: carry.toString(),
      },
      tx,
    );
    await this.notices.record(
      rows.map((r) => ({
        recipientId: r.investorId,
        type: 'holdings.distribution_paid',
        campaignId: d.campaignId,
        params: { amount: r.net, currency: d.currency, units: r.units, tax: r.tax, carry: r.carry },
        dedupeKey: `holdings.distribution_paid:${d.id}:${r.investorId}`,
      })),
      tx,
    );
    await this.audit.append(
      {
        occurredAt: paidAt,
        actorId: null,
        action: 'holdings.distribution_paid',
        subjectType: 'campaign',
        subjectId: d.campaignId,
        details: {
          distributionId: d.id,
          holders: rows.length,
          amount: d.amount,
          taxWithheld: tax.toString(),
          carryPaid: carry.toString(),
          leadInvestorId: lead?.leadInvestorId ?? null,
          bankReference: credit.bankReference,
        },
      },
      tx,
    );
  }

  /** Issue 15: the lead whose carry applies (named, never withdrawn, a carry above zero). */
  private async carryingLead(campaignId: string, tx: Tx): Promise<LeadCarry | null> {
    const lead = await this.leads.leadOf(campaignId, tx);
    if (!lead || lead.status !== 'ACTIVE' || Number(lead.carryRate) <= 0) return null;
    return { leadInvestorId: lead.leadInvestorId, rate: lead.carryRate };
  }

  /** Each follower's cost (units x unit price) and what earlier distributions paid them. */
  private async withCarry(
    d: DistributionRow,
    split: ReturnType<typeof splitDistribution>,
    lead: LeadCarry,
    tx: Tx,
  ) {
    const campaign = await this.campaigns.find(d.campaignId, tx);
    if (!campaign?.unitPrice) throw new NotFoundError('Campaign');
    const unitPrice = Money.fromDecimalString(campaign.unitPrice, d.currency);
    const before = await this.repo.receivedBefore(d.campaignId, d.id, tx);
    const units = new Map(split.map((p) => [p.investorId, p.units]));
    return applyCarry(split, lead, (investorId) => ({
      cost: unitPrice.times(units.get(investorId) ?? '0', 'HALF_UP'),
      receivedBefore: Money.fromDecimalString(before.get(investorId) ?? '0', d.currency),
    }));
  }

  /** A campaign's distributions for its issuer, ADMIN and FINANCE. */
  async ofCampaign(
    user: AuthUser,
    campaignId: string,
    page: PageRequest,
  ): Promise<Page<DistributionView>> {
    const campaign = await this.campaigns.find(campaignId);
    const staff = user.role === 'ADMIN' || user.role === 'FINANCE';
    if (!campaign || !(staff || campaign.founderId === user.id))
      throw new NotFoundError('Campaign');
    return this.repo.ofCampaign(campaignId, page, toView);
  }

  /** One distribution with every holder's payment, for its issuer, ADMIN and FINANCE. */
  async get(
    user: AuthUser,
    id: string,
  ): Promise<DistributionView & { payments: Omit<StatementView, 'campaignId' | 'kind'>[] }> {
    const d = await this.repo.find(id);
    const campaign = d ? await this.campaigns.find(d.campaignId) : null;
    const staff = user.role === 'ADMIN' || user.role === 'FINANCE';
    if (!d || !campaign || !(staff || campaign.founderId === user.id))
      throw new NotFoundError('Distribution');
    const payments = (await this.repo.payments(id)).map((p) => ({
      distributionId: p.distributionId,
      investorId: p.investorId,
      units: p.units,
      gross: p.gross,
      tax: p.tax,
      carry: p.carry,
      net: p.net,
      currency: d.currency,
      paidAt: p.paidAt.toISOString(),
    }));
    return { ...toView(d), payments };
  }

  /** The holder's statements: what each distribution paid them, newest first, in cursor pages. */
  mine(investor: AuthUser, page: PageRequest): Promise<Page<StatementView>> {
    return this.repo.ofInvestor(investor.id, page, (p) => ({
      distributionId: p.distributionId,
      campaignId: p.campaignId,
      kind: p.kind,
      units: p.units,
      gross: p.gross,
      tax: p.tax,
      carry: p.carry,
      net: p.net,
      currency: p.currency,
      paidAt: p.paidAt.toISOString(),
    }));
  }
}

function toView(d: DistributionRow): DistributionView {
  return {
    id: d.id,
    campaignId: d.campaignId,
    kind: d.kind,
    amount: d.amount,
    currency: d.currency,
    withholdingRate: d.withholdingRate,
    note: d.note,
    status: d.status,
    fundingAccount: AccountCodes.distributionFunding(d.id),
    announcedAt: d.announcedAt.toISOString(),
    paidAt: d.paidAt?.toISOString() ?? null,
    holders: d.holders,
    taxWithheld: d.taxWithheld,
    carryPaid: d.carryPaid,
  };
}

const noHistory = () => {
  throw new Error('no carry, no history');
};
