import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest, RawServerDefault } from 'fastify';
import { DomainError, ValidationFailedError } from '../errors/domain-error.js';
import { toErrorResponse } from '../errors/error-response.js';

/**
 * The router's own refusals, before any hook or Nest filter runs: a URL that does not decode
 * (`/campaigns/%ZZ`, 400) and a path parameter over the router's length limit (414). Fastify's
 * default answers them in its own shape; this gives them the DESIGN §7 error body.
 */
export function frameworkErrors(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toErrorResponse(error, request.id);
  void reply.header('x-request-id', request.id).status(status).send(body);
}

/**
 * Answers requests Node's HTTP parser refuses before Fastify sees them (headers or URL over the
 * 16 KB limit, malformed HTTP, a request that took too long) with the DESIGN §7 error body, as
 * Fastify's default handler does but in our shape. Nothing from the request is echoed or logged.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status =
    err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const { body } = toErrorResponse({ statusCode: status });
  if (status === 400) body.error.message = 'The HTTP request is malformed.';
  const json = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n` +
        `Content-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`,
    );
  }
  socket.destroy(err);
}

/** What a body sent in another content type is told (DESIGN §7: the API speaks JSON). */
export class UnsupportedMediaTypeError extends DomainError {
  constructor(mediaType: string | null) {
    super(
      'UNSUPPORTED_MEDIA_TYPE',
      'UNSUPPORTED_MEDIA_TYPE',
      `${mediaType === null ? 'A body without a Content-Type' : `Content-Type ${mediaType}`} is not ` +
        'accepted: send JSON with Content-Type: application/json (a custodian statement upload: ' +
        'text/csv or application/x-ndjson).',
      { contentType: mediaType },
    );
  }
}

/** The media type alone ("text/plain" of "text/plain; charset=utf-8"), bounded, for the message. */
function mediaTypeOf(header: string | undefined): string | null {
  const mediaType = header?.split(';')[0]?.trim().toLowerCase();
  return mediaType ? mediaType.slice(0, 100) : null;
}

/** Fastify's JSON parser failures, as the 400 VALIDATION_FAILED of DESIGN §7 with a clear message. */
function jsonBodyError(error: Error & { code?: string }): ValidationFailedError {
  return error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
    ? new ValidationFailedError(
        [
          {
            field: '(body)',
            problems: ['must not be empty when Content-Type is application/json'],
          },
        ],
        'The request body is empty.',
      )
    : new ValidationFailedError(
        [
          {
            field: '(body)',
            problems: [
              'must be valid JSON (and must not hold __proto__ or constructor.prototype keys)',
            ],
          },
        ],
        'The request body is not valid JSON.',
      );
}

/**
 * Request bodies are JSON (DESIGN §7). Must run before the app initialises. Three changes to the
 * parsers Fastify and Nest install by default:
 * - JSON keeps Fastify's parser (prototype-poisoning checks, raw body kept for the custody HMAC),
 *   but its failures become `400 VALIDATION_FAILED` saying the body is empty or not valid JSON:
 *   Nest wraps Fastify's own errors, so a malformed body was answered "The request is not valid."
 * - A body in any other content type (text/plain, a form, none at all) is `415
 *   UNSUPPORTED_MEDIA_TYPE` instead of reaching the validation pipe as a string or a form: a
 *   newcomer's `curl -d '{...}'` without the header got field errors about fields it had sent.
 *   Parsers registered for a specific type (the statement upload's text/csv and
 *   application/x-ndjson) still win over this catch-all; an empty body is no body, whatever its
 *   declared type; an unknown URL stays a 404.
 */
export function acceptJsonBodies(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', {}, (request, body, done) => {
    void parseJson(request, body as unknown as string, (error, parsed) => {
      if (error) done(jsonBodyError(error), undefined);
      else done(null, parsed);
    });
  });
  app.useBodyParser('*', {}, (request, body, done) => {
    if (body.length === 0 || request.is404) done(null, undefined);
    else
      done(new UnsupportedMediaTypeError(mediaTypeOf(request.headers['content-type'])), undefined);
  });
  fastify.removeContentTypeParser('text/plain');
}
