import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { type AuthUser, ROLES, type Role } from '../../common/auth/auth.decorators.js';
import { SessionEndedError } from '../../common/auth/auth.errors.js';
import { authConfig, type AuthConfig } from '../../config/namespaces.js';
import { SessionService } from './session.service.js';

interface TokenPayload {
  sub?: unknown;
  role?: unknown;
  sid?: unknown;
  typ?: unknown;
  sfa?: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Bearer JWT (HS256) -> the caller. Expired, tampered or malformed tokens never get here; a token
 * whose session was revoked (logout, password change, refresh-token reuse) stops here.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(authConfig.KEY) config: AuthConfig,
    private readonly sessions: SessionService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject made once: given a string, jsonwebtoken tries (and fails) to parse it as a
      // public key on every request before treating it as a secret. jsonwebtoken accepts a
      // KeyObject (its `Secret` type); passport-jwt's typings only list string | Buffer.
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')) as unknown as Buffer,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(payload: TokenPayload): Promise<AuthUser | false> {
    const { sub, role, sid, typ, sfa } = payload;
    if (
      typ !== 'access' ||
      typeof sub !== 'string' ||
      !ROLES.includes(role as Role) ||
      typeof sid !== 'string' ||
      !UUID.test(sid)
    ) {
      return false;
    }
    const session = await this.sessions.state(sid);
    if (!session || session.userId !== sub) return false;
    if (!session.active) throw new SessionEndedError();
    return {
      id: sub,
      role: role as Role,
      sessionId: sid,
      secondFactor: session.secondFactor,
      ...(typeof sfa === 'number' ? { secondFactorAt: sfa } : {}),
    };
  }
}
