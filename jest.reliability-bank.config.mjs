// The long bank and crash runs (test/reliability/bank.spec.ts, crash.spec.ts), one file at a time:
// `npm run test:reliability:bank`; size them with BANK_SECONDS, BANK_CLIENTS, CRASH_KILLS.
import base from './jest.config.js';

export default {
  ...base,
  testMatch: [
    '<rootDir>/test/reliability/bank.spec.ts',
    '<rootDir>/test/reliability/crash.spec.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
  testTimeout: 900_000,
};
