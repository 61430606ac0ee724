/** Jest runs the TypeScript sources as ESM (ts-jest, useESM). Type-checking is done by `tsc --noEmit` first. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true }],
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  // The long runs (fuzz, bank, crash) are `npm run test:reliability` (jest.reliability.config.mjs).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/reliability/'],
  // npm run test:mutation's sandboxes are copies of the project: never tests or modules of this run
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  testTimeout: 60000,
  // Three: most suites wait on Postgres (another process), so a third worker keeps both cores busy.
  maxWorkers: 3,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.mjs'],
};
