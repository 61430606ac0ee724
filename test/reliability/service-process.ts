import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { freePort } from '../support/free-port.js';
import { healthy } from '../support/service-process.js';

const ENTRY = path.resolve('dist/src/main.js');

/**
 * The real service (`dist/src/main.js`) as a child process on a given database, the way
 * test/settlement-crash.e2e.spec.ts runs it: started, health-checked, killed with SIGKILL, and
 * started again on the same port. Requests wait on `ready()` while it is down.
 */
export class ServiceProcess {
  /** Chosen on first use (choosePort) and kept across restarts. */
  port = 0;
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  private child: ChildProcess | undefined;
  private gate = openGate();
  private readonly log: WriteStream;
  starts = 0;

  constructor(
    private readonly env: Record<string, string>,
    readonly logFile: string,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  /** False from a kill until the restarted service answers again. */
  get up(): boolean {
    return this.isUp;
  }

  private isUp = false;

  /** Resolves when the service is answering (immediately when it is). */
  ready(): Promise<void> {
    return this.gate.promise;
  }

  /**
   * A port the OS says is free and none of `taken` (a random pick from a fixed range collided with
   * another suite's socket: EADDRINUSE at boot).
   */
  async choosePort(taken: readonly number[] = []): Promise<void> {
    while (this.port === 0 || taken.includes(this.port)) this.port = await freePort();
  }

  async start(): Promise<void> {
    await this.choosePort();
    await this.spawnAndWait();
    this.isUp = true;
    this.gate.open();
  }

  private async spawnAndWait(): Promise<void> {
    const { DATABASE_URL: _unused, ...inherited } = process.env;
    const child = spawn(process.execPath, [ENTRY], {
      env: { ...inherited, ...this.env, HOST: '127.0.0.1', PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.starts++;
    this.log.write(`--- start #${this.starts} pid ${child.pid} ---\n`);
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    this.child = child;
    // Healthy only once this child says it listens on the port: the port was free when picked, but
    // another suite's service may answer /health on it meanwhile (CI, 2026-12-07 21:30 UTC: a
    // service "healthy" with no connection to its database). The boot's output is kept for the
    // error, then no longer.
    let printed = '';
    const collect = (chunk: Buffer) => {
      printed += chunk.toString();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await healthy(this.port, { child, output: () => printed, exited });
    } finally {
      child.stdout?.off('data', collect);
      child.stderr?.off('data', collect);
    }
  }

  /** kill -9: no shutdown hook runs, in-flight requests see their connection reset. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    this.isUp = false;
    this.gate = closedGate(); // requests wait for the restart
    child.kill('SIGKILL');
    await exited;
  }

  /** kill -9 and start again on the same database and port (after `downMs` down). */
  async crashAndRestart(downMs = 0): Promise<void> {
    await this.kill();
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    await this.start();
  }

  /** A clean stop (SIGTERM), for the end of a run. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    await new Promise((r) => this.log.end(r));
  }
}

interface Gate {
  promise: Promise<void>;
  open(): void;
}

function openGate(): Gate {
  return { promise: Promise.resolve(), open: () => undefined };
}

function closedGate(): Gate {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
