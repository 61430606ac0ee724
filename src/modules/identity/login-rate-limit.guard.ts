import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../../common/errors/domain-error.js';
import { authConfig, type AuthConfig } from '../../config/namespaces.js';

interface LoginRequest {
  ip?: string;
  body?: unknown;
}

/**
 * Limits login attempts per account (whatever the source address, against distributed guessing)
 * and per address (against one source trying many accounts). The counters live in memory: several
 * instances behind a balancer each count on their own (a shared store is the next step).
 * @nestjs/throttler would be the usual choice, but it is CommonJS requiring the ESM-only Nest 12,
 * which Jest on Node 20 cannot load.
 */
@Injectable()
export class LoginRateLimitGuard implements CanActivate {
  private readonly perAccount: RateLimiterMemory;
  private readonly perAddress: RateLimiterMemory;

  constructor(@Inject(authConfig.KEY) config: AuthConfig) {
    const duration = config.loginRateWindowSeconds;
    this.perAccount = new RateLimiterMemory({
      keyPrefix: 'login-account',
      points: config.loginRateLimit,
      duration,
    });
    this.perAddress = new RateLimiterMemory({
      keyPrefix: 'login-address',
      points: config.loginRateLimit * 10,
      duration,
    });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<LoginRequest>();
    const body = request.body as { email?: unknown } | undefined;
    const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
    try {
      await this.perAddress.consume(request.ip ?? 'unknown');
      if (email) await this.perAccount.consume(email);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      }
      throw rejection;
    }
    return true;
  }
}
