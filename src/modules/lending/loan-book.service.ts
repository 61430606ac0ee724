import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { Money } from '../../common/money/money.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import type { PageRequest } from '../../database/keyset-page.js';
import { rulePackConfig, type RulePackConfig } from '../../config/namespaces.js';
import { Inject } from '@nestjs/common';
import { LoanQueries, type LoanView } from './loan-queries.service.js';
import type { LoanStatus } from './loans.repository.js';

export interface BucketTotals {
  loans: number;
  amount: string;
}

/** One cursor page of the book beside its totals over every loan of the filter (issue 16). */
export interface FinanceLoans extends Page<LoanView> {
  outstandingPrincipal: string;
  M1: BucketTotals;
  M2: BucketTotals;
  M3_PLUS: BucketTotals;
}

const CSV_COLUMNS = [
  'id',
  'campaignId',
  'borrowerId',
  'status',
  'currency',
  'principal',
  'outstandingPrincipal',
  'annualRate',
  'termMonths',
  'method',
  'startDate',
  'lenderCount',
  'overdueAmount',
  'overdueDays',
  'bucket',
  'borrowerCredit',
] as const satisfies readonly (keyof LoanView)[];

/** The finance office's loan book (issue 14): outstanding and overdue buckets, and its CSV. */
@Injectable()
export class LoanBook {
  constructor(
    private readonly queries: LoanQueries,
    @Inject(rulePackConfig.KEY) private readonly pack: RulePackConfig,
  ) {}

  async list(status: LoanStatus | null, page: PageRequest): Promise<FinanceLoans> {
    const { items, nextCursor } = await this.queries.page(status, page);
    const loans = await this.queries.list(status);
    const currency = this.pack.currency;
    const m = (v: string) => Money.fromDecimalString(v, currency);
    const bucket = (name: LoanView['bucket']): BucketTotals => {
      const inBucket = loans.filter((l) => l.bucket === name);
      return {
        loans: inBucket.length,
        amount: Money.sum(
          inBucket.map((l) => m(l.overdueAmount)),
          currency,
        ).toString(),
      };
    };
    return {
      items,
      nextCursor,
      outstandingPrincipal: Money.sum(
        loans.map((l) => m(l.outstandingPrincipal)),
        currency,
      ).toString(),
      M1: bucket('M1'),
      M2: bucket('M2'),
      M3_PLUS: bucket('M3_PLUS'),
    };
  }

  async csv(status: LoanStatus | null): Promise<string> {
    const loans = await this.queries.list(status);
    return stringify(
      loans.map((l) => CSV_COLUMNS.map((c) => String(l[c]))),
      { header: true, columns: [...CSV_COLUMNS] },
    );
  }
}
