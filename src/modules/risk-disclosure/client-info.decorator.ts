import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { ClientInfo } from './risk-disclosure.types.js';

/**
 * The electronic traces kept with a confirmation (CN-SUIT-16): the Fastify request's IP and the
 * User-Agent header. Personal data: stored as evidence, never logged.
 */
export const Client = createParamDecorator((_: unknown, context: ExecutionContext): ClientInfo =>
  clientInfoOf(context.switchToHttp().getRequest<FastifyRequest>()),
);

/** The same traces, for a handler that runs without Nest's pipeline (the pledge's, issue 18). */
export function clientInfoOf(request: FastifyRequest): ClientInfo {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : undefined };
}
