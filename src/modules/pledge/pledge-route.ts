import { ParseUUIDPipe, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { ACCESS_TOKENS, type AccessTokenVerifier } from '../../common/auth/access-tokens.port.js';
import { type Role, ROLES_KEY } from '../../common/auth/auth.decorators.js';
import { authenticateBearer, requireRole } from '../../common/auth/auth.guards.js';
import { CompiledBodyPipe } from '../../common/http/compiled-body.pipe.js';
import { assertShallow } from '../../common/http/validation.js';
import { requireIdempotencyKey } from '../escrow-ledger/idempotency.service.js';
import { clientInfoOf } from '../risk-disclosure/client-info.decorator.js';
import { PLEDGE_REQUEST_SCHEMA, PledgeRequestDto } from './dto/pledge.dto.js';
import { PledgeController } from './pledge.controller.js';
import { PledgePlacement, type PledgeRequest } from './pledge-placement.service.js';

/** Requests this process has served through the handler below (a test tells the two paths apart). */
export const PLEDGE_ROUTE_SERVED = { count: 0 };

/**
 * POST /campaigns/:id/pledges without Nest's per-request pipeline (issue 18). The controller
 * method stays the route's declaration (its decorators are the OpenAPI document and the roles);
 * when Nest registers it with Fastify, this handler takes the place of Nest's, and does what the
 * pipeline did for it, in the same order, with the same functions and errors: the bearer token
 * (JwtAuthGuard's authenticateBearer), the controller's @Roles (RolesGuard's requireRole), the
 * campaign id (ParseUUIDPipe), the Idempotency-Key, the body (hostile input refused as by the
 * global pipe, then CompiledBodyPipe), the client's traces (@Client), then PledgePlacement.
 * A thrown error reaches Nest's error handler, so AllErrorsFilter answers as for any route.
 *
 * Measured before building it, with a bare Fastify route calling PledgePlacement (16:05 UTC,
 * quick run, two ABBA rounds): across 1,000 campaigns HTTP / honest reference 0.80x against
 * 0.74x through Nest on the same slow machine, the service's CPU 1.12-1.21 ms a pledge against
 * 1.21-1.33: Nest's guards, pipes, parameter decorators and response handling cost about 0.1 ms.
 */
export function servePledgesWithoutNestPipeline(
  app: NestFastifyApplication,
  apiPrefix: string,
): void {
  // The controller's own @Roles (on the method or the class), as RolesGuard reads them.
  const place = Object.getOwnPropertyDescriptor(PledgeController.prototype, 'place')
    ?.value as unknown;
  if (typeof place !== 'function') throw new Error('PledgeController.place is not a method');
  // Its path and method as @Post declared them, so the two cannot drift apart.
  const path = Reflect.getMetadata(PATH_METADATA, place) as unknown;
  const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, place) as RequestMethod];
  if (typeof path !== 'string' || method !== 'POST')
    throw new Error('PledgeController.place: no @Post');
  const url = `/${apiPrefix}/${path}`;
  const roles = new Reflector().getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
    place,
    PledgeController,
  ]);
  const placement = app.get(PledgePlacement);
  const tokens = app.get<AccessTokenVerifier>(ACCESS_TOKENS);
  const campaignId = new ParseUUIDPipe();
  const body = new CompiledBodyPipe(PledgeRequestDto, PLEDGE_REQUEST_SCHEMA);
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    PLEDGE_ROUTE_SERVED.count++;
    const user = await authenticateBearer(request.headers, reply, tokens);
    requireRole(user, roles, () => false);
    const { id } = request.params as { id?: unknown };
    assertShallow(id, '(param)');
    // Not optional: anything but a UUID is refused (400), so the answer is a string.
    const campaign = (await campaignId.transform(id, {
      type: 'param',
      data: 'id',
      metatype: String,
    })) as string;
    assertShallow(request.body, '(body)');
    const ask: PledgeRequest = await body.transform(request.body);
    const client = clientInfoOf(request);
    assertShallow(client, '(custom)');
    // As the controller method did, after its parameters.
    const key = requireIdempotencyKey(request.headers['idempotency-key']);
    const result = await placement.place(user, campaign, ask, key, client);
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    void reply.status(201);
    return result.body;
  };
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (route.url === url && methods.includes(method)) route.handler = handler;
    });
}
