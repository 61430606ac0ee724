import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { ClientInfo } from './risk-disclosure.types.js';

/**
 * The electronic traces kept with a confirmation (CN-SUIT-16): the Fastify request's IP and the
 * User-Agent header. Personal data: stored as evidence, never logged.
 */
export const Client = createParamDecorator((_: unknown, context: ExecutionContext): ClientInfo => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : undefined };
});
