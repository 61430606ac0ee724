import { describe, expect, it } from '@jest/globals';
import { runBankWorkload } from './reliability/bank-workload.js';

/**
 * Smoke of the reliability bank and crash tests (test/reliability/), short enough for `npm test`:
 * the same engine, 10 s of load each, the crash run with one kill -9.
 */
describe('bank and crash smoke', () => {
  it('bank: 8 clients x 10 s, every invariant holds and money is conserved', async () => {
    const result = await runBankWorkload({
      seconds: 10,
      clients: 8,
      kills: 0,
      investors: 8,
      label: 'bank-smoke',
    });
    process.stdout.write(`${result.summary}\n`);
    expect(result.violations).toEqual([]);
    expect(result.networkErrors).toBe(0);
    expect(result.ops['pledge.201'] ?? 0).toBeGreaterThan(0);
  }, 120_000);

  it('crash: 8 clients x 10 s with one kill -9, nothing acknowledged lost or applied twice', async () => {
    const result = await runBankWorkload({
      seconds: 10,
      clients: 8,
      kills: 1,
      checkTheChecks: true,
      investors: 8,
      label: 'crash-smoke',
    });
    process.stdout.write(`${result.summary}\n`);
    expect(result.kills).toBe(1);
    expect(result.violations).toEqual([]);
    // and the same checks do fail when the ledger, the counters or the client's record are broken
    expect(result.sabotageCaught).toEqual({
      lostDeposit: true,
      counterDrift: true,
      investorCount: true,
      escrowMismatch: true,
    });
  }, 120_000);
});
