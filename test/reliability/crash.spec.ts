import { describe, expect, it } from '@jest/globals';
import { runBankWorkload } from './bank-workload.js';

const SECONDS = Number(process.env.BANK_SECONDS ?? 180);
const CLIENTS = Number(process.env.BANK_CLIENTS ?? 16);
/** Service processes on the one database (issue 19): the clients' requests spread over them. */
const INSTANCES = Number(process.env.BANK_INSTANCES ?? 2);
const KILLS = Number(process.env.CRASH_KILLS ?? 5);

/**
 * The bank workload with the service killed (SIGKILL) at random moments and restarted on the same
 * database. Requests caught by a kill are re-sent with the same Idempotency-Key (or bankReference)
 * once it is back; the checks then require every acknowledged request stored exactly once.
 */
describe('crash under load: kill -9 the service while clients move money', () => {
  it(
    `${KILLS} kills in ${SECONDS} s of ${CLIENTS} clients on ${INSTANCES} instances: nothing acknowledged lost, nothing applied twice`,
    async () => {
      const result = await runBankWorkload({
        seconds: SECONDS,
        clients: CLIENTS,
        kills: KILLS,
        instances: INSTANCES,
        label: 'crash',
      });
      process.stdout.write(`${result.summary}\n`);
      expect(result.kills).toBe(KILLS);
      expect(result.violations).toEqual([]);
      expect(result.perInstance.every((n) => n > 0)).toBe(true);
      expect(result.verify.ok).toBe(true);
      expect(result.ops['pledge.201'] ?? 0).toBeGreaterThan(0);
    },
    (SECONDS + 300) * 1000,
  );
});
