import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { toErrorResponse } from '../errors/error-response.js';

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
