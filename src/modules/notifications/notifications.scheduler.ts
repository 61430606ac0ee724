import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { IntervalJob } from '../../common/clock/interval-job.js';
import { notificationsConfig, type NotificationsConfig } from '../../config/namespaces.js';
import { NotificationJobs } from './notification-jobs.service.js';

/** Runs the notification jobs every NOTIFICATION_DISPATCH_INTERVAL_MS (0: never). */
@Injectable()
export class NotificationsScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job: IntervalJob;

  constructor(
    jobs: NotificationJobs,
    @Inject(notificationsConfig.KEY) private readonly config: NotificationsConfig,
  ) {
    this.job = new IntervalJob('Notifications', () => jobs.runOnce(false));
  }

  onApplicationBootstrap(): void {
    this.job.start(this.config.dispatchIntervalMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }
}
