import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LedgerVerifierService } from '../../src/modules/escrow-ledger/ledger-verifier.service.js';
import { LedgerService } from '../../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../../src/modules/escrow-ledger/ledger.types.js';
import { cny, fundedAccount, sealEverything } from '../support/ledger.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { staffToken } from '../support/users.js';

/**
 * Issue 18: a repeated verification starts after the last block a clean run checked, and still
 * recomputes every account, from its verified checkpoint plus the transfers after it.
 */
describe('incremental verification (issue 18, INV-2, INV-3, INV-11)', () => {
  let t: TestApp;
  let verifier: LedgerVerifierService;
  let round = 0;
  const escrow = AccountCodes.campaignEscrow('inc-camp');

  /** A few holds, posts and deposits, sealed into new blocks. */
  const activity = async () => {
    const ledger = t.app.get(LedgerService);
    round++;
    for (let i = 0; i < 3; i++) {
      const wallet = await fundedAccount(t, `inc-${round}-${i}`, '50.00');
      const hold = await ledger.hold({
        idempotencyKey: `inc-h-${round}-${i}`,
        kind: 'PLEDGE',
        debitAccount: wallet,
        creditAccount: escrow,
        amount: cny(`${i + 1}.25`),
      });
      if (i !== 1) await ledger.post({ pendingId: hold.id });
    }
    await sealEverything(t);
  };
  const tamper = async (statement: string, params: unknown[]) => {
    const sql = await t.db.client();
    await sql.query(`SET session_replication_role = replica`); // a superuser bypassing the triggers
    try {
      await sql.query(statement, params);
    } finally {
      await sql.query(`SET session_replication_role = DEFAULT`);
    }
  };
  const lastBlock = async () =>
    (
      await (
        await t.db.client()
      ).query<{ height: string; from_tx: string; to_tx: string }>(
        `SELECT height::text, from_tx_id::text AS from_tx, to_tx_id::text AS to_tx FROM ledger_blocks ORDER BY height DESC LIMIT 1`,
      )
    ).rows[0];

  beforeAll(async () => {
    t = await startTestApp({ SEAL_MAX_TRANSFERS: '3' });
    verifier = t.app.get(LedgerVerifierService);
    await t.app.get(LedgerService).openAccount(escrow, 'LIABILITY');
    await activity();
  });
  afterAll(() => t.close());

  it('a full run checks every block and is recorded; an incremental run after it checks only new blocks', async () => {
    const full = await verifier.verify();
    const through = Number((await lastBlock()).height);
    expect(full).toMatchObject({ ok: true, mode: 'FULL', fromHeight: 0, throughHeight: through });
    expect(full.blocksChecked).toBe(through);

    const nothingNew = await verifier.verify({ incremental: true });
    expect(nothingNew).toMatchObject({
      ok: true,
      mode: 'INCREMENTAL',
      fromHeight: through,
      throughHeight: through,
      blocksChecked: 0,
    });

    await activity();
    const after = Number((await lastBlock()).height);
    const incremental = await verifier.verify({ incremental: true });
    expect(incremental).toMatchObject({
      ok: true,
      mode: 'INCREMENTAL',
      fromHeight: through,
      throughHeight: after,
      blocksChecked: after - through,
      problems: [],
    });
    const runs = (
      await (
        await t.db.client()
      ).query<{ mode: string; ok: boolean }>(
        `SELECT mode, ok FROM ledger_verifications ORDER BY finished_at`,
      )
    ).rows;
    expect(runs).toEqual([
      { mode: 'FULL', ok: true },
      { mode: 'INCREMENTAL', ok: true },
      { mode: 'INCREMENTAL', ok: true },
    ]);
  });

  it('INV-11: an incremental run with nothing sealed since does not count the sealed transfers as unsealed once they are past the grace', async () => {
    await sealEverything(t);
    expect((await verifier.verify()).ok).toBe(true);
    const resumeAt = t.clock.now();
    t.clock.set(new Date(resumeAt.getTime() + 3_600_000).toISOString()); // an hour later
    try {
      const again = await verifier.verify({ incremental: true });
      expect(again).toMatchObject({
        ok: true,
        mode: 'INCREMENTAL',
        blocksChecked: 0,
        problems: [],
      });
    } finally {
      t.clock.set(resumeAt.toISOString());
    }
  });

  it('a sealed transfer altered after the last clean run is found by the incremental run', async () => {
    const cleanThrough = Number((await lastBlock()).height);
    await activity();
    const block = await lastBlock();
    await tamper(
      `UPDATE ledger_transfers SET amount = amount + 1
       WHERE id = (SELECT id FROM ledger_transfers WHERE tx_id >= $1::xid8 AND tx_id < $2::xid8 ORDER BY seq LIMIT 1)`,
      [block.from_tx, block.to_tx],
    );
    const report = await verifier.verify({ incremental: true });
    expect(report).toMatchObject({ ok: false, mode: 'INCREMENTAL', fromHeight: cleanThrough });
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'BLOCK_MERKLE_MISMATCH', block: Number(block.height) }),
      ]),
    );
    // A failed run is recorded but never becomes the starting point: the next one starts as before.
    const again = await verifier.verify({ incremental: true });
    expect(again).toMatchObject({ ok: false, fromHeight: cleanThrough });
  });

  it('an account counter changed behind the ledger is found by the incremental run (from its checkpoint)', async () => {
    await tamper(`UPDATE ledger_accounts SET credits_posted = credits_posted + 7 WHERE code = $1`, [
      escrow,
    ]);
    const report = await verifier.verify({ incremental: true });
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          invariant: 'INV-3',
          code: 'ACCOUNT_COUNTER_MISMATCH',
          account: escrow,
          field: 'creditsPosted',
        }),
      ]),
    );
  });

  it('GET /finance/verify?incremental=true answers the incremental report; a bad value is 400', async () => {
    const finance = await staffToken(t, 'FINANCE');
    const ok = await t.http
      .get('/api/v1/finance/verify?incremental=true')
      .set('authorization', `Bearer ${finance.token}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ mode: 'INCREMENTAL', ok: false });
    expect(typeof ok.body.fromHeight).toBe('number');
    const bad = await t.http
      .get('/api/v1/finance/verify?incremental=maybe')
      .set('authorization', `Bearer ${finance.token}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('the record of runs is append-only', async () => {
    const sql = await t.db.client();
    await expect(sql.query(`UPDATE ledger_verifications SET ok = true`)).rejects.toThrow();
    await expect(sql.query(`DELETE FROM ledger_verifications`)).rejects.toThrow();
  });
});
