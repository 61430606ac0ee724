import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort } from './support/free-port.js';
import { healthy, type ServiceProcess, startProcess } from './support/service-process.js';

/**
 * `npm start` as an operator runs it: the compiled service in its own process, with no DATABASE_URL,
 * on the embedded Postgres. Checks /health within 60 s, Swagger UI, crash recovery and shutdown.
 * The ports come from the OS: a random pick from 40000-49999 sits inside Linux's ephemeral range
 * (32768-60999), where a test's outgoing connection could already hold it, and the service then
 * never came up (CI, 2026-12-07: "no healthy service on 43818 within 60000 ms", with no output).
 */
const ENTRY = path.resolve('dist/src/main.js');
const base = path.join(tmpdir(), `zhongchou-boot-${process.pid}-${Date.now()}`);
const dataDir = path.join(base, 'pg');
let httpPort = 0;
let serviceEnv: Record<string, string> = {};

const startService = (env: Record<string, string>): ServiceProcess =>
  startProcess(process.execPath, [ENTRY], env);

beforeAll(async () => {
  httpPort = await freePort();
  serviceEnv = {
    PORT: String(httpPort),
    EMBEDDED_PG_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort()),
  };
});

describe('npm start on the embedded database', () => {
  const running: ServiceProcess[] = [];
  afterAll(async () => {
    for (const r of running) r.child.kill('SIGKILL');
    rmSync(base, { recursive: true, force: true });
  });

  it('serves /health within 60 s, Swagger UI at /docs, and recovers after kill -9', async () => {
    mkdirSync(base, { recursive: true, mode: 0o755 });
    const first = startService(serviceEnv);
    running.push(first);
    const took = await healthy(httpPort, first);
    expect(took).toBeLessThan(60_000);
    // Swagger UI loads at /docs and at /docs/ (issue 12): the page and every asset it names.
    for (const address of ['/docs', '/docs/', '/docs/?tryItOutEnabled=true', '/docs/index.html']) {
      const page = await fetch(`http://127.0.0.1:${httpPort}${address}`);
      expect([address, page.status]).toEqual([address, 200]);
      const html = await page.text();
      expect(html).toContain('swagger');
      const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(assets).toEqual(
        expect.arrayContaining([expect.stringContaining('swagger-ui-init.js')]),
      );
      for (const asset of assets) {
        const url = new URL(asset, page.url);
        const loaded = await fetch(url);
        expect([address, url.pathname, loaded.status]).toEqual([address, url.pathname, 200]);
      }
    }
    const json = await fetch(`http://127.0.0.1:${httpPort}/docs-json`);
    expect(((await json.json()) as { openapi: string }).openapi).toMatch(/^3\./);

    // A crash: the Node process dies without cleaning up; its postmaster lingers.
    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(true);

    const second = startService(serviceEnv);
    running.push(second);
    await healthy(httpPort, second);
    expect(second.output()).toContain('from an earlier run is still using');

    // Graceful shutdown: the service drains, then stops its database.
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('shut down cleanly');
    expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);
  }, 150_000);

  it('refuses to start on a bad setting, naming it', async () => {
    const bad = startService({ ...serviceEnv, PORT: 'eighty' });
    running.push(bad);
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain('PORT must be a whole number');
  });
});
