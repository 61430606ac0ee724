import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { SUM_POSTED_BY_REFERENCE } from '../../src/modules/escrow-ledger/ledger.repository.js';
import { LedgerService } from '../../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../../src/modules/escrow-ledger/ledger.types.js';
import { cny, fundedAccount } from '../support/ledger.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 18 (migration 1766090000000): `ledger_transfers_reference_idx` holds only the rows of the
 * kinds summed by reference (SETTLEMENT, FEE, REPAYMENT). The one read that uses it is still
 * planned on it, a read of holds and their POST rows by reference cannot use it (they are not in
 * it), and the sums are unchanged.
 */
describe('ledger reference index: only the kinds summed by reference', () => {
  let t: TestApp;
  let sql: pg.Client;
  let ledger: LedgerService;
  let alice: string;
  const escrow = AccountCodes.campaignEscrow('ref-index');

  beforeAll(async () => {
    t = await startTestApp();
    sql = await t.db.client();
    ledger = t.app.get(LedgerService);
    alice = await fundedAccount(t, 'ref-alice', '100.00');
    await ledger.openAccount(escrow, 'LIABILITY');
  });
  afterAll(async () => {
    await t.close();
  });

  const plan = async (statement: string, values: unknown[]): Promise<string> => {
    await sql.query('BEGIN');
    try {
      await sql.query('SET LOCAL enable_seqscan = off');
      const rows = await sql.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${statement}`, values);
      return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await sql.query('ROLLBACK');
    }
  };

  beforeAll(async () => {
    const hold = await ledger.hold({
      idempotencyKey: 'ref-hold',
      kind: 'PLEDGE',
      debitAccount: alice,
      creditAccount: escrow,
      amount: cny('40.00'),
      reference: 'pledge:ref-1',
    });
    await ledger.post({ pendingId: hold.id });
    for (const [kind, amount] of [
      ['SETTLEMENT', '30.00'],
      ['FEE', '10.00'],
    ] as const)
      await ledger.transfer({
        idempotencyKey: `ref-${kind}`,
        kind,
        debitAccount: escrow,
        creditAccount: AccountCodes.platformFees,
        amount: cny(amount),
        reference: 'campaign:ref-index',
      });
  });

  it('holds and their POST rows are not in it: a read of them by reference cannot use it', async () => {
    const index = await sql.query<{ def: string }>(
      `SELECT pg_get_indexdef('ledger_transfers_reference_idx'::regclass) AS def`,
    );
    expect(index.rows[0].def).toMatch(
      /WHERE \(kind = ANY \(ARRAY\['SETTLEMENT'::text, 'FEE'::text, 'REPAYMENT'::text\]\)\)/,
    );
    expect(
      await plan(`SELECT count(*) FROM ledger_transfers WHERE reference = $1 AND kind = 'PLEDGE'`, [
        'pledge:ref-1',
      ]),
    ).not.toContain('ledger_transfers_reference_idx');
  });

  it('sums posted amounts by reference and kind, planned on the index', async () => {
    const sums = await ledger.sumPostedByReference(
      ['campaign:ref-index', 'pledge:ref-1', 'nothing'],
      ['SETTLEMENT', 'FEE'],
    );
    expect(Object.fromEntries(sums)).toEqual({ 'campaign:ref-index': '40.00' });
    const onlyFees = await ledger.sumPostedByReference(['campaign:ref-index'], ['FEE']);
    expect(Object.fromEntries(onlyFees)).toEqual({ 'campaign:ref-index': '10.00' });

    expect(
      await plan(SUM_POSTED_BY_REFERENCE, [['campaign:ref-index'], ['SETTLEMENT', 'FEE'], null]),
    ).toContain('ledger_transfers_reference_idx');
  });
});
