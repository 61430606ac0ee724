// One helper for the benches (built into dist/) and the tests: bench/free-port.ts.
export { freePort } from '../../bench/free-port.js';
