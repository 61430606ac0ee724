import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { IntervalJob } from '../../common/clock/interval-job.js';
import { ledgerConfig, type LedgerConfig } from '../../config/namespaces.js';
import { SettlementService } from './settlement.service.js';

/** Runs the sweeps every SWEEP_INTERVAL_MS; instances share the work through row locks. */
@Injectable()
export class SettlementScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job: IntervalJob;

  constructor(
    settlement: SettlementService,
    @Inject(ledgerConfig.KEY) private readonly config: LedgerConfig,
  ) {
    this.job = new IntervalJob('Sweeps', () => settlement.runOnce());
  }

  onApplicationBootstrap(): void {
    this.job.start(this.config.sweepIntervalMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }
}
