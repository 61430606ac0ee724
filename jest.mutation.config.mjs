import base from './jest.config.js';
import { targets } from './mutation/targets.mjs';

/**
 * The unit specs of the rule modules under mutation (mutation/targets.mjs), for StrykerJS: no
 * database (no globalSetup), ESM as in `npm test` (the runner passes --experimental-vm-modules).
 * MUTATION_TARGET (set by mutation/run.mjs) narrows the run to the specs of one module.
 */
const chosen = targets.filter(
  (t) => !process.env.MUTATION_TARGET || t.mutate === process.env.MUTATION_TARGET,
);

export default {
  testEnvironment: base.testEnvironment,
  extensionsToTreatAsEsm: base.extensionsToTreatAsEsm,
  moduleNameMapper: base.moduleNameMapper,
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  rootDir: '.',
  testMatch: [...new Set(chosen.flatMap((t) => t.specs))].map((s) => `<rootDir>/${s}`),
};
