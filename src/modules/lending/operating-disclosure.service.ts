import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { RuleViolationError } from '../../common/errors/domain-error.js';
import { Decimal } from '../../common/money/decimal.js';
import { Money } from '../../common/money/money.js';
import { rulePackConfig, type RulePackConfig } from '../../config/namespaces.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { daysBetween } from './loan-dates.js';
import { bucketOf } from './loan-queries.service.js';
import { OperatingDisclosureRepository } from './operating-disclosure.repository.js';
import { OutstandingPrincipal } from './outstanding-principal.service.js';

export interface BucketFigures {
  count: number;
  amount: string;
  /** Of outstanding principal, 4 decimals. */
  rate: string;
}

/** CN-P2P-10: the platform's monthly operating figures, as at the end of `month`. */
export interface OperatingDisclosure {
  month: string;
  currency: string;
  asOf: string;
  cumulativeLoans: number;
  cumulativeVolume: string;
  outstandingLoans: number;
  outstandingPrincipal: string;
  cumulativeBorrowers: number;
  currentBorrowers: number;
  cumulativeLenders: number;
  currentLenders: number;
  overdue: {
    M1: BucketFigures;
    M2: BucketFigures;
    M3_PLUS: BucketFigures;
    over90Days: BucketFigures;
  };
  overdueAmount: string;
  overdueRate: string;
  top10BorrowerShare: string;
  largestBorrowerShare: string;
  /** CN-P2P-01: the platform guarantees nothing, so it never compensates lenders (代偿). */
  compensationPaid: string;
  /** Loans to the platform's related parties; staff cannot borrow, so none by construction. */
  relatedPartyLoans: number;
  relatedPartyAmount: string;
}

export interface DisclosureView {
  disclosure: OperatingDisclosure;
  frozen: boolean;
  /** SHA-256 of the canonical JSON of `disclosure` (sorted keys); null while the month is open. */
  hash: string | null;
  frozenAt: string | null;
}

export class MonthNotStartedError extends RuleViolationError {
  constructor(month: string) {
    super('DISCLOSURE.MONTH_NOT_STARTED', 'There are no figures for a month that has not begun.', {
      month,
    });
  }
}

/** Canonical JSON: keys sorted at every level, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const disclosureHash = (d: OperatingDisclosure): string =>
  createHash('sha256').update(canonicalJson(d)).digest('hex');

/**
 * The monthly operating disclosure (CN-P2P-10), public. Computed from the ledger (outstanding
 * principal: lent minus principal paid out, as at the month's end) and the loans (counts,
 * overdue instalments). Once the month has closed, the first request (or the lending sweep)
 * freezes it with its hash; a later change to the data cannot rewrite a published month.
 */
@Injectable()
export class OperatingDisclosures {
  constructor(
    private readonly repo: OperatingDisclosureRepository,
    private readonly outstanding: OutstandingPrincipal,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(rulePackConfig.KEY) private readonly pack: RulePackConfig,
  ) {}

  async get(month: string): Promise<DisclosureView> {
    const now = this.clock.now();
    const { start, end } = monthRange(month);
    if (now < start) throw new MonthNotStartedError(month);
    return this.transactions.run(async (tx) => {
      if (now < end) {
        return {
          disclosure: await this.compute(month, tx),
          frozen: false,
          hash: null,
          frozenAt: null,
        };
      }
      let frozen = await this.repo.findFrozen(month, tx);
      if (!frozen) {
        const disclosure = await this.compute(month, tx);
        await this.repo.freeze(
          { month, body: { ...disclosure }, hash: disclosureHash(disclosure), frozenAt: now },
          tx,
        );
        frozen = await this.repo.findFrozen(month, tx);
        if (!frozen) throw new Error(`disclosure ${month} not frozen`);
      }
      return {
        disclosure: frozen.body as unknown as OperatingDisclosure,
        frozen: true,
        hash: frozen.hash,
        frozenAt: frozen.frozenAt.toISOString(),
      };
    });
  }

  /** Freezes the month that ended last, if not yet (called by the lending sweep). */
  async freezeLastMonth(): Promise<void> {
    const now = this.clock.now();
    const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    await this.get(last.toISOString().slice(0, 7));
  }

