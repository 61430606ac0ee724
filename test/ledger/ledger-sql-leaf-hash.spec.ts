import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SQL_TRANSFER_LEAF, transferHash } from '../../src/modules/escrow-ledger/canonical.js';
import { LedgerRepository } from '../../src/modules/escrow-ledger/ledger.repository.js';
import { LedgerService } from '../../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../../src/modules/escrow-ledger/ledger.types.js';
import { cny, fundedAccount, sealEverything } from '../support/ledger.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The sealer and verifier let Postgres hash the transfers (SQL_TRANSFER_LEAF); the offline verifier
 * and auditors use the documented encoding (transferHash). They must agree on every row, including
 * the awkward ones: microsecond timestamps, Unicode and line breaks in references, holds and their
 * resolutions (INV-11).
 */
describe('transfer hashes computed by Postgres equal the documented encoding (INV-11, issue 18)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    const ledger = t.app.get(LedgerService);
    const escrow = AccountCodes.campaignEscrow('leaf-camp');
    await ledger.openAccount(escrow, 'LIABILITY');
    for (let i = 0; i < 4; i++) {
      const acct = await fundedAccount(t, `leaf-${i}`, '1000.00');
      const hold = await ledger.hold({
        idempotencyKey: `leaf-h-${i}`,
        kind: 'PLEDGE',
        debitAccount: acct,
        creditAccount: escrow,
        amount: cny(`${i + 1}.05`),
        reference: ['众筹 pledge', 'line one\nline two', "quote ' and \\ back", 'émoji 🚀'][i],
      });
      if (i % 2 === 0) await ledger.post({ pendingId: hold.id });
      else await ledger.void({ pendingId: hold.id });
    }
    // Rows written by SQL with microseconds, as another writer (or a restore) could leave them.
    const sql = await t.db.client();
    const [{ id: cash }] = (
      await sql.query<{ id: string }>(`SELECT id FROM ledger_accounts WHERE code = 'custody:cash'`)
    ).rows;
    const wallet = AccountCodes.investorAvailable('leaf-0');
    const [{ id: walletId }] = (
      await sql.query<{ id: string }>(`SELECT id FROM ledger_accounts WHERE code = $1`, [wallet])
    ).rows;
    for (const at of [
      '2026-11-28 02:00:00.999999+00',
      '2026-11-28 02:00:00.000001+00',
      '2026-11-28 10:00:00.5+08',
    ]) {
      await sql.query(
        `INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, reference, created_at)
         VALUES ($1, 'DEPOSIT', 'POSTED', $2, $3, 12345678.9, 'CNY', NULL, $4)`,
        [randomUUID(), cash, walletId, at],
      );
    }
  });
  afterAll(() => t.close());

  it('every row: the SQL leaf is the SHA-256 of the documented encoding', async () => {
    const repo = t.app.get(LedgerRepository);
    const sql = await t.db.client();
    const rows = (
      await sql.query<{ id: string; leaf: string }>(
        `SELECT t.id, encode(${SQL_TRANSFER_LEAF}, 'hex') AS leaf FROM ledger_transfers t
           JOIN ledger_accounts d ON d.id = t.debit_account_id
           JOIN ledger_accounts c ON c.id = t.credit_account_id ORDER BY t.seq`,
      )
    ).rows;
    expect(rows.length).toBeGreaterThanOrEqual(15);
    const transfers = await repo.findTransfers(rows.map((r) => r.id));
    const byId = new Map(transfers.map((tr) => [tr.id, tr]));
    for (const row of rows) {
      const tr = byId.get(row.id);
      expect(tr).toBeDefined();
      if (tr) expect([row.id, row.leaf]).toEqual([row.id, transferHash(tr)]);
    }
  });

  it('blocks sealed from SQL leaves recompute in JavaScript from their transfers', async () => {
    await sealEverything(t);
    const repo = t.app.get(LedgerRepository);
    const { merkleRoot } = await import('../../src/modules/escrow-ledger/canonical.js');
    for (const block of await repo.listBlocks('0', 100)) {
      const transfers = await repo.transfersInTxRange(block.fromTxId, block.toTxId);
      expect(merkleRoot(transfers.map(transferHash))).toBe(block.merkleRoot);
    }
  });
});
