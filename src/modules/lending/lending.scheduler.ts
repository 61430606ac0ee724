import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { IntervalJob } from '../../common/clock/interval-job.js';
import { ledgerConfig, type LedgerConfig } from '../../config/namespaces.js';
import { LoanOverdueSweep } from './loan-overdue.service.js';

/** Runs the lending sweep every SWEEP_INTERVAL_MS (overdue, penalty, default; issue 14). */
@Injectable()
export class LendingScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job: IntervalJob;

  constructor(
    sweep: LoanOverdueSweep,
    @Inject(ledgerConfig.KEY) private readonly config: LedgerConfig,
  ) {
    this.job = new IntervalJob('Lending sweep', () => sweep.runOnce());
  }

  onApplicationBootstrap(): void {
    this.job.start(this.config.sweepIntervalMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }
}
