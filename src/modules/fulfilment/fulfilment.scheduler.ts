import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { IntervalJob } from '../../common/clock/interval-job.js';
import { ledgerConfig, type LedgerConfig } from '../../config/namespaces.js';
import { Holdbacks } from './holdbacks.service.js';

/** RW-03: releases due holdbacks every SWEEP_INTERVAL_MS (instances share the rows, SKIP LOCKED). */
@Injectable()
export class FulfilmentScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job: IntervalJob;

  constructor(
    holdbacks: Holdbacks,
    @Inject(ledgerConfig.KEY) private readonly config: LedgerConfig,
  ) {
    this.job = new IntervalJob('Holdbacks', () => holdbacks.releaseDue());
  }

  onApplicationBootstrap(): void {
    this.job.start(this.config.sweepIntervalMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }
}
