import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { MAILER, type Mailer } from '../../common/mail/mailer.port.js';
import { authConfig, type AuthConfig } from '../../config/namespaces.js';
import { TransactionRunner } from '../../database/transaction.js';
import { AccountAudit } from './account-audit.js';
import { verificationMail } from './account-mails.js';
import { newOpaqueToken } from './account-secrets.js';
import { EmailAlreadyVerifiedError, VerificationTokenInvalidError } from './account.errors.js';
import { AccountTokensRepository } from './account-tokens.repository.js';
import { IdentityRepository } from './identity.repository.js';
import { PiiVault } from './pii-vault.js';

/**
 * E-mail verification by one-time link (issue 13). Registration sends the first mail; a user may
 * ask again (the newer token supersedes the older). Tokens are stored as keyed hashes, expire
 * after EMAIL_VERIFICATION_TTL_SECONDS and work once.
 */
@Injectable()
export class EmailVerificationService {
  private readonly logger = new Logger('EmailVerification');

  constructor(
    private readonly users: IdentityRepository,
    private readonly tokens: AccountTokensRepository,
    private readonly vault: PiiVault,
    private readonly audit: AccountAudit,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  /**
   * Issues a token and mails it. The token is committed first; a mail that fails is logged (never
   * its content) and the user can ask again, so registration never fails on a mail server.
   */
  async send(userId: string, email: string, via: 'registration' | 'request'): Promise<void> {
    const token = newOpaqueToken();
    const now = this.clock.now();
    await this.transactions.run(async (tx) => {
      await this.tokens.supersedeOpen(userId, 'EMAIL_VERIFICATION', now, tx);
      await this.tokens.insert(
        {
          id: randomUUID(),
          userId,
          purpose: 'EMAIL_VERIFICATION',
          tokenHash: this.hash(token),
          email,
          createdAt: now,
          expiresAt: new Date(now.getTime() + this.config.emailVerificationTtlSeconds * 1000),
          usedAt: null,
        },
        tx,
      );
      await this.audit.record('auth.email_verification_sent', userId, now, { via }, tx);
    });
    try {
      await this.mailer.send(
        verificationMail(
          email,
          token,
          this.config.publicUrl,
          this.config.emailVerificationTtlSeconds,
        ),
      );
    } catch (error) {
      this.logger.warn(`verification mail not sent: ${(error as Error).name}`);
    }
  }

  /** POST /me/email-verification: another link, unless the address is verified already. */
  async resend(userId: string): Promise<void> {
    const user = await this.users.findUserById(userId);
    if (!user) throw new NotFoundError('User');
    if (user.emailVerifiedAt) throw new EmailAlreadyVerifiedError();
    await this.send(user.id, user.email, 'request');
  }

  /** Uses a token: the address it was sent to is verified (if it is still the account's). */
  async verify(token: string): Promise<void> {
    const now = this.clock.now();
    const tokenHash = this.hash(token);
    await this.transactions.run(async (tx) => {
      const row = await this.tokens.lock(tokenHash, 'EMAIL_VERIFICATION', tx);
      if (!row || row.usedAt) throw new VerificationTokenInvalidError('INVALID');
      if (row.expiresAt.getTime() <= now.getTime())
        throw new VerificationTokenInvalidError('EXPIRED');
      await this.tokens.markUsed(row.id, now, tx);
      const verified = await this.users.markEmailVerified(row.userId, row.email, now, tx);
      await this.audit.record('auth.email_verified', row.userId, now, { changed: verified }, tx);
    });
  }

  private hash(token: string): string {
    return this.vault.lookupDigest('email-verification', token);
  }
}
