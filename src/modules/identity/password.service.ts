import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { MAILER, type Mailer } from '../../common/mail/mailer.port.js';
import { authConfig, type AuthConfig } from '../../config/namespaces.js';
import { TransactionRunner } from '../../database/transaction.js';
import { AccountAudit } from './account-audit.js';
import { passwordResetMail } from './account-mails.js';
import { newOpaqueToken } from './account-secrets.js';
import { ResetTokenInvalidError, WrongPasswordError } from './account.errors.js';
import { AccountTokensRepository } from './account-tokens.repository.js';
import { IdentityRepository } from './identity.repository.js';
import { PasswordHasher } from './password-hasher.js';
import { PiiVault } from './pii-vault.js';
import { SessionService } from './session.service.js';

/**
 * Password change and reset (issue 13). Either ends every session of the user. A reset is asked
 * for by e-mail address and always answered the same way: the look-up and the mail happen after
 * the answer, so neither the answer nor its timing says whether the address has an account.
 */
@Injectable()
export class PasswordService implements OnApplicationShutdown {
  private readonly logger = new Logger('PasswordReset');
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly users: IdentityRepository,
    private readonly tokens: AccountTokensRepository,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly vault: PiiVault,
    private readonly audit: AccountAudit,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  /** POST /me/password: the current password, then every session of the user ends. */
  async change(caller: AuthUser, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.users.findUserById(caller.id);
    if (!user) throw new NotFoundError('User');
    if (!(await this.passwords.verify(currentPassword, user.passwordHash)))
      throw new WrongPasswordError();
    const hash = await this.passwords.hash(newPassword);
    const now = this.clock.now();
    await this.transactions.run(async (tx) => {
      await this.users.updatePasswordHash(user.id, hash, tx);
      const ended = await this.sessions.revokeAll(user.id, 'PASSWORD_CHANGED', tx);
      await this.tokens.supersedeOpen(user.id, 'PASSWORD_RESET', now, tx);
      await this.audit.record(
        'auth.password_changed',
        user.id,
        now,
        { sessionsEnded: ended.length },
        tx,
      );
    });
    this.sessions.evictUser(user.id);
  }

  /**
   * POST /auth/password-reset: returns at once, whatever the address; the work runs after the
   * answer (and is awaited at shutdown).
   */
  requestReset(email: string): void {
    const work = this.issueReset(email.trim().toLowerCase()).catch((error: unknown) => {
      // Never the address or the token: the error's class is enough to look into it.
      this.logger.warn(`password reset not sent: ${(error as Error).name}`);
    });
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** POST /auth/password-reset/confirm: a valid token sets the password and ends every session. */
  async confirmReset(token: string, newPassword: string): Promise<void> {
    const tokenHash = this.hash(token);
    // Refuse a bad token before the costly hash.
    const found = await this.tokens.find(tokenHash, 'PASSWORD_RESET');
    const now = this.clock.now();
    this.assertUsable(found, now);
    const hash = await this.passwords.hash(newPassword);
    const userId = await this.transactions.run(async (tx) => {
      const row = await this.tokens.lock(tokenHash, 'PASSWORD_RESET', tx);
      this.assertUsable(row, now);
      await this.tokens.markUsed(row.id, now, tx);
      await this.tokens.supersedeOpen(row.userId, 'PASSWORD_RESET', now, tx);
      await this.users.updatePasswordHash(row.userId, hash, tx);
      // The reset proved the mailbox, so the address counts as verified too.
      await this.users.markEmailVerified(row.userId, row.email, now, tx);
      const ended = await this.sessions.revokeAll(row.userId, 'PASSWORD_RESET', tx);
      await this.audit.record(
        'auth.password_reset_completed',
        row.userId,
        now,
        { sessionsEnded: ended.length },
        tx,
      );
      return row.userId;
    });
    this.sessions.evictUser(userId);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async issueReset(email: string): Promise<void> {
    const user = await this.users.findUserByEmail(email);
    if (!user) return;
    const token = newOpaqueToken();
    const now = this.clock.now();
    await this.transactions.run(async (tx) => {
      await this.tokens.supersedeOpen(user.id, 'PASSWORD_RESET', now, tx);
      await this.tokens.insert(
        {
          id: randomUUID(),
          userId: user.id,
          purpose: 'PASSWORD_RESET',
          tokenHash: this.hash(token),
          email: user.email,
          createdAt: now,
          expiresAt: new Date(now.getTime() + this.config.passwordResetTtlSeconds * 1000),
          usedAt: null,
        },
        tx,
      );
      await this.audit.record('auth.password_reset_requested', user.id, now, {}, tx);
    });
    await this.mailer.send(
      passwordResetMail(user.email, token, this.config.passwordResetTtlSeconds),
    );
  }

  private assertUsable(
    row: { usedAt: Date | null; expiresAt: Date } | null,
    now: Date,
  ): asserts row is { usedAt: null; expiresAt: Date } {
    if (!row || row.usedAt) throw new ResetTokenInvalidError('INVALID');
    if (row.expiresAt.getTime() <= now.getTime()) throw new ResetTokenInvalidError('EXPIRED');
  }

  private hash(token: string): string {
    return this.vault.lookupDigest('password-reset', token);
  }
}
