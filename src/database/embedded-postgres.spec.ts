import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { embeddedDataDir } from './embedded-postgres.js';

/** Issue 18: `npm start` as root from a clone under /root (mode 0700). */
describe('embeddedDataDir: where the embedded cluster may live', () => {
  const base = path.join(tmpdir(), `zc-edd-${process.pid}`);
  const privateHome = path.join(base, 'home'); // like /root: others may not enter
  const open = path.join(base, 'open');
  mkdirSync(privateHome, { recursive: true });
  mkdirSync(open, { recursive: true });
  chmodSync(base, 0o755);
  chmodSync(open, 0o755);
  chmodSync(privateHome, 0o700);
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const lines: string[] = [];
  const log = (m: string): void => void lines.push(m);

  it('a non-root server runs as ourselves: the requested folder, whatever its parents', () => {
    const requested = path.join(privateHome, 'clone', '.data', 'pg');
    expect(embeddedDataDir(requested, false, log, 1000)).toBe(requested);
  });

  it('as root under a traversable path: the requested folder', () => {
    const requested = path.join(open, 'clone', '.data', 'pg');
    expect(embeddedDataDir(requested, true, log, 0)).toBe(requested);
  });

  it('as root under a private folder, the default moves to a temp folder keyed by the path, and says so', () => {
    lines.length = 0;
    const requested = path.join(privateHome, 'clone', '.data', 'pg');
    const moved = embeddedDataDir(requested, true, log, 0);
    expect(moved).toMatch(new RegExp(`^${tmpdir()}/zhongchou-[0-9a-f]{12}/pg$`));
    expect(embeddedDataDir(requested, true, log, 0)).toBe(moved); // the same on every start
    const other = embeddedDataDir(path.join(privateHome, 'other', '.data', 'pg'), true, log, 0);
    expect(other).not.toBe(moved); // two checkouts never share a cluster
    expect(lines[0]).toContain(`cannot enter ${privateHome}`);
    expect(lines[0]).toContain(moved);
  });

  it('as root under a private folder, a folder the operator named is refused with the reason', () => {
    const requested = path.join(privateHome, 'named', 'pg');
    expect(() => embeddedDataDir(requested, false, log, 0)).toThrow(
      `which cannot enter ${privateHome}`,
    );
  });
});
