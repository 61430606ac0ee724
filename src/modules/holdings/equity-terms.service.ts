import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { TransactionRunner } from '../../database/transaction.js';
import { CampaignQueries } from '../campaign/index.js';
import { EquityTermsLockedError } from './holdings.errors.js';
import { type EquityTermsRow, HoldingsRepository, type Vehicle } from './holdings.repository.js';

export const VEHICLES = ['DIRECT', 'NOMINEE'] as const satisfies readonly Vehicle[];

/** What a campaign without equity terms issues: ordinary shares, held directly. */
export const DEFAULT_EQUITY_TERMS: Pick<EquityTermsRow, 'shareClass' | 'vehicle' | 'nomineeName'> =
  { shareClass: 'ORDINARY', vehicle: 'DIRECT', nomineeName: null };

export interface EquityTermsInput {
  shareClass: string;
  vehicle: Vehicle;
  nomineeName?: string | null;
}

export interface EquityTermsView {
  campaignId: string;
  shareClass: string;
  vehicle: Vehicle;
  nomineeName: string | null;
  /** Null while the defaults apply (no terms set). */
  updatedAt: string | null;
}

/**
 * The share class and vehicle an EQUITY campaign issues (issue 15): set by its founder while it
 * is a DRAFT; the register copies them into every holding at settlement.
 */
@Injectable()
export class EquityTermsService {
  constructor(
    private readonly repo: HoldingsRepository,
    private readonly campaigns: CampaignQueries,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async put(
    founderId: string,
    campaignId: string,
    input: EquityTermsInput,
  ): Promise<EquityTermsView> {
    return this.transactions.run(async (tx) => {
      const campaign = await this.campaigns.find(campaignId, tx);
      if (!campaign || campaign.founderId !== founderId) throw new NotFoundError('Campaign');
      if (campaign.kind !== 'EQUITY' || campaign.status !== 'DRAFT')
        throw new EquityTermsLockedError(campaign.status, campaign.kind);
      const row: EquityTermsRow = {
        campaignId,
        shareClass: input.shareClass.trim(),
        vehicle: input.vehicle,
        nomineeName: input.vehicle === 'NOMINEE' ? (input.nomineeName?.trim() ?? null) : null,
        updatedAt: this.clock.now(),
      };
      await this.repo.upsertTerms(row, tx);
      return view(row);
    });
  }

  /** The terms of a campaign its viewer may see (the caller checked), defaults included. */
  async get(campaignId: string): Promise<EquityTermsView> {
    const row = await this.repo.findTerms(campaignId);
    return row ? view(row) : { campaignId, ...DEFAULT_EQUITY_TERMS, updatedAt: null };
  }
}

const view = (r: EquityTermsRow): EquityTermsView => ({
  campaignId: r.campaignId,
  shareClass: r.shareClass,
  vehicle: r.vehicle,
  nomineeName: r.nomineeName,
  updatedAt: r.updatedAt.toISOString(),
});
