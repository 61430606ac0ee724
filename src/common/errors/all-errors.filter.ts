import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimitedError } from './domain-error.js';
import { toErrorResponse } from './error-response.js';

/** The one place errors become HTTP responses (STYLE §6). */
@Catch()
export class AllErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const response = toErrorResponse(exception, request.id);
    if (response.unexpected) {
      this.logger.error({ err: exception, requestId: request.id }, 'unexpected error');
    }
    if (exception instanceof RateLimitedError)
      void reply.header('retry-after', exception.retryAfterSeconds);
    // RFC 7235 §3.1: every 401 names a scheme (the JWT guard sets a more precise one first).
    if (response.status === 401 && !reply.hasHeader('www-authenticate'))
      void reply.header('www-authenticate', 'Bearer realm="zhongchou"');
    void reply.status(response.status).send(response.body);
  }
}
