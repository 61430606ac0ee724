import type { EnvReader } from './env.js';

/** Notification delivery settings (issue 13): e-mail dispatcher and founder webhooks. */
export interface NotificationsConfig {
  /** How often the dispatcher drains the outbox; 0 turns the background dispatcher off. */
  dispatchIntervalMs: number;
  /** Notices (and webhook deliveries) claimed per dispatcher round. */
  batchSize: number;
  /** Tries before a delivery is given up as FAILED (visible to ADMIN). */
  maxAttempts: number;
  /** Wait after the first failed try; doubles after each further one, up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /**
   * How long a claimed delivery stays out of other dispatchers' reach. A dispatcher that dies
   * mid-send leaves its claim; after this the delivery is tried again. Longer than any send.
   */
  leaseSeconds: number;
  /** A webhook endpoint that has not answered in this time counts as a failed try. */
  webhookTimeoutMs: number;
  /** The assessment-expiring notice goes out this many days before `validUntil`. */
  assessmentExpiryNoticeDays: number;
}

export function parseNotificationsConfig(r: EnvReader): NotificationsConfig {
  const config: NotificationsConfig = {
    dispatchIntervalMs: r.int('NOTIFICATION_DISPATCH_INTERVAL_MS', 5000, {
      min: 0,
      max: 3_600_000,
    }),
    batchSize: r.int('NOTIFICATION_BATCH_SIZE', 50, { min: 1, max: 1000 }),
    maxAttempts: r.int('NOTIFICATION_MAX_ATTEMPTS', 8, { min: 1, max: 100 }),
    retryBaseMs: r.int('NOTIFICATION_RETRY_BASE_MS', 30_000, { min: 0, max: 86_400_000 }),
    retryMaxMs: r.int('NOTIFICATION_RETRY_MAX_MS', 6 * 3_600_000, { min: 0, max: 7 * 86_400_000 }),
    leaseSeconds: r.int('NOTIFICATION_LEASE_SECONDS', 120, { min: 1, max: 86_400 }),
    webhookTimeoutMs: r.int('WEBHOOK_TIMEOUT_MS', 10_000, { min: 100, max: 120_000 }),
    assessmentExpiryNoticeDays: r.int('ASSESSMENT_EXPIRY_NOTICE_DAYS', 30, { min: 1, max: 365 }),
  };
  if (config.retryMaxMs < config.retryBaseMs)
    r.fail('NOTIFICATION_RETRY_MAX_MS must be at least NOTIFICATION_RETRY_BASE_MS');
  if (config.leaseSeconds * 1000 <= config.webhookTimeoutMs)
    r.fail('NOTIFICATION_LEASE_SECONDS must be longer than WEBHOOK_TIMEOUT_MS');
  return config;
}
