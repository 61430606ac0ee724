import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { IntervalJob } from '../../common/clock/interval-job.js';
import { ledgerConfig, type LedgerConfig } from '../../config/namespaces.js';
import { FundUse } from './fund-use.service.js';

/** PLAT-08: notices overdue fund-use reports every SWEEP_INTERVAL_MS (SKIP LOCKED, once each). */
@Injectable()
export class CharityScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job: IntervalJob;

  constructor(
    fundUse: FundUse,
    @Inject(ledgerConfig.KEY) private readonly config: LedgerConfig,
  ) {
    this.job = new IntervalJob('FundUseReports', () => fundUse.noticeOverdue());
  }

  onApplicationBootstrap(): void {
    this.job.start(this.config.sweepIntervalMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }
}
