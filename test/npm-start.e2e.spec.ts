import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { embeddedDataDir } from '../src/database/embedded-postgres.js';

/**
 * Issue 18: `npm start` as an operator meets it. No build when dist/ is current (`npm test` has just
 * built it), SIGTERM to the `npm start` process reaches the service (which stops its Postgres), and
 * root can start from a clone under a folder the `postgres` user cannot enter.
 */
const ROOT = path.resolve('.');
const base = path.join(tmpdir(), `zhongchou-npm-start-${process.pid}`);
/** A port the OS just handed out and released (a random pick can collide with another test's). */
const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
const port = freePort;
const pgPort = freePort;

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(command: string, args: string[], cwd: string, env: Record<string, string>): Running {
  const { DATABASE_URL: _ignored, EMBEDDED_PG_DIR: _dir, ...inherited } = process.env;
  const child = spawn(command, args, {
    cwd,
    env: { ...inherited, NODE_ENV: 'development', LOG_LEVEL: 'info', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/**
 * Healthy means this service said it listens on `httpPort` and then answered /health. The boot line
 * comes first: the port was free when picked, but another suite's server may answer on it meanwhile.
 */
async function healthy(httpPort: number, running: Running, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const booted = `listening on http://127.0.0.1:${httpPort} `;
  while (Date.now() < deadline) {
    if (running.child.exitCode !== null) throw new Error(`exited early:\n${running.output()}`);
    if (!running.output().includes(booted)) {
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    try {
      if ((await fetch(`http://127.0.0.1:${httpPort}/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no healthy service on ${httpPort}:\n${running.output()}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start (issue 18)', () => {
  const started: Running[] = [];
  const cleanup: string[] = [base];
  afterAll(() => {
    for (const r of started) r.child.kill('SIGKILL');
    for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
  });

  it('does not rebuild a current dist/, and SIGTERM to npm stops the service and its Postgres', async () => {
    mkdirSync(base, { recursive: true, mode: 0o755 });
    const dataDir = path.join(base, 'pg');
    const httpPort = await port();
    const npm = run('npm', ['start'], ROOT, {
      PORT: String(httpPort),
      EMBEDDED_PG_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await pgPort()),
    });
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
      const httpPort = await port();
      const service = run(process.execPath, [path.join(ROOT, 'dist/src/main.js')], checkout, {
        PORT: String(httpPort),
        EMBEDDED_PG_PORT: String(await pgPort()),
      });
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
