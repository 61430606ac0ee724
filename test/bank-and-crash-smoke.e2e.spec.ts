import { describe, expect, it } from '@jest/globals';
import { runBankWorkload } from './reliability/bank-workload.js';

/**
 * Smoke of the reliability bank and crash tests (test/reliability/), short enough for `npm test`:
 * the same engine, 10 s of load each on two service instances sharing one database (issue 19),
 * the requests spread over both, the crash run with one of them killed (kill -9) mid-run.
 */
describe('bank and crash smoke, two instances on one database', () => {
  it('bank: 8 clients x 10 s over 2 instances, every invariant holds, every effect once', async () => {
    const result = await runBankWorkload({
      seconds: 10,
      clients: 8,
      kills: 0,
      instances: 2,
      investors: 8,
      label: 'bank-smoke',
    });
    process.stdout.write(`${result.summary}\n`);
    expect(result.violations).toEqual([]);
    expect(result.networkErrors).toBe(0);
    expect(result.ops['pledge.201'] ?? 0).toBeGreaterThan(0);
    // both instances served, and the effects the checks count really happened
    expect(result.perInstance.every((n) => n > 0)).toBe(true);
    expect(result.effects.emailsSent).toBeGreaterThan(0);
    expect(result.effects.webhooksDelivered).toBeGreaterThan(0);
    expect(result.effects.sealedBlocks).toBeGreaterThan(0);
    // without a kill, not even the at-least-once copies are allowed
    expect(result.effects.emailsResent + result.effects.webhooksResent).toBe(0);
  }, 150_000);

  it('crash: 8 clients x 10 s over 2 instances, one killed -9: nothing lost, nothing twice', async () => {
    const result = await runBankWorkload({
      seconds: 10,
      clients: 8,
      kills: 1,
      instances: 2,
      checkTheChecks: true,
      investors: 8,
      label: 'crash-smoke',
    });
    process.stdout.write(`${result.summary}\n`);
    expect(result.kills).toBe(1);
    expect(result.violations).toEqual([]);
    expect(result.perInstance.every((n) => n > 0)).toBe(true);
    // and the same checks do fail when the ledger, the counters, the client's record or the
    // effects are broken
    expect(result.sabotageCaught).toEqual({
      duplicateMail: true,
      duplicateWebhook: true,
      lostDeposit: true,
      counterDrift: true,
      investorCount: true,
      escrowMismatch: true,
    });
  }, 150_000);
});
