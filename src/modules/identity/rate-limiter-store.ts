import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
} from 'rate-limiter-flexible';
import { authConfig, type AuthConfig } from '../../config/namespaces.js';

export interface LimiterOptions {
  keyPrefix: string;
  points: number;
  duration: number;
}

/**
 * Where rate-limit counters live (issue 19). With `REDIS_URL` every instance counts in the same
 * Redis (rate-limiter-flexible's Redis store), so N instances behind a balancer allow what one
 * would, not N times as much; without it, each instance counts in its own memory, and
 * `npm start` needs nothing but Postgres. If Redis stops answering, each instance falls back to
 * its own memory counters (the insurance limiter) instead of failing the credential routes, and
 * says so in the log; the shared counting resumes when Redis is back.
 */
@Injectable()
export class RateLimiterStore implements OnApplicationShutdown {
  private readonly redis: Redis | undefined;
  private readonly prefix: string;

  constructor(@Inject(authConfig.KEY) config: AuthConfig) {
    this.prefix = config.rateLimitKeyPrefix;
    if (config.redisUrl === undefined) return;
    const logger = new Logger('RateLimits');
    // rate-limiter-flexible's advice: no offline queue, so an unreachable Redis is an error at
    // once (and the insurance limiter answers) rather than a request left waiting.
    this.redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    let down = false;
    this.redis.on('ready', () => {
      down = false;
      logger.log('rate limits are counted in Redis (REDIS_URL), shared by every instance');
    });
    this.redis.on('error', (error: Error) => {
      if (down) return;
      down = true;
      // The message only: the URL may carry a password.
      logger.warn(`Redis unavailable, rate limits counted per instance meanwhile: ${error.name}`);
    });
  }

  /** `redis` when the counters are shared through REDIS_URL, else `memory`. */
  get kind(): 'redis' | 'memory' {
    return this.redis === undefined ? 'memory' : 'redis';
  }

  limiter(options: LimiterOptions): RateLimiterAbstract {
    const memory = new RateLimiterMemory(options);
    if (this.redis === undefined) return memory;
    return new RateLimiterRedis({
      ...options,
      keyPrefix: `${this.prefix}:${options.keyPrefix}`,
      storeClient: this.redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  }

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }
}
