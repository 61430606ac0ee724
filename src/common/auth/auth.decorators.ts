import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';

export const ROLES = ['INVESTOR', 'FOUNDER', 'ADMIN', 'FINANCE'] as const;
export type Role = (typeof ROLES)[number];

/** The caller, as established by the JWT guard. */
export interface AuthUser {
  id: string;
  role: Role;
}

export const IS_PUBLIC = 'zhongchou:isPublic';
export const IS_OPTIONAL_AUTH = 'zhongchou:isOptionalAuth';
export const ROLES_KEY = 'zhongchou:roles';

/** Every route needs a valid token unless marked public. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/**
 * Anyone may call the route; a caller who sends a bearer token must send a valid one and is then
 * known to the handler (`CurrentUserOrNull`). For reads whose answer depends on who asks.
 */
export const OptionalAuth = (): MethodDecorator & ClassDecorator =>
  SetMetadata(IS_OPTIONAL_AUTH, true);

/** Only these roles may call the route (403 AUTH.FORBIDDEN otherwise). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ROLES_KEY, roles), ApiBearerAuth());

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
