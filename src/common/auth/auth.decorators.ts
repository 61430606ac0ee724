import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiHeader } from '@nestjs/swagger';
import {
  ApiTokenOptional,
  OPENAPI_MARKERS,
  ROLES_EXTENSION,
} from '../openapi/api-docs.decorators.js';

export const ROLES = ['INVESTOR', 'FOUNDER', 'ADMIN', 'FINANCE'] as const;
export type Role = (typeof ROLES)[number];

/** Staff roles must pass a TOTP second factor (issue 13). */
export const STAFF_ROLES: readonly Role[] = ['ADMIN', 'FINANCE'];

/** The caller, as established by the JWT guard. */
export interface AuthUser {
  id: string;
  role: Role;
  /** The session (refresh-token family) the access token belongs to. */
  sessionId: string;
  /** The session passed a second factor (TOTP or a recovery code) at sign-in. */
  secondFactor: boolean;
  /**
   * When the second factor was checked (Unix seconds, wall clock), on access tokens issued right
   * after the check; a refreshed access token has none. Step-up routes read it.
   */
  secondFactorAt?: number;
}

export const IS_PUBLIC = 'zhongchou:isPublic';
export const IS_OPTIONAL_AUTH = 'zhongchou:isOptionalAuth';
export const ROLES_KEY = 'zhongchou:roles';
export const WITHOUT_SECOND_FACTOR = 'zhongchou:withoutSecondFactor';
export const FRESH_SECOND_FACTOR = 'zhongchou:freshSecondFactor';
/** The header that carries a TOTP code on a step-up route. */
export const TOTP_CODE_HEADER = 'x-totp-code';

/**
 * Every route needs a valid token unless marked public. The OpenAPI document reads the same
 * decorator: a public route is `security: []` there.
 */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(OPENAPI_MARKERS.public, true));

/**
 * Anyone may call the route; a caller who sends a bearer token must send a valid one and is then
 * known to the handler (`CurrentUserOrNull`). For reads whose answer depends on who asks. The
 * OpenAPI document says `security: [{bearer: []}, {}]`.
 */
export const OptionalAuth = (): MethodDecorator =>
  applyDecorators(SetMetadata(IS_OPTIONAL_AUTH, true), ApiTokenOptional());

/** Only these roles may call the route (403 AUTH.FORBIDDEN otherwise); documented as `x-roles`. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(),
    ApiExtension(ROLES_EXTENSION, roles),
  );

/**
 * A staff member whose session has no second factor yet may call this route (only what enrolment
 * needs); everywhere else such a session gets 403 AUTH.SECOND_FACTOR_REQUIRED (issue 13).
 */
export const AllowWithoutSecondFactor = (): MethodDecorator =>
  applyDecorators(
    SetMetadata(WITHOUT_SECOND_FACTOR, true),
    ApiExtension(OPENAPI_MARKERS.withoutSecondFactor, true),
  );

/**
 * The route re-checks the second factor (issue 13: a FINANCE payout approval): a TOTP code in the
 * `X-TOTP-Code` header, or an access token issued within SECOND_FACTOR_FRESH_SECONDS of a TOTP
 * check. Otherwise 403 AUTH.STEP_UP_REQUIRED.
 */
export const RequireFreshSecondFactor = (): MethodDecorator =>
  applyDecorators(
    SetMetadata(FRESH_SECOND_FACTOR, true),
    ApiExtension(OPENAPI_MARKERS.freshSecondFactor, true),
    ApiHeader({
      name: 'X-TOTP-Code',
      required: false,
      description:
        'A current TOTP code; needed unless the access token was issued within SECOND_FACTOR_FRESH_SECONDS of a TOTP check.',
      schema: { type: 'string', pattern: '^[0-9]{6}$' },
    }),
  );

export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthUser => {
    const request = context.switchToHttp().getRequest<{ user?: AuthUser }>();
    if (!request.user) throw new Error('CurrentUser used on a public route');
    return request.user;
  },
);

/** The caller on an @OptionalAuth() route: null when no token was sent. */
export const CurrentUserOrNull = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthUser | null =>
    context.switchToHttp().getRequest<{ user?: AuthUser }>().user ?? null,
);
