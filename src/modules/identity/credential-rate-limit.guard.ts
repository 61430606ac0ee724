import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiResponse } from '@nestjs/swagger';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { AuthUser } from '../../common/auth/auth.decorators.js';
import { RateLimitedError } from '../../common/errors/domain-error.js';
import { authConfig, type AuthConfig } from '../../config/namespaces.js';
import { RateLimiterStore } from './rate-limiter-store.js';

interface CredentialRequest {
  ip?: string;
  body?: unknown;
  user?: AuthUser;
}

const BUCKET = 'zhongchou:credentialBucket';

/**
 * Rate limits a credential route (issue 13: every one of them), each in its own bucket, e.g.
 * `@CredentialRateLimit('login')`. 429 RATE_LIMITED with Retry-After.
 */
export const CredentialRateLimit = (bucket: string): MethodDecorator =>
  applyDecorators(
    SetMetadata(BUCKET, bucket),
    UseGuards(CredentialRateLimitGuard),
    ApiResponse({ status: 429, description: 'RATE_LIMITED: too many attempts (Retry-After)' }),
  );

/**
 * Limits attempts per account (the body's e-mail, else the signed-in user: against distributed
 * guessing) and per address (against one source trying many accounts), per bucket. The counters
 * are shared by every instance through Redis when REDIS_URL is set, else kept in this instance's
 * memory (RateLimiterStore, issue 19). @nestjs/throttler would be the usual choice, but it is CommonJS requiring the
 * ESM-only Nest 12, which Jest on Node 20 cannot load.
 */
@Injectable()
export class CredentialRateLimitGuard implements CanActivate {
  private readonly buckets = new Map<
    string,
    { perAccount: RateLimiterAbstract; perAddress: RateLimiterAbstract }
  >();

  constructor(
    private readonly reflector: Reflector,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
    private readonly store: RateLimiterStore,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const bucket = this.reflector.get<string | undefined>(BUCKET, context.getHandler()) ?? 'login';
    const limiters = this.limiters(bucket);
    const request = context.switchToHttp().getRequest<CredentialRequest>();
    const body = request.body as { email?: unknown } | undefined;
    const account =
      typeof body?.email === 'string' ? body.email.trim().toLowerCase() : request.user?.id;
    try {
      await limiters.perAddress.consume(request.ip ?? 'unknown');
      if (account) await limiters.perAccount.consume(account);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      }
      throw rejection;
    }
    return true;
  }

  private limiters(bucket: string) {
    let limiters = this.buckets.get(bucket);
    if (!limiters) {
      const duration = this.config.loginRateWindowSeconds;
      limiters = {
        perAccount: this.store.limiter({
          keyPrefix: `${bucket}-account`,
          points: this.config.loginRateLimit,
          duration,
        }),
        perAddress: this.store.limiter({
          keyPrefix: `${bucket}-address`,
          points: this.config.loginRateLimit * 10,
          duration,
        }),
      };
      this.buckets.set(bucket, limiters);
    }
    return limiters;
  }
}
