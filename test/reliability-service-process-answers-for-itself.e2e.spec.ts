import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ServiceProcess } from './reliability/service-process.js';
import { freePort } from './support/free-port.js';
import { createTestDatabase } from './support/test-database.js';

/**
 * The reliability suites' ServiceProcess counts a service as up only when that child said it
 * listens on its port and then answered /health: a /health answered by another process on the
 * port (another suite's service that took it after it was picked) is not its own.
 */
describe('ServiceProcess health is its own child', () => {
  it('another server answering /health on the port does not make the service healthy', async () => {
    const db = await createTestDatabase();
    const logDir = mkdtempSync(path.join(tmpdir(), 'zc-own-health-'));
    const impostor = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    });
    const port = await freePort();
    await new Promise<void>((resolve) => impostor.listen(port, '127.0.0.1', resolve));
    const service = new ServiceProcess(
      { NODE_ENV: 'development', LOG_LEVEL: 'warn', DATABASE_URL: db.url, SEAL_INTERVAL_MS: '0' },
      path.join(logDir, 'service.log'),
    );
    service.port = port;
    try {
      // The child cannot bind the port and exits; before, the impostor's 200 counted as healthy.
      await expect(service.start()).rejects.toThrow(/exited early[\s\S]*EADDRINUSE/);
      expect(service.up).toBe(false);
    } finally {
      await service.stop();
      await new Promise((r) => impostor.close(r));
      await db.drop();
      rmSync(logDir, { recursive: true, force: true });
    }
  });
});
