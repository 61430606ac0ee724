import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

/**
 * A background job run every `intervalMs` (0: never), never overlapping itself, stopped by
 * `stop()` after the run in progress ends. Used by the sealer and the settlement sweeps.
 */
export class IntervalJob {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly name: string,
    private readonly run: () => Promise<unknown>,
  ) {}

  start(intervalMs: number): void {
    if (intervalMs <= 0) return;
    const logger = new Logger(this.name);
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.run()
        .catch((error: unknown) => logger.error({ err: error }, `${this.name} failed`))
        .finally(() => (this.running = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}

/**
 * A provider that runs one IntervalJob for the life of the application: started when the
 * application has booted, stopped (after the run in progress) when it shuts down. The sweeps of
 * settlement, lending, fulfilment and charity are each one of these.
 */
export abstract class ScheduledJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job: IntervalJob;

  protected constructor(
    name: string,
    run: () => Promise<unknown>,
    private readonly intervalMs: number,
  ) {
    this.job = new IntervalJob(name, run);
  }

  onApplicationBootstrap(): void {
    this.job.start(this.intervalMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }
}
