import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  HttpStatus,
  Injectable,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { catchError, concatMap, from, type Observable, throwError } from 'rxjs';
import type { AuthUser } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { toErrorResponse } from '../../common/errors/error-response.js';
import { AuditService } from '../audit/index.js';

/** Parameter names whose values are never written to the audit trail. */
const SECRET = /pass|secret|token|signature|authorization|key|id_?number/i;
const MAX_VALUE = 200;

type Scalars = Record<string, string>;

function sanitize(input: unknown): Scalars {
  if (typeof input !== 'object' || input === null) return {};
  const out: Scalars = {};
  for (const [name, value] of Object.entries(input as Record<string, unknown>)) {
    if (SECRET.test(name)) {
      out[name] = '[redacted]';
    } else if (
      typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'boolean'
    ) {
      out[name] = String(value).slice(0, MAX_VALUE);
    }
  }
  return out;
}

/**
 * The finance office's read audit trail: every request a FINANCE user makes to a route carrying
 * @FinanceAudited() is appended to `audit_events` (action `finance.request`) with who, which
 * route, which path parameters and query parameters, when, and the response status, errors
 * included. Request bodies are never recorded (they may hold secrets); parameters whose names
 * look secret are redacted. The record is written before the response is sent: a read that
 * cannot be audited fails.
 */
@Injectable()
export class FinanceAuditInterceptor implements NestInterceptor {
  constructor(
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const user = request.user;
    if (!user || user.role !== 'FINANCE') return next.handle();
    const occurredAt = this.clock.now();
    const route = request.routeOptions.url ?? request.url.split('?')[0];
    const record = (status: number) =>
      this.audit.append({
        occurredAt,
        actorId: user.id,
        action: 'finance.request',
        subjectType: 'finance-route',
        subjectId: `${request.method} ${route}`,
        details: {
          method: request.method,
          route,
          params: sanitize(request.params),
          query: sanitize(request.query),
          status,
          requestId: request.id,
        },
      });
    const success =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      (request.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    return next.handle().pipe(
      concatMap(async (value: unknown) => {
        await record(success);
        return value;
      }),
      catchError((error: unknown) =>
        from(record(toErrorResponse(error).status)).pipe(concatMap(() => throwError(() => error))),
      ),
    );
  }
}

/** Puts a controller (or one route) under the finance read audit trail. */
export const FinanceAudited = (): ClassDecorator & MethodDecorator =>
  applyDecorators(UseInterceptors(FinanceAuditInterceptor));
