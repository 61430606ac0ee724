import { targets } from './mutation/targets.mjs';

/**
 * Mutation testing of the pure rule modules (issue 19): `npm run test:mutation`. Not in CI (it
 * runs the unit specs once per mutant); the last score is in docs/reliability.md. The Jest runner
 * works under ESM with Node's --experimental-vm-modules passed to its worker processes.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  jest: { configFile: 'jest.mutation.config.mjs', enableFindRelatedTests: false },
  coverageAnalysis: 'perTest',
  mutate: targets.map((t) => t.mutate),
  checkers: [],
  concurrency: 2,
  timeoutMS: 20000,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: 80 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
