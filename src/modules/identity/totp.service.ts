import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { generateSecret, generateURI, verify } from 'otplib';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { SecondFactorVerifier } from '../../common/auth/second-factor.port.js';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError, RateLimitedError } from '../../common/errors/domain-error.js';
import { authConfig, type AuthConfig } from '../../config/namespaces.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { AccountAudit } from './account-audit.js';
import {
  newRecoveryCode,
  normalizeRecoveryCode,
  RECOVERY_CODE_INPUT,
  TOTP_CODE_INPUT,
} from './account-secrets.js';
import type { SecondFactorMethod } from './account.entities.js';
import {
  InvalidTotpCodeError,
  TotpAlreadyEnrolledError,
  TotpNotEnrolledError,
} from './account.errors.js';
import { IdentityRepository } from './identity.repository.js';
import { PiiVault } from './pii-vault.js';
import { RateLimiterStore } from './rate-limiter-store.js';
import { TotpRepository } from './totp.repository.js';

/**
 * Time for TOTP codes: the wall clock, not the platform's business clock. RFC 6238 counts real
 * Unix time, which the user's authenticator app shares; tests and demos that move the business
 * clock must not move the codes. Injectable so unit specs can pin it.
 */
export const TOTP_TIME = Symbol('TOTP_TIME');

const PERIOD_SECONDS = 30;
/** One step either side (RFC 6238 §5.2 allows for drift and network delay). */
const TOLERANCE_SECONDS = PERIOD_SECONDS;
export const RECOVERY_CODE_COUNT = 10;

/**
 * The TOTP second factor (RFC 6238 via otplib; issue 13): enrolment with an otpauth:// URI,
 * confirmation that returns single-use recovery codes once, the sign-in check and the step-up
 * check of payout approval. A code is accepted once (its time step is spent atomically). After
 * LOGIN_RATE_LIMIT wrong codes in a window the user's checks answer 429 until it passes.
 */
@Injectable()
export class TotpService implements SecondFactorVerifier {
  private readonly failures: RateLimiterAbstract;

  constructor(
    private readonly totp: TotpRepository,
    private readonly users: IdentityRepository,
    private readonly vault: PiiVault,
    private readonly audit: AccountAudit,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(TOTP_TIME) private readonly time: Clock,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
    store: RateLimiterStore,
  ) {
    this.failures = store.limiter({
      keyPrefix: 'totp-failures',
      points: config.loginRateLimit,
      duration: Math.max(config.loginRateWindowSeconds, 300),
    });
  }

  /** Starts (or restarts) enrolment: a new secret, encrypted at rest (PII vault, AES-GCM). */
  async enrol(userId: string): Promise<{ secret: string; otpauthUri: string }> {
    const user = await this.users.findUserById(userId);
    if (!user) throw new NotFoundError('User');
    const secret = generateSecret();
    const now = this.clock.now();
    await this.transactions.run(async (tx) => {
      const started = await this.totp.startEnrolment(
        userId,
        this.vault.encrypt(secret, this.context(userId)),
        now,
        tx,
      );
      if (!started) throw new TotpAlreadyEnrolledError();
      await this.audit.record('auth.totp_enrolment_started', userId, now, {}, tx);
    });
    return {
      secret,
      otpauthUri: generateURI({ issuer: this.config.totpIssuer, label: user.email, secret }),
    };
  }

  /** Activates the pending secret with a first code; the recovery codes, shown this once. */
  async confirm(userId: string, code: string): Promise<{ recoveryCodes: string[] }> {
    const row = await this.totp.find(userId);
    if (!row) throw new TotpNotEnrolledError();
    if (row.confirmedAt) throw new TotpAlreadyEnrolledError();
    const step = await this.matchingStep(userId, row.secretEncrypted, code, null);
    if (step === null) throw new InvalidTotpCodeError();
    const now = this.clock.now();
    const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.transactions.run(async (tx) => {
      if (!(await this.totp.confirm(userId, now, step, tx))) throw new TotpNotEnrolledError();
      await this.totp.replaceRecoveryCodes(
        userId,
        recoveryCodes.map((c) => this.recoveryHash(userId, normalizeRecoveryCode(c))),
        now,
        recoveryCodes.map(() => randomUUID()),
        tx,
      );
      await this.audit.record(
        'auth.totp_enabled',
        userId,
        now,
        { recoveryCodes: RECOVERY_CODE_COUNT },
        tx,
      );
    });
    return { recoveryCodes };
  }

