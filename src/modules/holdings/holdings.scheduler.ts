import { Inject, Injectable } from '@nestjs/common';
import { ScheduledJob } from '../../common/clock/interval-job.js';
import { ledgerConfig, type LedgerConfig } from '../../config/namespaces.js';
import { IssuerReports } from './issuer-reports.service.js';

/** CN-ECF-07: notices missing annual reports every SWEEP_INTERVAL_MS (once per campaign and year). */
@Injectable()
export class HoldingsScheduler extends ScheduledJob {
  constructor(reports: IssuerReports, @Inject(ledgerConfig.KEY) config: LedgerConfig) {
    super('IssuerReports', () => reports.noticeOverdue(), config.sweepIntervalMs);
  }
}
