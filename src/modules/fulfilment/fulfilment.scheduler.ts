import { Inject, Injectable } from '@nestjs/common';
import { ScheduledJob } from '../../common/clock/interval-job.js';
import { ledgerConfig, type LedgerConfig } from '../../config/namespaces.js';
import { Holdbacks } from './holdbacks.service.js';

/** RW-03: releases due holdbacks every SWEEP_INTERVAL_MS (instances share the rows, SKIP LOCKED). */
@Injectable()
export class FulfilmentScheduler extends ScheduledJob {
  constructor(holdbacks: Holdbacks, @Inject(ledgerConfig.KEY) config: LedgerConfig) {
    super('Holdbacks', () => holdbacks.releaseDue(), config.sweepIntervalMs);
  }
}
