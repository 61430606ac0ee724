import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rawHttpClient } from '../bench/raw-http-client.js';

/**
 * The pledge bench's load generator (issue 18) must count only real successes: an answer is
 * framed by its Content-Length, a status >= 300 or an answer it cannot frame is a failed call.
 */
describe('bench: the raw HTTP/1.1 load generator', () => {
  let server: http.Server;
  let origin: string;
  const connections = new Set<unknown>();
  let seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[] =
    [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        connections.add(req.socket);
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        if (req.url === '/split') {
          // head and body in separate writes, the body in two
          res.writeHead(201, { 'content-type': 'application/json', 'content-length': 17 });
          res.write('{"ok":true,');
          setTimeout(() => res.end('"n":1}'), 20);
        } else if (req.url === '/refused') {
          const text = JSON.stringify({ code: 'PLEDGE.LIMIT' });
          res.writeHead(422, { 'content-type': 'application/json', 'content-length': text.length });
          res.end(text);
        } else if (req.url === '/chunked') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"a":');
          res.end('1}'); // no Content-Length: chunked
        } else if (req.url === '/close') {
          res.writeHead(200, { connection: 'close', 'content-length': 2 });
          res.end('{}');
        } else {
          const text = JSON.stringify({
            echo: body ? (JSON.parse(body) as unknown) : null,
            é: 'ü',
          });
          res.writeHead(200, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(text),
          });
          res.end(text);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the method, path, token, body and headers, and answers the parsed JSON (UTF-8)', async () => {
    seen = [];
    const call = rawHttpClient(origin, 2);
    const answer = await call(
      'POST',
      '/x/pledges',
      'tok',
      { amount: '1.00' },
      { 'idempotency-key': 'k1' },
    );
    expect(answer).toEqual({ echo: { amount: '1.00' }, é: 'ü' });
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/x/pledges',
      body: '{"amount":"1.00"}',
      headers: {
        authorization: 'Bearer tok',
        'idempotency-key': 'k1',
        'content-type': 'application/json',
      },
    });
    call.close();
  });

  it('keeps one connection per worker alive across calls, and frames answers that arrive in pieces', async () => {
    connections.clear();
    const call = rawHttpClient(origin, 2);
    for (let i = 0; i < 5; i++) expect(await call('GET', '/split')).toEqual({ ok: true, n: 1 });
    expect(connections.size).toBe(1);
    await Promise.all([call('GET', '/a'), call('GET', '/b'), call('GET', '/c')]);
    expect(connections.size).toBe(2); // never more than asked for
    call.close();
  });

  it('a status >= 300 is a failed call, with the answer in the error', async () => {
    const call = rawHttpClient(origin, 1);
    await expect(call('POST', '/refused', 't', {})).rejects.toThrow(
      'POST /refused: 422 {"code":"PLEDGE.LIMIT"}',
    );
    expect(await call('GET', '/after')).toMatchObject({ echo: null }); // the connection goes on
    call.close();
  });

  it('an answer without Content-Length (chunked) is a failed call, never a success', async () => {
    const call = rawHttpClient(origin, 1);
    await expect(call('GET', '/chunked')).rejects.toThrow('without Content-Length');
    expect(await call('GET', '/next')).toMatchObject({ echo: null }); // on a new connection
    call.close();
  });

  it('a connection the server closed while idle (keep-alive timeout) is not used again', async () => {
    connections.clear();
    const call = rawHttpClient(origin, 2);
    await Promise.all([call('GET', '/one'), call('GET', '/two')]);
    server.closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await Promise.all([call('GET', '/three'), call('GET', '/four')]);
    expect(connections.size).toBe(4);
    call.close();
  });

  it('Connection: close ends that connection; the next call opens another', async () => {
    connections.clear();
    const call = rawHttpClient(origin, 1);
    expect(await call('GET', '/close')).toEqual({});
    expect(await call('GET', '/again')).toMatchObject({ echo: null });
    expect(connections.size).toBe(2);
    call.close();
  });
});
