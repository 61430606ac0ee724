import {
  Check,
  Column,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
  Unique,
} from 'typeorm';
import type { NoticeParams } from '../../common/notices/notices.port.js';
import { CampaignEntity } from '../campaign/campaign.entities.js';
import { UserEntity } from '../identity/user.entity.js';

export const EMAIL_STATUSES = ['PENDING', 'SENT', 'FAILED', 'SKIPPED'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];
export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One notice: the inbox item, and the outbox row that drives its e-mail. Written in the
 * transaction of the change it reports (issue 13); never deleted.
 */
@Entity('notifications')
@Unique('notifications_seq_key', ['seq'])
@Unique('notifications_recipient_dedupe_key', ['recipientId', 'dedupeKey'])
@Check('notifications_type_check', `"type" ~ '^[a-z_]+\\.[a-z_]+$'`)
@Check('notifications_params_check', `jsonb_typeof("params") = 'object'`)
@Check(
  'notifications_dedupe_key_check',
  `"dedupe_key" IS NULL OR char_length("dedupe_key") BETWEEN 1 AND 200`,
)
@Check(
  'notifications_email_status_check',
  `"email_status" IN ('PENDING', 'SENT', 'FAILED', 'SKIPPED')`,
)
@Check('notifications_email_attempts_check', `"email_attempts" >= 0`)
@Check(
  'notifications_email_sent_check',
  `("email_status" = 'SENT') = ("email_sent_at" IS NOT NULL)`,
)
@Index('notifications_inbox_idx', ['recipientId', 'seq'])
@Index('notifications_unread_idx', ['recipientId', 'seq'], { where: `"read_at" IS NULL` })
@Index('notifications_email_due_idx', ['emailNextAttemptAt'], {
  where: `"email_status" = 'PENDING'`,
})
@Index('notifications_email_failed_idx', ['emailLastAttemptAt'], {
  where: `"email_status" = 'FAILED'`,
})
export class NotificationEntity {
  @PrimaryColumn('uuid')
  id: string;

  /** Inbox order and the stream's event id; a string, as `pg` returns bigint. */
  @Column('bigint')
  @Generated('increment')
  seq: string;

  @Column('uuid')
  recipientId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recipient_id', foreignKeyConstraintName: 'notifications_recipient_id_fkey' })
  recipient?: Relation<UserEntity>;

  @Column('text')
  type: string;

  @Column('jsonb')
  params: NoticeParams;

  @Column('uuid', { nullable: true })
  campaignId: string | null;

  @ManyToOne(() => CampaignEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'notifications_campaign_id_fkey' })
  campaign?: Relation<CampaignEntity>;

  @Column('text', { nullable: true })
  dedupeKey: string | null;

  @Column('timestamptz')
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  readAt: Date | null;

  @Column('text')
  emailStatus: EmailStatus;

  @Column('integer')
  emailAttempts: number;

  @Column('timestamptz')
  emailNextAttemptAt: Date;

  @Column('timestamptz', { nullable: true })
  emailLastAttemptAt: Date | null;

  @Column('text', { nullable: true })
  emailLastError: string | null;

  @Column('timestamptz', { nullable: true })
  emailSentAt: Date | null;
}

/** A founder's endpoint; the signing secret is kept encrypted (signing needs it in clear). */
@Entity('webhook_endpoints')
@Check(
  'webhook_endpoints_url_check',
  `char_length("url") BETWEEN 8 AND 2000 AND "url" ~ '^https?://'`,
)
@Index('webhook_endpoints_founder_idx', ['founderId'])
export class WebhookEndpointEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  founderId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'founder_id', foreignKeyConstraintName: 'webhook_endpoints_founder_id_fkey' })
  founder?: Relation<UserEntity>;

  @Column('text')
  url: string;

  @Column('text')
  secretEncrypted: string;

  @Column('timestamptz')
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  disabledAt: Date | null;
}

/** One notice to one endpoint, with its retry state. */
@Entity('webhook_deliveries')
@Unique('webhook_deliveries_endpoint_notification_key', ['endpointId', 'notificationId'])
@Check('webhook_deliveries_status_check', `"status" IN ('PENDING', 'DELIVERED', 'FAILED')`)
@Check('webhook_deliveries_attempts_check', `"attempts" >= 0`)
@Check(
  'webhook_deliveries_delivered_check',
  `("status" = 'DELIVERED') = ("delivered_at" IS NOT NULL)`,
)
@Index('webhook_deliveries_due_idx', ['nextAttemptAt'], { where: `"status" = 'PENDING'` })
@Index('webhook_deliveries_endpoint_idx', ['endpointId', 'createdAt', 'id'])
export class WebhookDeliveryEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  endpointId: string;

  @ManyToOne(() => WebhookEndpointEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'endpoint_id',
    foreignKeyConstraintName: 'webhook_deliveries_endpoint_id_fkey',
  })
  endpoint?: Relation<WebhookEndpointEntity>;

  @Column('uuid')
  notificationId: string;

  @ManyToOne(() => NotificationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'notification_id',
    foreignKeyConstraintName: 'webhook_deliveries_notification_id_fkey',
  })
  notification?: Relation<NotificationEntity>;

  @Column('text')
  status: DeliveryStatus;

  @Column('integer')
  attempts: number;

  @Column('timestamptz')
  nextAttemptAt: Date;

  @Column('timestamptz', { nullable: true })
  lastAttemptAt: Date | null;

  @Column('integer', { nullable: true })
  lastStatusCode: number | null;

  @Column('text', { nullable: true })
  lastError: string | null;

  @Column('timestamptz', { nullable: true })
  deliveredAt: Date | null;

  @Column('timestamptz')
  createdAt: Date;
}

export const NOTIFICATION_ENTITIES = [
  NotificationEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
];
