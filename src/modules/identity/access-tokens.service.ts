import { createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AccessTokenVerifier } from '../../common/auth/access-tokens.port.js';
import { type AuthUser, ROLES, type Role } from '../../common/auth/auth.decorators.js';
import { AccessTokenExpiredError, SessionEndedError } from '../../common/auth/auth.errors.js';
import { UnauthenticatedError } from '../../common/errors/domain-error.js';
import { authConfig, type AuthConfig } from '../../config/namespaces.js';
import { SessionService } from './session.service.js';
import { VerifiedTokens } from './verified-tokens.js';

interface TokenPayload {
  sub?: unknown;
  role?: unknown;
  sid?: unknown;
  typ?: unknown;
  sfa?: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What a verified access token says: who, in which role and session, and when the second factor was. */
interface AccessClaims {
  sub: string;
  role: Role;
  sid: string;
  sfa?: number;
}

/** Verified tokens kept per instance (a few hundred bytes each: at most a few MiB). */
const VERIFIED_TOKENS = 10_000;

/**
 * Bearer JWT (HS256) -> the caller: the signature and expiry checked with a key made once, then
 * the session (a revoked one stops here: logout, password change, refresh-token reuse). One per
 * application instance (the ACCESS_TOKENS port), not a process-wide strategy registry.
 */
@Injectable()
export class AccessTokens implements AccessTokenVerifier {
  /**
   * A KeyObject made once: given a string, jsonwebtoken tries (and fails) to parse it as a public
   * key on every request before treating it as a secret.
   */
  private readonly key: KeyObject;
  /** Tokens already verified: their signature is checked once, not on every request (issue 18). */
  private readonly verified = new VerifiedTokens<AccessClaims>(VERIFIED_TOKENS);

  constructor(
    @Inject(authConfig.KEY) config: AuthConfig,
    private readonly jwt: JwtService,
    private readonly sessions: SessionService,
  ) {
    this.key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  async authenticate(token: string): Promise<AuthUser> {
    const known = this.verified.get(token);
    if (known === 'expired') throw new AccessTokenExpiredError();
    const claims = known ?? (await this.verify(token));
    const session = await this.sessions.state(claims.sid);
    if (!session || session.userId !== claims.sub)
      throw new UnauthenticatedError('A valid access token is required.');
    if (!session.active) throw new SessionEndedError();
    return {
      id: claims.sub,
      role: claims.role,
      sessionId: claims.sid,
      secondFactor: session.secondFactor,
      ...(claims.sfa !== undefined ? { secondFactorAt: claims.sfa } : {}),
    };
  }

  /** The signature, expiry and claims of a token not seen before; remembered until it expires. */
  private async verify(token: string): Promise<AccessClaims> {
    let payload: TokenPayload & { exp?: unknown };
    try {
      payload = await this.jwt.verifyAsync<TokenPayload & object>(token, {
        secret: this.key as unknown as Buffer, // jsonwebtoken takes a KeyObject; the typings list Buffer
        algorithms: ['HS256'],
      });
    } catch (error) {
      // jsonwebtoken's class name is its contract.
      if (error instanceof Error && error.name === 'TokenExpiredError')
        throw new AccessTokenExpiredError();
      throw new UnauthenticatedError('A valid access token is required.');
    }
    const { sub, role, sid, typ, sfa } = payload;
    if (
      typ !== 'access' ||
      typeof sub !== 'string' ||
      !ROLES.includes(role as Role) ||
      typeof sid !== 'string' ||
      !UUID.test(sid)
    ) {
      throw new UnauthenticatedError('A valid access token is required.');
    }
    const claims: AccessClaims = {
      sub,
      role: role as Role,
      sid,
      ...(typeof sfa === 'number' ? { sfa } : {}),
    };
    this.verified.remember(token, payload.exp, claims);
    return claims;
  }
}
