import { type ChildProcess, spawn } from 'node:child_process';

/** The compiled service (or `npm start`) in its own process, as an operator runs it. */
export interface ServiceProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Starts `command` with the caller's environment minus DATABASE_URL and EMBEDDED_PG_DIR (so the
 * service picks its own embedded Postgres unless `env` says otherwise), logging at info: the
 * "listening on" line is what {@link healthy} waits for.
 */
export function startProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd?: string,
): ServiceProcess {
  const { DATABASE_URL: _url, EMBEDDED_PG_DIR: _dir, ...inherited } = process.env;
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
 * Healthy means this process said it listens on `httpPort` and then answered /health; returns the
 * milliseconds that took. The boot line comes first: the port was free when picked, but another
 * suite's server may answer on it meanwhile. A process that exits, or never gets healthy, fails
 * with everything it printed, so a slow or failed boot says why.
 */
export async function healthy(
  httpPort: number,
  running: ServiceProcess,
  timeoutMs = 60_000,
): Promise<number> {
  const since = Date.now();
  const deadline = since + timeoutMs;
  const booted = `listening on http://127.0.0.1:${httpPort} `;
  while (Date.now() < deadline) {
    if (running.child.exitCode !== null || running.child.signalCode !== null) {
      throw new Error(
        `exited early (${running.child.exitCode ?? running.child.signalCode}):\n${running.output()}`,
      );
    }
    if (running.output().includes(booted)) {
      try {
        if ((await fetch(`http://127.0.0.1:${httpPort}/health`)).status === 200) {
          return Date.now() - since;
        }
      } catch {
        // not answering yet
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no healthy service on ${httpPort} within ${timeoutMs} ms:\n${running.output()}`);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
