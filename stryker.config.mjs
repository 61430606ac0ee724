import path from 'node:path';
import { targets } from './mutation/targets.mjs';

const only = process.env.MUTATION_TARGET;
const report = only ? path.basename(only, '.ts') : 'all';

/**
 * Mutation testing of the pure rule modules (issue 19): `npm run test:mutation` runs
 * mutation/run.mjs, which runs Stryker once per module of mutation/targets.mjs with only that
 * module's specs (MUTATION_TARGET), then adds the scores up. `npx stryker run` alone mutates every
 * target against every spec (slower). Not in CI; the last score is in docs/reliability.md.
 * The Jest runner works under ESM with --experimental-vm-modules passed to its worker processes;
 * per-test coverage is not collected under ESM, so each mutant runs its module's whole spec.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  jest: { configFile: 'jest.mutation.config.mjs', enableFindRelatedTests: false },
  coverageAnalysis: 'perTest',
  mutate: only ? [only] : targets.map((t) => t.mutate),
  checkers: [],
  concurrency: 2,
  timeoutMS: 20000,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${report}.html` },
  jsonReporter: { fileName: `reports/mutation/${report}.json` },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: `.stryker-tmp/${report}`,
  cleanTempDir: 'always',
};
