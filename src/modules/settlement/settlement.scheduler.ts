import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ledgerConfig, type LedgerConfig } from '../../config/namespaces.js';
import { SettlementService } from './settlement.service.js';

/** Runs the sweeps every SWEEP_INTERVAL_MS; instances share the work through row locks. */
@Injectable()
export class SettlementScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Sweeps');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly settlement: SettlementService,
    @Inject(ledgerConfig.KEY) private readonly config: LedgerConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.sweepIntervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.settlement
        .runOnce()
        .catch((error: unknown) => this.logger.error({ err: error }, 'sweep failed'))
        .finally(() => (this.running = undefined));
    }, this.config.sweepIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
