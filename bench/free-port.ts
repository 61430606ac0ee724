import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';

/**
 * A TCP port free on 127.0.0.1 right now, chosen by the operating system, for a service a test
 * starts in its own process. A random pick from a fixed range let two suites running side by side
 * start their services on the same port, and one then talked to the other's service. The benches
 * use it for the service they start too.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