  async enabled(userId: string): Promise<boolean> {
    return Boolean((await this.totp.find(userId))?.confirmedAt);
  }

  /**
   * The sign-in check, inside the transaction that starts the session: a current TOTP code or an
   * unused recovery code, spent here; null when neither.
   */
  async checkSignIn(userId: string, code: string, tx: Tx): Promise<SecondFactorMethod | null> {
    await this.assertNotLocked(userId);
    const row = await this.totp.find(userId);
    if (!row?.confirmedAt) return null;
    let method: SecondFactorMethod | null = null;
    if (TOTP_CODE_INPUT.test(code)) {
      const step = await this.matchingStep(userId, row.secretEncrypted, code, row.lastUsedStep);
      if (step !== null && (await this.totp.spendStep(userId, step, tx))) method = 'TOTP';
    } else if (RECOVERY_CODE_INPUT.test(code)) {
      const hash = this.recoveryHash(userId, normalizeRecoveryCode(code));
      const now = this.clock.now();
      if (await this.totp.spendRecoveryCode(userId, hash, now, tx)) {
        method = 'RECOVERY_CODE';
        await this.audit.record('auth.recovery_code_used', userId, now, {}, tx);
      }
    }
    if (!method) await this.countFailure(userId);
    return method;
  }

  /** The step-up check of a route such as payout approval (SECOND_FACTOR_VERIFIER). */
  async verifyStepUp(userId: string, code: string, purpose: string): Promise<boolean> {
    await this.assertNotLocked(userId);
    const row = await this.totp.find(userId);
    if (!row?.confirmedAt || !TOTP_CODE_INPUT.test(code)) {
      await this.countFailure(userId);
      return false;
    }
    const step = await this.matchingStep(userId, row.secretEncrypted, code, row.lastUsedStep);
    const now = this.clock.now();
    const spent =
      step !== null &&
      (await this.transactions.run(async (tx) => {
        if (!(await this.totp.spendStep(userId, step, tx))) return false;
        await this.audit.record('auth.step_up_verified', userId, now, { purpose }, tx);
        return true;
      }));
    if (!spent) await this.countFailure(userId);
    return spent;
  }

  /** The time step `code` belongs to (within one step of now), after `afterStep`; else null. */
  private async matchingStep(
    userId: string,
    secretEncrypted: string,
    code: string,
    afterStep: number | null,
  ): Promise<number | null> {
    if (!TOTP_CODE_INPUT.test(code)) return null;
    const result = await verify({
      secret: this.vault.decrypt(secretEncrypted, this.context(userId)),
      token: code,
      epoch: Math.floor(this.time.now().getTime() / 1000),
      period: PERIOD_SECONDS,
      epochTolerance: TOLERANCE_SECONDS,
      ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  }

  private async assertNotLocked(userId: string): Promise<void> {
    const state = await this.failures.get(userId);
    if (state && state.remainingPoints <= 0) {
      throw new RateLimitedError(Math.max(1, Math.ceil(state.msBeforeNext / 1000)));
    }
  }

  private async countFailure(userId: string): Promise<void> {
    try {
      await this.failures.consume(userId);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
    }
  }

  private context(userId: string): string {
    return `user_totp.secret:${userId}`;
  }

  private recoveryHash(userId: string, normalized: string): string {
    return this.vault.lookupDigest(`recovery-code:${userId}`, normalized);
  }
}
