import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';

/**
 * The audit events of account security (issue 13), in one place so their names and shape stay
 * uniform. Details carry ids and methods only: never a password, token, code or secret.
 */
export type AccountAction =
  | 'auth.login'
  | 'auth.login_challenge_issued'
  | 'auth.session_refreshed'
  | 'auth.refresh_token_reused'
  | 'auth.logout'
  | 'auth.password_changed'
  | 'auth.password_reset_requested'
  | 'auth.password_reset_completed'
  | 'auth.email_verification_sent'
  | 'auth.email_verified'
  | 'auth.totp_enrolment_started'
  | 'auth.totp_enabled'
  | 'auth.recovery_code_used'
  | 'auth.step_up_verified';

@Injectable()
export class AccountAudit {
  constructor(private readonly audit: AuditService) {}

  record(
    action: AccountAction,
    userId: string,
    at: Date,
    details: Record<string, string | number | boolean | null>,
    tx?: Tx,
  ): Promise<void> {
    return this.audit.append(
      { occurredAt: at, actorId: userId, action, subjectType: 'user', subjectId: userId, details },
      tx,
    );
  }
}
