import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiHeader, ApiParam, ApiSecurity } from '@nestjs/swagger';
import type { ErrorCode } from './error-catalogue.js';
import { PATTERNS } from './api-properties.js';

/**
 * Route-level OpenAPI decorators. openapi-document.ts turns the `x-zc-*` markers they leave into
 * the document's `security` and error responses, and removes the markers.
 */
export const OPENAPI_MARKERS = {
  /** Set by @Public(): the route takes no bearer token (`security: []`). */
  public: 'x-zc-public',
  /** Set by @ApiErrors(): the domain error codes the route can answer with. */
  errors: 'x-zc-errors',
  /** Set by @AllowWithoutSecondFactor(): a staff session without TOTP may call it. */
  withoutSecondFactor: 'x-zc-without-second-factor',
  /** Set by @RequireFreshSecondFactor(): 403 AUTH.STEP_UP_REQUIRED without a fresh TOTP. */
  freshSecondFactor: 'x-zc-fresh-second-factor',
} as const;

/** Kept in the document: the roles @Roles() lets through (the guard reads the same list). */
export const ROLES_EXTENSION = 'x-roles';

/**
 * The error codes a route's service can throw, beyond the ones its shape implies (401 without
 * @Public, 403 AUTH.FORBIDDEN with @Roles, 400 VALIDATION_FAILED with input, 413/415 with a body,
 * 414 with path parameters, 409 IDEMPOTENCY.KEY_REUSED with an Idempotency-Key). Each code's
 * status comes from the catalogue. Once per route.
 */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator {
  return (target, key, descriptor) => {
    const holder = descriptor.value as object;
    if (Reflect.getMetadata('zc:apiErrors', holder) !== undefined)
      throw new Error(`@ApiErrors used twice on ${String(key)}`);
    Reflect.defineMetadata('zc:apiErrors', true, holder);
    const mark: MethodDecorator = ApiExtension(OPENAPI_MARKERS.errors, [...new Set(codes)]);
    mark(target, key, descriptor);
  };
}

/**
 * The bearer token is optional: anonymous callers are served too (reward and donation campaigns,
 * PLAT-01 keeps equity and debt behind real-name verification).
 */
export const ApiTokenOptional = (): MethodDecorator =>
  applyDecorators(ApiSecurity('bearer'), ApiSecurity({}));

/** A path parameter that must be a UUID (ParseUUIDPipe: 400 otherwise). */
export const ApiUuidParam = (name: string, description: string): MethodDecorator =>
  ApiParam({ name, description, schema: { type: 'string', format: 'uuid' } });

/** The Idempotency-Key header of a money-moving request (DESIGN §4). */
export const ApiIdempotencyKey = (): MethodDecorator =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description:
      'Chosen by the client, one per intended effect. The same key with the same request replays the first answer (with `Idempotent-Replayed: true`); with another request it is 409 IDEMPOTENCY.KEY_REUSED.',
    schema: { type: 'string', pattern: PATTERNS.idempotencyKey, minLength: 1, maxLength: 200 },
  });
