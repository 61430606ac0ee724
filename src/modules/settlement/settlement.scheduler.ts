import { Inject, Injectable } from '@nestjs/common';
import { ScheduledJob } from '../../common/clock/interval-job.js';
import { ledgerConfig, type LedgerConfig } from '../../config/namespaces.js';
import { SettlementService } from './settlement.service.js';

/** Runs the sweeps every SWEEP_INTERVAL_MS; instances share the work through row locks. */
@Injectable()
export class SettlementScheduler extends ScheduledJob {
  constructor(settlement: SettlementService, @Inject(ledgerConfig.KEY) config: LedgerConfig) {
    super('Sweeps', () => settlement.runOnce(), config.sweepIntervalMs);
  }
}
