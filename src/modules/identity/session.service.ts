import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Role } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { authConfig, type AuthConfig } from '../../config/namespaces.js';
import { DatabaseListener } from '../../database/listener.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { AccountAudit } from './account-audit.js';
import { newOpaqueToken } from './account-secrets.js';
import type { SecondFactorMethod, SessionEndReason } from './account.entities.js';
import { RefreshTokenInvalidError, RefreshTokenReusedError } from './account.errors.js';
import { PiiVault } from './pii-vault.js';
import { type SessionState, SessionsRepository } from './sessions.repository.js';

/** What a successful sign-in or refresh hands the client. */
export interface TokenPair {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds the access token lives. */
  expiresIn: number;
  refreshToken: string;
  /** Seconds the refresh token lives (each use rotates it). */
  refreshExpiresIn: number;
}

/** The claims of an access token; `typ` keeps other tokens we sign (challenges) out. */
export interface AccessClaims {
  sub: string;
  role: Role;
  sid: string;
  typ: 'access';
  /** Unix seconds of the TOTP check this token was issued right after (step-up routes). */
  sfa?: number;
}

const CACHE_LIMIT = 10_000;
/** A session that ends or changes NOTIFYs its id here (migration 1766020000000). */
const SESSIONS_CHANNEL = 'zhongchou_sessions';

/**
 * Sessions (issue 13): a sign-in starts one, with a refresh token that rotates on every use;
 * presenting a used one revokes the whole session (reuse detection), logout revokes it, a password
 * change or reset revokes all of the user's. Access tokens are short-lived JWTs carrying the
 * session id; each request checks that the session is still open: one primary-key read, cached
 * per instance. A session's end is announced to every instance as it commits (NOTIFY on
 * `zhongchou_sessions`), so while this instance listens it trusts its cache for
 * SESSION_CACHE_LISTENING_MS and drops an entry when its session's end is heard; while it does not
 * (before the first LISTEN, after a lost connection until LISTEN is in force again, or with
 * listening turned off) it trusts it for SESSION_CACHE_MS and forgets everything it cached when
 * it stops or starts hearing. The instance that ends a session also drops it at once.
 */
@Injectable()
export class SessionService {
  private readonly logger = new Logger('SessionService');
  private readonly cache = new Map<string, { state: SessionState; at: number }>();
  /** LISTEN on the sessions channel is in force: the long cache applies. */
  private hearing = false;
  private subscribed = false;
  /**
   * Bumped on every session end heard and every change of `hearing`: a read that began before
   * one may have seen the session still open, so it is not cached.
   */
  private generation = 0;

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly jwt: JwtService,
    private readonly vault: PiiVault,
    private readonly clock: Clock,
    private readonly audit: AccountAudit,
    private readonly transactions: TransactionRunner,
    private readonly listener: DatabaseListener,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  /** Starts a session inside the caller's transaction; its first refresh token. */
  async start(
    userId: string,
    secondFactor: SecondFactorMethod | null,
    tx: Tx,
  ): Promise<{ sessionId: string; refreshToken: string }> {
    const now = this.clock.now();
    const sessionId = randomUUID();
    await this.sessions.insertSession(
      {
        id: sessionId,
        userId,
        createdAt: now,
        secondFactor,
        secondFactorAt: secondFactor ? now : null,
        revokedAt: null,
        revokedReason: null,
      },
      tx,
    );
    return { sessionId, refreshToken: await this.newRefreshToken(sessionId, now, tx) };
  }

