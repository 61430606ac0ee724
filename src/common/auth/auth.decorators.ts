import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import { OPENAPI_MARKERS, ROLES_EXTENSION } from '../openapi/api-docs.decorators.js';

export const ROLES = ['INVESTOR', 'FOUNDER', 'ADMIN', 'FINANCE'] as const;
export type Role = (typeof ROLES)[number];

/** The caller, as established by the JWT guard. */
export interface AuthUser {
  id: string;
  role: Role;
}

export const IS_PUBLIC = 'zhongchou:isPublic';
export const ROLES_KEY = 'zhongchou:roles';

/**
 * Every route needs a valid token unless marked public. The OpenAPI document reads the same
 * decorator: a public route is `security: []` there.
 */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(OPENAPI_MARKERS.public, true));

/** Only these roles may call the route (403 AUTH.FORBIDDEN otherwise); documented as `x-roles`. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(),
    ApiExtension(ROLES_EXTENSION, roles),
  );

export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthUser => {
    const request = context.switchToHttp().getRequest<{ user?: AuthUser }>();
    if (!request.user) throw new Error('CurrentUser used on a public route');
    return request.user;
  },
);
