import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
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
