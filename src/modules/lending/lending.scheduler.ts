import { Inject, Injectable } from '@nestjs/common';
import { ScheduledJob } from '../../common/clock/interval-job.js';
import { ledgerConfig, type LedgerConfig } from '../../config/namespaces.js';
import { LoanOverdueSweep } from './loan-overdue.service.js';

/** Runs the lending sweep every SWEEP_INTERVAL_MS (overdue, penalty, default; issue 14). */
@Injectable()
export class LendingScheduler extends ScheduledJob {
  constructor(sweep: LoanOverdueSweep, @Inject(ledgerConfig.KEY) config: LedgerConfig) {
    super('Lending sweep', () => sweep.runOnce(), config.sweepIntervalMs);
  }
}
