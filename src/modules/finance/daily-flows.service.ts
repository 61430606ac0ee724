import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { rulePackConfig, type RulePackConfig } from '../../config/namespaces.js';
import type { TransferKind } from '../escrow-ledger/index.js';
import { FinanceRepository } from './finance.repository.js';

/** The four series of the console's chart (issue 17), by the ledger transfer kind behind each. */
export const FLOW_SERIES = {
  deposits: 'DEPOSIT',
  pledges: 'PLEDGE',
  settlements: 'SETTLEMENT',
  payouts: 'PAYOUT',
} as const satisfies Record<string, TransferKind>;
export type FlowSeries = keyof typeof FLOW_SERIES;

export interface DailyFlowDay extends Record<FlowSeries, string> {
  day: string;
}

export interface DailyFlows {
  timeZone: 'Asia/Shanghai';
  currency: string;
  from: string;
  days: DailyFlowDay[];
}

/** Asia/Shanghai keeps UTC+8 all year (no daylight saving since 1991). */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
const shanghaiDay = (instant: number): string =>
  new Date(instant + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);

/**
 * Daily deposits, pledges (holds placed), settlements (net to founders) and payouts (holds
 * approved) over the last `days` Shanghai calendar days, today included; every day is present,
 * a quiet one with "0.00".
 */
@Injectable()
export class DailyFlowsService {
  constructor(
    private readonly repository: FinanceRepository,
    private readonly clock: Clock,
    @Inject(rulePackConfig.KEY) private readonly pack: RulePackConfig,
  ) {}

  async dailyFlows(days: number): Promise<DailyFlows> {
    const now = this.clock.now().getTime();
    const today = shanghaiDay(now);
    // Midnight in Shanghai of the first day, as an instant.
    const from = Date.parse(`${today}T00:00:00+08:00`) - (days - 1) * DAY_MS;
    const rows = await this.repository.dailyFlows(new Date(from), Object.values(FLOW_SERIES));
    const byDay = new Map<string, DailyFlowDay>();
    for (let i = 0; i < days; i++) {
      const day = shanghaiDay(from + i * DAY_MS);
      byDay.set(day, {
        day,
        deposits: '0.00',
        pledges: '0.00',
        settlements: '0.00',
        payouts: '0.00',
      });
    }
    const seriesOf = Object.fromEntries(
      Object.entries(FLOW_SERIES).map(([series, kind]) => [kind, series]),
    ) as Record<TransferKind, FlowSeries | undefined>;
    for (const row of rows) {
      const entry = byDay.get(row.day);
      const series = seriesOf[row.kind];
      if (entry && series) entry[series] = row.amount;
    }
    return {
      timeZone: 'Asia/Shanghai',
      currency: this.pack.currency,
      from: new Date(from).toISOString(),
      days: [...byDay.values()],
    };
  }
}
