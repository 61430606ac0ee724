import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LedgerService } from '../src/modules/escrow-ledger/ledger.service.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 18: LedgerService.learnAccount lets a pledge learn its campaign's escrow account with its
 * admission reads. It only reads: an account that does not exist stays unopened, and one of
 * another kind is not taken for the one asked (ensureAccount then refuses it as before).
 */
describe('an account learnt, never opened (issue 18)', () => {
  let t: TestApp;
  let ledger: LedgerService;
  const count = async (code: string) =>
    (
      await (
        await t.db.client()
      ).query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_accounts WHERE code = $1', [
        code,
      ])
    ).rows[0].n;

  beforeAll(async () => {
    t = await startTestApp();
    ledger = t.app.get(LedgerService);
  });
  afterAll(async () => {
    await t.close();
  });

  it('a missing account is not opened by learning it; ensureAccount opens it after', async () => {
    await ledger.learnAccount('test:learnt:missing', 'LIABILITY');
    expect(await count('test:learnt:missing')).toBe(0);
    await ledger.ensureAccount('test:learnt:missing', 'LIABILITY');
    expect(await count('test:learnt:missing')).toBe(1);
  });

  it('an account of another kind is not learnt as the kind asked', async () => {
    await ledger.openAccount('test:learnt:asset-2', 'ASSET');
    // As an instance that has not met the account yet: not in its cache.
    (ledger as unknown as { refs: Map<string, unknown> }).refs.delete('test:learnt:asset-2');
    await ledger.learnAccount('test:learnt:asset-2', 'LIABILITY');
    await expect(ledger.ensureAccount('test:learnt:asset-2', 'LIABILITY')).rejects.toThrow(
      'exists as ASSET',
    );
  });
});