  async compute(month: string, tx: Tx): Promise<OperatingDisclosure> {
    const { end } = monthRange(month);
    const currency = this.pack.currency;
    const zero = Money.zero(currency);
    const m = (v: string) => Money.fromDecimalString(v, currency);
    const endDate = end.toISOString().slice(0, 10);
    const loans = await this.repo.loansCreatedBefore(end, tx);
    const outstanding = await this.outstanding.ofLoans(loans, currency, tx, end);
    const live = loans.filter((l) => (outstanding.get(l.id) ?? zero).fen > 0n);
    const totalOutstanding = Money.sum([...outstanding.values()], currency);
    const lenders = await this.repo.lenders(
      loans.map((l) => l.id),
      tx,
    );
    const liveIds = new Set(live.map((l) => l.id));
    const byBorrower = new Map<string, Money>();
    for (const l of live)
      byBorrower.set(
        l.borrowerId,
        (byBorrower.get(l.borrowerId) ?? zero).plus(outstanding.get(l.id) ?? zero),
      );
    const ranked = [...byBorrower.values()].sort((a, b) => b.compare(a));
    const share = (amount: Money) =>
      totalOutstanding.isZero()
        ? '0.0000'
        : new Decimal(amount.fen.toString())
            .div(totalOutstanding.fen.toString())
            .toFixed(4, Decimal.ROUND_HALF_UP);
    const buckets = {
      M1: [zero, 0],
      M2: [zero, 0],
      M3_PLUS: [zero, 0],
      over90Days: [zero, 0],
    } as Record<'M1' | 'M2' | 'M3_PLUS' | 'over90Days', [Money, number]>;
    const overdueLoans = {
      M1: new Set<string>(),
      M2: new Set<string>(),
      M3_PLUS: new Set<string>(),
      over90Days: new Set<string>(),
    };
    for (const i of await this.repo.unpaidDueBefore(endDate, tx)) {
      const days = daysBetween(i.dueDate, endDate);
      const amount = m(i.principal).plus(m(i.interest));
      const bucket = bucketOf(days);
      if (bucket === 'CURRENT') continue;
      buckets[bucket][0] = buckets[bucket][0].plus(amount);
      overdueLoans[bucket].add(i.loanId);
      if (days > 90) {
        buckets.over90Days[0] = buckets.over90Days[0].plus(amount);
        overdueLoans.over90Days.add(i.loanId);
      }
    }
    const figures = (k: keyof typeof buckets): BucketFigures => ({
      count: overdueLoans[k].size,
      amount: buckets[k][0].toString(),
      rate: share(buckets[k][0]),
    });
    const overdueAmount = buckets.M1[0].plus(buckets.M2[0]).plus(buckets.M3_PLUS[0]);
    return {
      month,
      currency,
      asOf: end.toISOString(),
      cumulativeLoans: loans.length,
      cumulativeVolume: Money.sum(
        loans.map((l) => m(l.principal)),
        currency,
      ).toString(),
      outstandingLoans: live.length,
      outstandingPrincipal: totalOutstanding.toString(),
      cumulativeBorrowers: new Set(loans.map((l) => l.borrowerId)).size,
      currentBorrowers: byBorrower.size,
      cumulativeLenders: new Set(lenders.map((l) => l.lenderId)).size,
      currentLenders: new Set(lenders.filter((l) => liveIds.has(l.loanId)).map((l) => l.lenderId))
        .size,
      overdue: {
        M1: figures('M1'),
        M2: figures('M2'),
        M3_PLUS: figures('M3_PLUS'),
        over90Days: figures('over90Days'),
      },
      overdueAmount: overdueAmount.toString(),
      overdueRate: share(overdueAmount),
      top10BorrowerShare: share(Money.sum(ranked.slice(0, 10), currency)),
      largestBorrowerShare: share(ranked[0] ?? zero),
      compensationPaid: zero.toString(),
      relatedPartyLoans: 0,
      relatedPartyAmount: zero.toString(),
    };
  }
}

/** [start, end) of a YYYY-MM month in UTC. */
export function monthRange(month: string): { start: Date; end: Date } {
  const [y, mo] = month.split('-').map(Number);
  return { start: new Date(Date.UTC(y, mo - 1, 1)), end: new Date(Date.UTC(y, mo, 1)) };
}
