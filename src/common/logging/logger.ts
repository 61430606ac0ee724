import type { Writable } from 'node:stream';
import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';

/**
 * Structured JSON logs (pino), shared by Fastify's request logging and Nest's own logger. Request
 * bodies are never logged, URLs lose their query strings, and the headers and fields that carry
 * secrets or personal numbers are redacted: ID numbers, passwords and tokens never reach a log line.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-custody-signature"]',
  'req.headers["idempotency-key"]',
  'req.headers["x-totp-code"]',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'idNumber',
  '*.idNumber',
  '*.legalRepresentativeIdNumber',
  '*.uscc',
  '*.accessToken',
  '*.refreshToken',
  '*.challengeToken',
  '*.token',
  '*.currentPassword',
  '*.newPassword',
  '*.secret',
  '*.recoveryCodes',
];

interface RequestLike {
  id?: string;
  method?: string;
  url?: string;
  ip?: string;
}

export function createRootLogger(level: string, stream?: Writable): Logger {
  return pino(
    {
      level,
      base: { service: 'zhongchou' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: RequestLike) => ({
          id: req.id,
          method: req.method,
          url: req.url?.split('?')[0],
          ip: req.ip,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: pino.stdSerializers.err,
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream,
  );
}

/** Nest's LoggerService on top of the same pino logger (so boot and error logs are JSON too). */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }

  error(message: unknown, stackOrContext?: string, context?: string): void {
    this.write('error', message, context ?? stackOrContext);
  }

  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }

  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }

  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }

  private write(
    level: 'info' | 'error' | 'warn' | 'debug' | 'trace',
    message: unknown,
    context?: string,
  ): void {
    if (typeof message === 'object' && message !== null) {
      this.logger[level]({ context, ...(message as Record<string, unknown>) });
    } else {
      this.logger[level]({ context }, String(message));
    }
  }
}
