import base from './jest.config.js';
import { targets } from './mutation/targets.mjs';

/**
 * The unit specs of the rule modules under mutation (mutation/targets.mjs), for StrykerJS: no
 * database (no globalSetup), ESM as in `npm test` (the runner passes --experimental-vm-modules).
 */
export default {
  testEnvironment: base.testEnvironment,
  extensionsToTreatAsEsm: base.extensionsToTreatAsEsm,
  moduleNameMapper: base.moduleNameMapper,
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, isolatedModules: true }] },
  rootDir: '.',
  testMatch: [...new Set(targets.flatMap((t) => t.specs))].map((s) => `<rootDir>/${s}`),
};
