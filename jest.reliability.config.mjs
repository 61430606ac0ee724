import base from './jest.config.js';

/**
 * `npm run test:reliability`: the long runs that `npm test` leaves out (API fuzzing, and the
 * bank and crash suites), every `test/reliability/**\/*.spec.ts`, on the same per-run template
 * database as the main suite. One file at a time: these runs load the machine on their own.
 */
export default {
  ...base,
  testMatch: ['<rootDir>/test/reliability/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 30 * 60 * 1000,
  maxWorkers: 1,
};
