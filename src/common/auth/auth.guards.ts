import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ForbiddenError, UnauthenticatedError } from '../errors/domain-error.js';
import {
  type AuthUser,
  IS_OPTIONAL_AUTH,
  IS_PUBLIC,
  type Role,
  ROLES_KEY,
} from './auth.decorators.js';

/** Global guard: a valid bearer JWT on every route not marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const optional = this.reflector.getAllAndOverride<boolean>(IS_OPTIONAL_AUTH, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (optional) {
      const headers = context
        .switchToHttp()
        .getRequest<{ headers: Record<string, unknown> }>().headers;
      if (headers.authorization === undefined) return true; // anonymous: no user
    }
    return super.canActivate(context);
  }

  override handleRequest<TUser = AuthUser>(err: unknown, user: TUser | false): TUser {
    if (err || !user) throw new UnauthenticatedError('A valid access token is required.');
    return user;
  }
}

/** Global guard: @Roles(...) on a route or controller limits it to those roles. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles || roles.length === 0) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!user || !roles.includes(user.role)) {
      throw new ForbiddenError('Your role may not do this.', 'AUTH.FORBIDDEN', {
        allowedRoles: roles,
      });
    }
    return true;
  }
}
