import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { blockHash, merkleRoot, transferHash } from '../../src/modules/escrow-ledger/canonical.js';
import { LedgerVerifierService } from '../../src/modules/escrow-ledger/ledger-verifier.service.js';
import { LedgerRepository } from '../../src/modules/escrow-ledger/ledger.repository.js';
import { LedgerService } from '../../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../../src/modules/escrow-ledger/ledger.types.js';
import { cny, fundedAccount, sealEverything } from '../support/ledger.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('seals and tamper evidence (INV-11, INV-2, INV-3)', () => {
  let t: TestApp;
  let ledger: LedgerService;
  const escrow = AccountCodes.campaignEscrow('seal-camp');
  const defaultPageSize = LedgerVerifierService.pageSize;

  beforeAll(async () => {
    t = await startTestApp({ SEAL_MAX_TRANSFERS: '7' });
    LedgerVerifierService.pageSize = 2; // every block is read over several pages
    ledger = t.app.get(LedgerService);
    await ledger.openAccount(escrow, 'LIABILITY');
    for (let i = 0; i < 5; i++) {
      const acct = await fundedAccount(t, `s-${i}`, '100.00');
      const hold = await ledger.hold({
        idempotencyKey: `s-h-${i}`,
        kind: 'PLEDGE',
        debitAccount: acct,
        creditAccount: escrow,
        amount: cny(`${10 + i}.50`),
      });
      if (i % 2 === 0) await ledger.post({ pendingId: hold.id });
    }
    await sealEverything(t);
  });
  afterAll(async () => {
    LedgerVerifierService.pageSize = defaultPageSize;
    await t.close();
  });

  it('blocks hold at most SEAL_MAX_TRANSFERS, chain by hash, and recompute from their transfers', async () => {
    const repo = t.app.get(LedgerRepository);
    const blocks = await repo.listBlocks('0', 100);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    let prev = '0'.repeat(64);
    let total = 0;
    for (const block of blocks) {
      expect(block.transferCount).toBeLessThanOrEqual(7);
      const transfers = await repo.transfersInTxRange(block.fromTxId, block.toTxId);
      expect(transfers.length).toBe(block.transferCount);
      expect(block.prevHash).toBe(prev);
      expect(merkleRoot(transfers.map(transferHash))).toBe(block.merkleRoot);
      expect(blockHash(block)).toBe(block.hash);
      prev = block.hash;
      total += transfers.length;
    }
    expect(total).toBe(await repo.countTransfersFrom('1')); // every transfer is in a block
    const report = await t.app.get(LedgerVerifierService).verify();
    expect(report).toMatchObject({
      ok: true,
      problems: [],
      blocksChecked: blocks.length,
      transfersChecked: total,
    });
  });

  it('the canonical encoding is the documented one (recomputed here from the README description)', () => {
    const hash = transferHash({
      id: '00000000-0000-8000-8000-000000000001',
      seq: '1',
      kind: 'DEPOSIT',
      status: 'POSTED',
      debitAccountCode: 'custody:cash',
      creditAccountCode: 'investor:u1:available',
      amount: '1500.00',
      currency: 'CNY',
      pendingId: null,
      reference: null,
      createdAt: new Date('2026-11-28T02:00:00.000Z'),
    });
    const documented = [
      'zc-transfer-v1',
      '00000000-0000-8000-8000-000000000001',
      '1',
      'DEPOSIT',
      'POSTED',
      'custody:cash',
      'investor:u1:available',
      '1500.00',
      'CNY',
      '',
      '',
      '2026-11-28T02:00:00.000Z',
    ].join('\n');
    expect(hash).toBe(createHash('sha256').update(documented, 'utf8').digest('hex'));
    const sha = (b: Buffer) => createHash('sha256').update(b).digest();
    const [a, b, c] = ['a', 'b', 'c'].map((x) => sha(Buffer.from(x)));
    const ab = sha(Buffer.concat([a, b]));
    const cc = sha(Buffer.concat([c, c])); // an odd node pairs with itself
    expect(merkleRoot([a, b, c].map((x) => x.toString('hex')))).toBe(
      sha(Buffer.concat([ab, cc])).toString('hex'),
    );
    expect(merkleRoot([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('INV-11: a transfer left unsealed past SEAL_GRACE_SECONDS is reported; sealing clears it', async () => {
    await fundedAccount(t, 'late', '5.00'); // a new transfer, not sealed yet
    const verifier = t.app.get(LedgerVerifierService);
    expect((await verifier.verify()).ok).toBe(true); // within the grace period
    t.clock.advanceMs((t.config.ledger.sealGraceSeconds + 1) * 1000);
    try {
      const report = await verifier.verify();
      expect(report.problems).toEqual([
        expect.objectContaining({ invariant: 'INV-11', code: 'TRANSFERS_NOT_SEALED' }),
      ]);
      await sealEverything(t);
      expect((await verifier.verify()).ok).toBe(true);
    } finally {
      t.clock.set('2026-11-28T02:00:00.000Z');
    }
  });

  it('altering a sealed transfer (triggers bypassed by a superuser) is named: the block and both accounts', async () => {
    const sql = await t.db.client();
    const victim = await sql.query<{
      id: string;
      seq: string;
      debit: string;
      credit: string;
      height: string;
    }>(`
      SELECT t.id, t.seq::text AS seq, d.code AS debit, c.code AS credit,
             (SELECT b.height::text FROM ledger_blocks b WHERE t.tx_id >= b.from_tx_id AND t.tx_id < b.to_tx_id) AS height
      FROM ledger_transfers t JOIN ledger_accounts d ON d.id = t.debit_account_id JOIN ledger_accounts c ON c.id = t.credit_account_id
      WHERE t.kind = 'PLEDGE' AND t.status = 'PENDING' ORDER BY t.seq LIMIT 1`);
    const v = victim.rows[0];
    await sql.query(`SET session_replication_role = replica`); // disables the append-only triggers
    await sql.query(`UPDATE ledger_transfers SET amount = amount + 1000 WHERE id = $1`, [v.id]);
    await sql.query(`SET session_replication_role = DEFAULT`);

    const report = await t.app.get(LedgerVerifierService).verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'BLOCK_MERKLE_MISMATCH', block: Number(v.height) }),
        expect.objectContaining({
          code: 'ACCOUNT_COUNTER_MISMATCH',
          account: v.debit,
          field: 'debitsPending',
        }),
        expect.objectContaining({
          code: 'ACCOUNT_COUNTER_MISMATCH',
          account: v.credit,
          field: 'creditsPending',
        }),
      ]),
    );
    // Only the block holding the altered transfer is reported.
    const blockProblems = report.problems.filter((p) => p.code.startsWith('BLOCK_'));
    expect(blockProblems.map((p) => p.block)).toEqual([Number(v.height)]);
  });
});
