import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { STATEMENT_CONTENT_TYPES } from './reconciliation.service.js';

/** A month of a city platform's custody movements fits easily; the rest of the API keeps its limit. */
export const STATEMENT_BODY_LIMIT_BYTES = 20 * 1024 * 1024;

/**
 * Lets `POST /finance/reconciliations` receive a statement: Fastify gets a parser for each
 * statement content type that hands over the raw bytes (a Buffer, hashed as uploaded), and that
 * one route (no other) accepts a body up to STATEMENT_BODY_LIMIT_BYTES. Must run before the app
 * initialises, since Fastify applies `onRoute` hooks as routes are registered. The JSON parser,
 * and with it the custody notifications' HMAC rawBody, is untouched.
 */
export function acceptStatementUploads(app: NestFastifyApplication, apiPrefix: string): void {
  app.useBodyParser(Object.keys(STATEMENT_CONTENT_TYPES));
  const url = `/${apiPrefix}/finance/reconciliations`;
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (route.url === url && methods.includes('POST'))
        route.bodyLimit = STATEMENT_BODY_LIMIT_BYTES;
    });
}
