import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Logger } from 'pino';
import { AppModule, type AppModuleOptions } from './app.module.js';
import {
  acceptJsonBodies,
  clientErrorHandler,
  frameworkErrors,
} from './common/http/client-errors.js';
import { API_PREFIX } from './common/http/api-prefix.js';
import { serveConsole } from './common/http/console-hosting.js';
import { applyHeaderChanges, securityHeaderChanges } from './common/http/security-headers.js';
import { createValidationPipe } from './common/http/validation.js';
import { lazyChildLogger } from './common/logging/lazy-child-logger.js';
import { createRootLogger, PinoNestLogger } from './common/logging/logger.js';
import { setupOpenApi } from './common/openapi/openapi-document.js';
import { acceptStatementUploads } from './modules/finance/statement-upload.js';
import { acceptMediaUploads } from './modules/campaign/media/media-uploads.js';
import { servePledgesWithoutNestPipeline } from './modules/pledge/pledge-route.js';

export { API_PREFIX };
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Builds the HTTP application exactly as production runs it (tests use this too): Fastify,
 * helmet, body limit, request ids, validation, error bodies, OpenAPI at /docs and /docs-json.
 */
export interface CreateAppOptions extends AppModuleOptions {
  /** Where log lines go (tests capture them); stdout by default. */
  logStream?: Writable;
  /**
   * Serve Swagger UI's static assets at /docs (default true). Jest cannot load @fastify/static's
   * ESM-only dependency, so in-process tests check /docs-json and the boot test checks /docs.
   */
  swaggerUi?: boolean;
  /** Serve the staff console at /console (issue 17); same default and reason as swaggerUi. */
  consoleUi?: boolean;
  /**
   * Serve POST /campaigns/:id/pledges through Nest's pipeline instead of its own handler
   * (pledge-route.ts); only the test that compares the two answers sets it.
   */
  pledgesThroughNest?: boolean;
}

export async function createApp(options: CreateAppOptions): Promise<NestFastifyApplication> {
  const { http } = options.config;
  const logger = createRootLogger(options.config.app.logLevel, options.logStream);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // A request's logger is made when it first logs (most requests log nothing at warn).
    childLoggerFactory: (
      parent: FastifyBaseLogger,
      bindings: Bindings,
      childOptions: ChildLoggerOptions,
    ): FastifyBaseLogger => lazyChildLogger(parent as Logger, bindings, childOptions),
    bodyLimit: http.bodyLimitBytes,
    trustProxy: http.trustProxy,
    clientErrorHandler,
    frameworkErrors,
    // A caller's X-Request-Id is kept when it looks like one; otherwise we make our own.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      return id;
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(options),
    adapter,
    {
      logger: new PinoNestLogger(logger),
      rawBody: true, // custody notifications are authenticated by an HMAC over the raw body
    },
  );

  const fastify = app.getHttpAdapter().getInstance();
  acceptJsonBodies(app); // bad JSON: a 400 that says so; other content types: 415
  acceptStatementUploads(app, API_PREFIX);
  // The hottest route without Nest's per-request pipeline (issue 18).
  if (!options.pledgesThroughNest) servePledgesWithoutNestPipeline(app, API_PREFIX);
  await acceptMediaUploads(app, options.config.media); // POST /media: multipart images (issue 16)
  // Errors Fastify raises before a handler runs (body too large, bad JSON) reach AllErrorsFilter
  // through the error handler Nest installs, so every error body has the same shape.

  // Helmet's headers, worked out once (security-headers.ts; @fastify/helmet had built helmet's
  // middleware, parsing the CSP directives, on every request), set with the request id.
  const securityHeaders = securityHeaderChanges({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        // Helmet's default `upgrade-insecure-requests` makes a browser fetch every asset over https;
        // on a plain-http service reached at any address but loopback (a dev VM, a container) the
        // pages (Swagger UI at /docs) then load nothing. Every asset is same-origin and relative,
        // so there is no mixed content to upgrade; TLS is the proxy's job in production.
        upgradeInsecureRequests: null,
      },
    },
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.raw.setHeader('x-request-id', request.id);
    applyHeaderChanges(reply.raw, securityHeaders);
    done();
  });
  if (http.corsOrigins.length > 0) app.enableCors({ origin: http.corsOrigins });

  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'health/live'] });
  app.useGlobalPipes(createValidationPipe());

  setupOpenApi(app, { swaggerUi: options.swaggerUi ?? true });
  if (options.consoleUi ?? options.swaggerUi ?? true) await serveConsole(app, logger);
  return app;
}
