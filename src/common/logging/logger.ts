import type { LoggerService } from '@nestjs/common';
import { type DestinationStream, pino, type Logger } from 'pino';

/**
 * Structured JSON logs (pino), shared by Fastify's request logging, Nest's own logger and the
 * service's boot and shutdown lines (main.ts): every line is one JSON object of the same shape,
 * `{"level":"info","time":"<ISO 8601>","service":"zhongchou",...,"msg":"..."}`, with the level as
 * a label (pino's default is a number, which main.ts's own lines did not use: two formats in one
 * stream). Request bodies are never logged, URLs lose their query strings, and the headers and
 * fields that carry secrets or personal numbers are redacted: ID numbers, passwords and tokens
 * never reach a log line.
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

export function createRootLogger(level: string, stream?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'zhongchou' },
      formatters: { level: (label) => ({ level: label }) },
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

/**
 * The service's own lifecycle lines (boot, migrations, rule pack, shutdown, a failure to start):
 * the same format as every other line, on stderr as before, written synchronously so that a line
 * logged just before `process.exit` is not lost. Always at `info` or more verbose, whatever
 * LOG_LEVEL says: an operator needs to see what started and how it stopped.
 */
export function createLifecycleLogger(): Logger {
  return createRootLogger('info', pino.destination({ dest: 2, sync: true }));
}
