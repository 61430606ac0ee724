import net from 'node:net';
import type { Call } from './pledge-setup.js';

/**
 * The pledge bench's load generator (issue 18): HTTP/1.1 over `node:net`, one keep-alive
 * connection per worker, each request written as one string and each answer framed by its
 * Content-Length. The bench shares the machine's 2 cores with the service and Postgres, so what
 * the client spends is taken from both; undici's pool (the client until 2026-12-06 19:10 UTC,
 * `BENCH_HTTP_CLIENT=undici`) spent 0.18-0.27 ms of CPU a pledge, a third of it in undici and a
 * quarter of that parsing the answer's headers into objects (a profile of the bench process, 19:00
 * UTC). This one reads the status line and Content-Length only, and refuses what it cannot frame
 * (no Content-Length, chunked): such an answer counts as a failed call, never as a success.
 */
export function rawHttpClient(origin: string, sockets: number): Call & { close: () => void } {
  const { hostname, port } = new URL(origin);
  const idle: Connection[] = [];
  const all = new Set<Connection>();
  const waiting: ((c: Connection) => void)[] = [];
  const acquire = (): Promise<Connection> => {
    // One the server closed while it was idle (keep-alive timeout) is dropped, not used.
    for (let free = idle.pop(); free; free = idle.pop())
      if (!free.closed) return Promise.resolve(free);
    if (all.size < sockets) {
      const c = new Connection(hostname, Number(port), () => all.delete(c));
      all.add(c);
      return Promise.resolve(c);
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = (c: Connection) => {
    if (c.closed) {
      // its place goes to a new connection for whoever waits
      const next = waiting.shift();
      if (next) void acquire().then(next);
      return;
    }
    const next = waiting.shift();
    if (next) next(c);
    else idle.push(c);
  };
  const call = async (
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Record<string, unknown>> => {
    const payload = body === undefined ? '' : JSON.stringify(body);
    let head = `${method} ${path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\n`;
    if (body !== undefined) head += 'content-type: application/json\r\n';
    if (token) head += `authorization: Bearer ${token}\r\n`;
    for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
    head += `content-length: ${Buffer.byteLength(payload)}\r\n\r\n`;
    const c = await acquire();
    try {
      const { status, text } = await c.exchange(head + payload);
      if (status >= 300) throw new Error(`${method} ${path}: ${status} ${text}`);
      try {
        return JSON.parse(text) as Record<string, unknown>;
      } catch {
        return {}; // not JSON: a 2xx without a body
      }
    } finally {
      release(c);
    }
  };
  return Object.assign(call, {
    close: () => {
      for (const c of all) c.destroy();
    },
  });
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)[ \t]*\r/i;
const CONNECTION_CLOSE = /\r\nconnection:[ \t]*close[ \t]*\r/i;

/** One keep-alive connection: one request at a time. */
class Connection {
  private readonly socket: net.Socket;
  private buffered: Buffer = Buffer.alloc(0);
  private pending?: {
    resolve: (answer: { status: number; text: string }) => void;
    reject: (error: Error) => void;
  };
  closed = false;

  constructor(
    host: string,
    port: number,
    private readonly onClose: () => void,
  ) {
    this.socket = net.connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.received(chunk));
    const fail = (error: Error) => {
      this.destroy();
      const pending = this.pending;
      this.pending = undefined;
      pending?.reject(error);
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error('the connection closed before an answer')));
  }

  exchange(request: string): Promise<{ status: number; text: string }> {
    if (this.closed) return Promise.reject(new Error('the connection is closed'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(request);
    });
  }

  /** Closed at once for the pool (never handed out again), whatever the socket does next. */
  destroy(): void {
    if (!this.closed) {
      this.closed = true;
      this.onClose();
    }
    this.socket.destroy();
  }

  private received(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const end = this.buffered.indexOf(HEAD_END);
    if (end < 0) return;
    const head = this.buffered.toString('latin1', 0, end + 2);
    const length = CONTENT_LENGTH.exec(head);
    const pending = this.pending;
    if (!length) {
      this.pending = undefined;
      this.destroy();
      pending?.reject(new Error(`an answer without Content-Length: ${head.split('\r\n')[0]}`));
      return;
    }
    const bodyStart = end + HEAD_END.length;
    const bodyEnd = bodyStart + Number(length[1]);
    if (this.buffered.length < bodyEnd) return;
    const status = Number(head.slice(9, 12));
    const text = this.buffered.toString('utf8', bodyStart, bodyEnd);
    this.buffered = this.buffered.subarray(bodyEnd);
    this.pending = undefined;
    if (CONNECTION_CLOSE.test(head)) this.destroy();
    pending?.resolve({ status, text });
  }
}
