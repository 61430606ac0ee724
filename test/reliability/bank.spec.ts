import { describe, expect, it } from '@jest/globals';
import { runBankWorkload } from './bank-workload.js';

const SECONDS = Number(process.env.BANK_SECONDS ?? 180);
const CLIENTS = Number(process.env.BANK_CLIENTS ?? 16);
/** Service processes on the one database (issue 19): the clients' requests spread over them. */
const INSTANCES = Number(process.env.BANK_INSTANCES ?? 2);

/**
 * The bank test (after Jepsen's bank workload), long form: `npm run test:reliability` (with the fuzz and crash runs).
 * BANK_SECONDS and BANK_CLIENTS size it; the smoke in `npm test` runs the same engine for 10 s.
 */
describe('bank workload: concurrent money operations against the real service', () => {
  it(
    `${CLIENTS} clients for ${SECONDS} s on ${INSTANCES} instances, then every DESIGN §5 invariant and conservation hold`,
    async () => {
      const result = await runBankWorkload({
        seconds: SECONDS,
        clients: CLIENTS,
        kills: 0,
        instances: INSTANCES,
        label: 'bank',
      });
      process.stdout.write(`${result.summary}\n`);
      expect(result.violations).toEqual([]);
      expect(result.perInstance.every((n) => n > 0)).toBe(true);
      expect(result.verify.ok).toBe(true);
      expect(result.networkErrors).toBe(0);
      // the load really moved money and closed campaigns
      expect(result.ops['pledge.201'] ?? 0).toBeGreaterThan(0);
      expect(result.ops.deposit ?? 0).toBeGreaterThan(0);
      expect(Object.values(result.campaigns)).toEqual(
        expect.arrayContaining(['SETTLED', 'REFUNDED']),
      );
    },
    (SECONDS + 300) * 1000,
  );
});
