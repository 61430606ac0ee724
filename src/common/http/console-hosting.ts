import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';

/** Where `npm run build:console` (Vite, console/vite.config.mjs) writes the console. */
export const CONSOLE_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../console',
);
export const CONSOLE_PREFIX = '/console';

/**
 * The console's own Content-Security-Policy (issue 17): no inline script and no inline style,
 * nothing from another origin, no framing, no plugins, no <base> games. The API keeps helmet's
 * policy (app-factory.ts), which Swagger UI at /docs needs; this one replaces it only on
 * /console responses, so neither is loosened for the other.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Hashed file names (Vite's `name-[hash].ext`) never change content: cache them for a year. */
const HASHED_ASSET = /\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves the built console at /console with @fastify/static. The page (index.html) is revalidated
 * on every load so a deploy is picked up at once; the hashed assets it names are immutable.
 * @fastify/static is imported here, lazily, because Jest cannot load its ESM-only dependencies
 * (the in-process tests run without the console, as they run without Swagger UI).
 */
export async function serveConsole(app: NestFastifyApplication, log: Logger): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  // A callback hook, not an async one: it runs on every response (issue 18).
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const url = request.url;
    if (url === CONSOLE_PREFIX || url.startsWith(`${CONSOLE_PREFIX}/`)) {
      void reply.header('content-security-policy', CONSOLE_CSP);
    }
    done(null, payload);
  });
  if (!existsSync(path.join(CONSOLE_DIR, 'index.html'))) {
    log.warn(`the console is not built (${CONSOLE_DIR}); run npm run build:console`);
    return;
  }
  // /console itself: the page's relative asset URLs need the trailing slash.
  fastify.get(CONSOLE_PREFIX, (_request, reply) => reply.redirect(`${CONSOLE_PREFIX}/`, 301));
  const { default: fastifyStatic } = await import('@fastify/static');
  await app.register(fastifyStatic, {
    root: CONSOLE_DIR,
    prefix: `${CONSOLE_PREFIX}/`,
    decorateReply: false, // @nestjs/swagger registers its own instance for /docs
    index: 'index.html',
    cacheControl: false, // set per file below
    setHeaders: (reply, filePath) => {
      const immutable = HASHED_ASSET.test(filePath.split(path.sep).join('/'));
      void reply.header('cache-control', immutable ? IMMUTABLE : 'no-cache');
    },
  });
}
