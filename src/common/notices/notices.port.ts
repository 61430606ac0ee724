import type { Tx } from '../../database/transaction.js';

/**
 * What a user must be told because their rights or money are at stake (issue 13). The lower
 * modules (identity, credit, classification, campaign, pledge, settlement, escrow-ledger) record a
 * notice through this port inside the transaction that makes the change, so a notice is never lost
 * and never sent for a change that rolled back. The notifications module fills the port (its
 * outbox); until then, and in contexts without it, the port does nothing.
 */
export const NOTICES = Symbol('NOTICES');

export const NOTICE_TYPES = [
  'pledge.placed',
  'pledge.cooling_off_ended',
  'pledge.confirmation_call_due',
  'pledge.confirmation_call_recorded',
  'pledge.reconfirmation_required',
  'pledge.cancelled',
  'pledge.cancelled_by_timeout',
  'pledge.refunded',
  'pledge.settled',
  'campaign.succeeded',
  'campaign.failed',
  'campaign.suspended',
  'campaign.resumed',
  'campaign.cancelled',
  'campaign.settled',
  'payout.requested',
  'payout.approved',
  'payout.rejected',
  'payout.paid',
  'payout.failed',
  'withdrawal.settled',
  'withdrawal.failed',
  'deposit.received',
  'qualification.decided',
  'assessment.expiring',
  'credit.recorded',
  'credit.lifted',
  'delivery.late_refund_paid',
  'delivery.claim_paid',
  'charity.report_overdue',
  'account.email_verification',
  'account.password_reset',
  'account.password_changed',
  'loan.created',
  'loan.repayment_received',
  'loan.instalment_overdue',
  'loan.defaulted',
  'holdings.distribution_paid',
  'holdings.report_filed',
  'holdings.annual_report_overdue',
] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

/** Parameter values a notice text may use: never an ID number, a password or a token. */
export type NoticeParams = Record<string, string | number | boolean | null>;

export interface Notice {
  recipientId: string;
  type: NoticeType;
  /** Amounts as decimal strings with `currency`, instants as ISO 8601 UTC strings. */
  params: NoticeParams;
  /** The campaign the notice is about, when there is one (founder webhooks subscribe by campaign). */
  campaignId?: string | null;
  /** Makes a notice once-only: the same key is recorded once (a retried sweep sends nothing twice). */
  dedupeKey?: string;
}

export interface NoticeSink {
  /** Records the notices in `tx`; they are delivered after it commits. */
  record(notices: readonly Notice[], tx: Tx): Promise<void>;
  /**
   * The notices as the rows of the SQL function `notifications_enqueue(rows jsonb, now)`, for a
   * statement that records them in the same round trip as its effect (the pledge's insert):
   * screened as `record` screens them. `[]` where the notifications module is not loaded.
   */
  encode(notices: readonly Notice[]): string;
}

/** The sink used where the notifications module is not loaded. */
export const NO_NOTICES: NoticeSink = { record: async () => undefined, encode: () => '[]' };
