import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

/**
 * Issue 18: `npm start`, `npm run cli` and `npm run bench` rebuild only when a build input changed
 * (scripts/built.mjs). A bench run rewrites bench/results/, which is not compiled: it must not make
 * the next run compile TypeScript again (it did, before the bench's own measurements began).
 */
interface BuiltScript {
  inputsFingerprint(): string;
  isInputDir(relativeDir: string): boolean;
}
const SCRIPT: string = '../scripts/built.mjs';
const probe = path.resolve('bench', 'results', `.fingerprint-probe-${process.pid}.json`);

describe('build inputs (scripts/built.mjs)', () => {
  let built: BuiltScript;
  beforeAll(async () => {
    built = (await import(SCRIPT)) as BuiltScript;
  });
  afterAll(() => rmSync(probe, { force: true }));

  it('a new bench result leaves the fingerprint of the build inputs as it was', () => {
    const before = built.inputsFingerprint();
    writeFileSync(probe, '{}\n');
    expect(built.inputsFingerprint()).toBe(before);
  });

  it('counts the sources of src, migrations, bench and console, not node_modules or results', () => {
    for (const dir of ['src', 'src/modules/pledge', 'migrations', 'bench', 'console/src'])
      expect(built.isInputDir(dir)).toBe(true);
    for (const dir of ['bench/results', 'bench/results/history', 'console/node_modules'])
      expect(built.isInputDir(dir)).toBe(false);
  });
});
