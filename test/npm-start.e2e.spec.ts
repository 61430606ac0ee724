import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { embeddedDataDir } from '../src/database/embedded-postgres.js';
import { freePort } from './support/free-port.js';
import { alive, healthy, type ServiceProcess, startProcess } from './support/service-process.js';

/**
 * Issue 18: `npm start` as an operator meets it. No build when dist/ is current (`npm test` has just
 * built it), SIGTERM to the `npm start` process reaches the service (which stops its Postgres), and
 * root can start from a clone under a folder the `postgres` user cannot enter.
 */
const ROOT = path.resolve('.');
const base = path.join(tmpdir(), `zhongchou-npm-start-${process.pid}`);

describe('npm start (issue 18)', () => {
  const started: ServiceProcess[] = [];
  const cleanup: string[] = [base];
  afterAll(() => {
    for (const r of started) r.child.kill('SIGKILL');
    for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
  });

  it('does not rebuild a current dist/, and SIGTERM to npm stops the service and its Postgres', async () => {
    mkdirSync(base, { recursive: true, mode: 0o755 });
    const dataDir = path.join(base, 'pg');
    const httpPort = await freePort();
    const npm = startProcess(
      'npm',
      ['start'],
      {
        PORT: String(httpPort),
        EMBEDDED_PG_DIR: dataDir,
        EMBEDDED_PG_PORT: String(await freePort()),
      },
      ROOT,
    );
    started.push(npm);
    await healthy(httpPort, npm);
    expect(npm.output()).not.toContain('[build] compiling'); // `npm test` built dist/ just now
    const postmaster = path.join(dataDir, 'postmaster.pid');
    expect(existsSync(postmaster)).toBe(true);

    npm.child.kill('SIGTERM'); // the npm process, as a process manager would
    const code = await npm.exited;
    if (code !== 0) throw new Error(`exit ${String(code)} after SIGTERM:\n${npm.output()}`);
    expect(npm.output()).toContain('SIGTERM received: shutting down');
    expect(npm.output()).toContain('shut down cleanly');
    expect(existsSync(postmaster)).toBe(false);
    expect(alive(npm.child.pid ?? 0)).toBe(false);
  }, 90_000);

  const asRoot = process.getuid?.() === 0;
  (asRoot ? it : it.skip)(
    'as root from a folder the postgres user cannot enter: the cluster moves to a temp folder and the log says where',
    async () => {
      const home = path.join(base, 'root-home'); // like /root (0700)
      const checkout = path.join(home, 'clone');
      mkdirSync(checkout, { recursive: true });
      chmodSync(base, 0o755);
      chmodSync(home, 0o700);
      const moved = embeddedDataDir(path.join(checkout, '.data', 'pg'), true, () => undefined, 0);
      cleanup.push(path.dirname(moved));
      const httpPort = await freePort();
      const service = startProcess(
        process.execPath,
        [path.join(ROOT, 'dist/src/main.js')],
        {
          PORT: String(httpPort),
          EMBEDDED_PG_PORT: String(await freePort()),
        },
        checkout,
      );
      started.push(service);
      await healthy(httpPort, service);
      expect(service.output()).toContain(`lives in ${moved} instead`);
      expect(existsSync(path.join(moved, 'PG_VERSION'))).toBe(true);
      service.child.kill('SIGTERM');
      const code = await service.exited;
      if (code !== 0) throw new Error(`exit ${String(code)} after SIGTERM:\n${service.output()}`);
    },
    90_000,
  );
});
