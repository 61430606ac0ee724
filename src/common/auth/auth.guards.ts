import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Optional,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { authConfig, type AuthConfig } from '../../config/namespaces.js';
import { DomainError, ForbiddenError, UnauthenticatedError } from '../errors/domain-error.js';
import {
  type AuthUser,
  FRESH_SECOND_FACTOR,
  IS_OPTIONAL_AUTH,
  IS_PUBLIC,
  type Role,
  ROLES_KEY,
  STAFF_ROLES,
  TOTP_CODE_HEADER,
  WITHOUT_SECOND_FACTOR,
} from './auth.decorators.js';
import { ACCESS_TOKENS, type AccessTokenVerifier } from './access-tokens.port.js';
import {
  AccessTokenExpiredError,
  SecondFactorRequiredError,
  SessionEndedError,
  StepUpRequiredError,
} from './auth.errors.js';
import { SECOND_FACTOR_VERIFIER, type SecondFactorVerifier } from './second-factor.port.js';

export interface GuardedRequest {
  headers: Record<string, string | string[] | undefined>;
  user?: AuthUser;
}

/**
 * RFC 6750 §3: a 401 names the scheme, and for a bad token says why. The description is fixed
 * text of ours, never anything from the request.
 */
function challenge(reply: FastifyReply, error?: { description: string }): void {
  const parts = ['Bearer realm="zhongchou"'];
  if (error) parts.push('error="invalid_token"', `error_description="${error.description}"`);
  void reply.header('www-authenticate', parts.join(', '));
}

/**
 * The caller of a request with a bearer token (RFC 6750): a missing or malformed token, or one the
 * verifier refuses, is 401 with a challenge; an expired one 401 AUTH.TOKEN_EXPIRED. Shared by the
 * global guard and the routes that run without Nest's pipeline (the pledge's, issue 18).
 */
export async function authenticateBearer(
  headers: GuardedRequest['headers'],
  reply: FastifyReply,
  tokens: AccessTokenVerifier,
): Promise<AuthUser> {
  const { authorization } = headers;
  const token =
    typeof authorization === 'string' ? /^Bearer ([^\s]+)$/i.exec(authorization)?.[1] : undefined;
  if (!token) {
    const presented = authorization !== undefined && authorization !== '';
    challenge(reply, presented ? { description: 'The access token is not valid' } : undefined);
    throw new UnauthenticatedError('A valid access token is required.');
  }
  try {
    return await tokens.authenticate(token);
  } catch (error) {
    if (error instanceof AccessTokenExpiredError) {
      challenge(reply, { description: 'The access token expired' });
    } else if (error instanceof DomainError) {
      challenge(reply, {
        description:
          error instanceof SessionEndedError ? error.message : 'The access token is not valid',
      });
    }
    // Anything else (the database is down) is not the caller's fault: it stays a 500.
    throw error;
  }
}

/**
 * @Roles(...): only those roles (403 AUTH.FORBIDDEN); a staff session without a second factor
 * only where `withoutSecondFactor` (403 AUTH.SECOND_FACTOR_REQUIRED).
 */
export function requireRole(
  user: AuthUser | undefined,
  roles: readonly Role[] | undefined,
  withoutSecondFactor: () => boolean,
): void {
  if (roles && roles.length > 0 && (!user || !roles.includes(user.role))) {
    throw new ForbiddenError('Your role may not do this.', 'AUTH.FORBIDDEN', {
      allowedRoles: roles,
    });
  }
  if (user && STAFF_ROLES.includes(user.role) && !user.secondFactor && !withoutSecondFactor()) {
    throw new SecondFactorRequiredError();
  }
}

/**
 * Global guard: a valid bearer JWT on every route not marked @Public(). An expired token is
 * 401 AUTH.TOKEN_EXPIRED (issue 12); any other bad token, or one whose session has ended, is
 * 401 AUTH.UNAUTHENTICATED; both with a WWW-Authenticate challenge. @OptionalAuth() routes let a
 * caller without a token through (no user); a token sent there must be valid.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ACCESS_TOKENS) private readonly tokens: AccessTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    if (
      request.headers.authorization === undefined &&
      this.reflector.getAllAndOverride<boolean>(IS_OPTIONAL_AUTH, targets)
    )
      return true; // anonymous: no user
    request.user = await authenticateBearer(request.headers, reply, this.tokens);
    return true;
  }
}

/**
 * Global guard, after the JWT guard: @Roles(...) limits a route to those roles (403
 * AUTH.FORBIDDEN); a staff session without a second factor reaches only @AllowWithoutSecondFactor
 * routes (403 AUTH.SECOND_FACTOR_REQUIRED); @RequireFreshSecondFactor routes re-check it (403
 * AUTH.STEP_UP_REQUIRED).
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Optional()
    @Inject(SECOND_FACTOR_VERIFIER)
    private readonly verifier?: SecondFactorVerifier,
    @Optional() @Inject(authConfig.KEY) private readonly auth?: AuthConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const user = request.user;
    requireRole(
      user,
      roles,
      () => this.reflector.getAllAndOverride<boolean>(WITHOUT_SECOND_FACTOR, targets) ?? false,
    );
    if (!user) return true; // a public route
    if (this.reflector.getAllAndOverride<boolean>(FRESH_SECOND_FACTOR, targets)) {
      await this.checkStepUp(
        request,
        user,
        `${context.getClass().name}.${context.getHandler().name}`,
      );
    }
    return true;
  }

  private async checkStepUp(request: GuardedRequest, user: AuthUser, purpose: string) {
    const freshSeconds = this.auth?.secondFactorFreshSeconds ?? 600;
    const code = request.headers[TOTP_CODE_HEADER];
    if (code !== undefined) {
      const valid =
        typeof code === 'string' &&
        /^[0-9]{6}$/.test(code) &&
        this.verifier !== undefined &&
        (await this.verifier.verifyStepUp(user.id, code, purpose));
      if (!valid) throw new StepUpRequiredError('INVALID_CODE', freshSeconds);
      return;
    }
    if (!user.secondFactor) throw new StepUpRequiredError('NO_SECOND_FACTOR', freshSeconds);
    if (user.secondFactorAt === undefined) throw new StepUpRequiredError('MISSING', freshSeconds);
    // Wall clock, like the token's own iat/exp: the second factor's age is real elapsed time.
    if (Date.now() / 1000 - user.secondFactorAt > freshSeconds) {
      throw new StepUpRequiredError('STALE', freshSeconds);
    }
  }
}
