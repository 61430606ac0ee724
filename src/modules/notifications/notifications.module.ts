import { Module } from '@nestjs/common';
import { CampaignModule } from '../campaign/campaign.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { InvestorClassificationModule } from '../investor-classification/investor-classification.module.js';
import { CampaignTitles } from './campaign-titles.js';
import { EmailDispatcher } from './email-dispatcher.service.js';
import { FailedDeliveriesRepository } from './failed-deliveries.repository.js';
import { FailedDeliveriesService } from './failed-deliveries.service.js';
import { InboxService } from './inbox.service.js';
import { NotificationChannel } from './notification-channel.repository.js';
import { NotificationJobs } from './notification-jobs.service.js';
import { NotificationOutboxModule } from './notification-outbox.js';
import { NotificationStreams } from './notification-stream.js';
import { NotificationsAdminController } from './notifications-admin.controller.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsScheduler } from './notifications.scheduler.js';
import { WebhookDispatcher } from './webhook-dispatcher.service.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksRepository } from './webhooks.repository.js';
import { WebhooksService } from './webhooks.service.js';

/**
 * Notifications (issue 13, a wave-2 module): the outbox behind the NOTICES port, the inbox and its
 * live stream, the e-mail dispatcher (through the MAILER port) and founders' webhooks. No lower
 * module imports it; they record notices through the port.
 */
@Module({
  imports: [NotificationOutboxModule, IdentityModule, InvestorClassificationModule, CampaignModule],
  controllers: [NotificationsController, WebhooksController, NotificationsAdminController],
  providers: [
    CampaignTitles,
    InboxService,
    NotificationChannel,
    NotificationStreams,
    EmailDispatcher,
    WebhooksRepository,
    WebhooksService,
    WebhookDispatcher,
    FailedDeliveriesRepository,
    FailedDeliveriesService,
    NotificationJobs,
    NotificationsScheduler,
  ],
  exports: [NotificationJobs, EmailDispatcher, WebhookDispatcher],
})
export class NotificationsModule {}
