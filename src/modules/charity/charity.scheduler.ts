import { Inject, Injectable } from '@nestjs/common';
import { ScheduledJob } from '../../common/clock/interval-job.js';
import { ledgerConfig, type LedgerConfig } from '../../config/namespaces.js';
import { FundUse } from './fund-use.service.js';

/** PLAT-08: notices overdue fund-use reports every SWEEP_INTERVAL_MS (SKIP LOCKED, once each). */
@Injectable()
export class CharityScheduler extends ScheduledJob {
  constructor(fundUse: FundUse, @Inject(ledgerConfig.KEY) config: LedgerConfig) {
    super('FundUseReports', () => fundUse.noticeOverdue(), config.sweepIntervalMs);
  }
}