  /**
   * The client's tokens for a session. `secondFactorJustChecked` stamps the access token for
   * step-up routes (wall clock, like the JWT's own iat/exp).
   */
  async tokens(
    user: { id: string; role: Role },
    sessionId: string,
    refreshToken: string,
    secondFactorJustChecked: boolean,
  ): Promise<TokenPair> {
    const claims: AccessClaims = { sub: user.id, role: user.role, sid: sessionId, typ: 'access' };
    if (secondFactorJustChecked) claims.sfa = Math.floor(Date.now() / 1000);
    const accessToken = await this.jwt.signAsync(claims, {
      expiresIn: this.config.jwtExpiresInSeconds,
    });
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.config.jwtExpiresInSeconds,
      refreshToken,
      refreshExpiresIn: this.config.refreshTokenTtlSeconds,
    };
  }

  /**
   * Rotates a refresh token: the presented one is used up and a new one of the same session is
   * issued. A token presented a second time revokes the session (and is audited): whoever holds
   * a copy, thief or owner, must sign in again.
   */
  async rotate(refreshToken: string): Promise<TokenPair> {
    const now = this.clock.now();
    const tokenHash = this.hash(refreshToken);
    const outcome = await this.transactions.run(async (tx) => {
      const token = await this.sessions.lockRefreshToken(tokenHash, tx);
      if (!token || token.sessionRevoked) return { kind: 'invalid' as const };
      if (token.usedAt) {
        await this.sessions.revokeSession(token.sessionId, 'REFRESH_TOKEN_REUSED', now, tx);
        await this.audit.record(
          'auth.refresh_token_reused',
          token.userId,
          now,
          { sessionId: token.sessionId },
          tx,
        );
        return { kind: 'reused' as const, sessionId: token.sessionId };
      }
      if (token.expiresAt.getTime() <= now.getTime()) return { kind: 'invalid' as const };
      await this.sessions.markRefreshTokenUsed(token.id, now, tx);
      const next = await this.newRefreshToken(token.sessionId, now, tx);
      await this.audit.record(
        'auth.session_refreshed',
        token.userId,
        now,
        { sessionId: token.sessionId },
        tx,
      );
      return { kind: 'rotated' as const, token, next };
    });
    if (outcome.kind === 'reused') {
      this.evict(outcome.sessionId);
      throw new RefreshTokenReusedError();
    }
    if (outcome.kind === 'invalid') throw new RefreshTokenInvalidError();
    const { token, next } = outcome;
    return this.tokens({ id: token.userId, role: token.role }, token.sessionId, next, false);
  }

  /** Logout: revokes the session the refresh token belongs to (idempotent: unknown is fine). */
  async logout(refreshToken: string): Promise<void> {
    const now = this.clock.now();
    const ended = await this.transactions.run(async (tx) => {
      const token = await this.sessions.lockRefreshToken(this.hash(refreshToken), tx);
      if (!token || !(await this.sessions.revokeSession(token.sessionId, 'LOGOUT', now, tx)))
        return null;
      await this.audit.record('auth.logout', token.userId, now, { sessionId: token.sessionId }, tx);
      return token.sessionId;
    });
    if (ended) this.evict(ended);
  }

  /**
   * Revokes every open session of a user inside the caller's transaction. Call `evictUser` after
   * the commit so this instance stops honouring them at once.
   */
  revokeAll(userId: string, reason: SessionEndReason, tx: Tx): Promise<string[]> {
    return this.sessions.revokeUserSessions(userId, reason, this.clock.now(), tx);
  }

  /** The session behind an access token, for the per-request check. */
  async state(sessionId: string): Promise<SessionState | null> {
    this.listen();
    const ttl = this.hearing ? this.config.sessionCacheListeningMs : this.config.sessionCacheMs;
    const hit = ttl > 0 ? this.cache.get(sessionId) : undefined;
    if (hit && Date.now() - hit.at < ttl) return hit.state;
    const generation = this.generation;
    const state = await this.sessions.sessionState(sessionId);
    if (ttl > 0 && state && generation === this.generation) {
      this.cache.delete(sessionId);
      this.cache.set(sessionId, { state, at: Date.now() });
      if (this.cache.size > CACHE_LIMIT) {
        const oldest = this.cache.keys().next();
        if (!oldest.done) this.cache.delete(oldest.value);
      }
    }
    return state;
  }

  /** Whether this instance hears session ends now (the long cache applies). */
  get hearsSessionEnds(): boolean {
    return this.hearing;
  }

  /** Starts listening for session ends, once (connects in the background). */
  private listen(): void {
    if (this.subscribed || this.config.sessionCacheListeningMs === 0) return;
    this.subscribed = true;
    const forget = (hearing: boolean) => {
      this.generation++;
      this.cache.clear();
      this.hearing = hearing;
    };
    this.listener.on(SESSIONS_CHANNEL, {
      message: (sessionId) => {
        this.generation++;
        this.cache.delete(sessionId);
      },
      ready: () => forget(true),
      lost: () => forget(false),
    });
    this.listener.listening(SESSIONS_CHANNEL).catch((error: unknown) => {
      // The listener retries; until then the short cache applies.
      this.logger.warn({ err: error }, 'not hearing session ends yet; retrying');
    });
  }

  evict(sessionId: string): void {
    this.generation++;
    this.cache.delete(sessionId);
  }

  evictUser(userId: string): void {
    this.generation++;
    for (const [id, entry] of this.cache) if (entry.state.userId === userId) this.cache.delete(id);
  }

  private async newRefreshToken(sessionId: string, now: Date, tx: Tx): Promise<string> {
    const token = newOpaqueToken();
    await this.sessions.insertRefreshToken(
      {
        id: randomUUID(),
        sessionId,
        tokenHash: this.hash(token),
        issuedAt: now,
        expiresAt: new Date(now.getTime() + this.config.refreshTokenTtlSeconds * 1000),
        usedAt: null,
      },
      tx,
    );
    return token;
  }

  private hash(refreshToken: string): string {
    return this.vault.lookupDigest('refresh-token', refreshToken);
  }
}
