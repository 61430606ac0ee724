import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { type AuthUser, ROLES, type Role } from '../../common/auth/auth.decorators.js';
import { authConfig, type AuthConfig } from '../../config/namespaces.js';

interface TokenPayload {
  sub?: unknown;
  role?: unknown;
}

/** Bearer JWT (HS256) -> the caller. Expired, tampered or malformed tokens never get here. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(authConfig.KEY) config: AuthConfig) {
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

  validate(payload: TokenPayload): AuthUser | false {
    if (typeof payload.sub !== 'string' || !ROLES.includes(payload.role as Role)) return false;
    return { id: payload.sub, role: payload.role as Role };
  }
}
