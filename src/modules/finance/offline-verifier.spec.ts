import { describe, expect, it } from '@jest/globals';
import { blockHash, GENESIS_HASH, merkleRoot, transferHash } from '../escrow-ledger/canonical.js';
import type {
  ExportAccountLine,
  ExportBlockLine,
  ExportLine,
  ExportTransferLine,
} from './ledger-export.format.js';
import { verifyExportLines } from './offline-verifier.js';

const CASH = 'custody:cash';
const ALICE = 'investor:alice:available';
const ESCROW = 'campaign:c1:escrow';

function transfer(
  seq: number,
  status: string,
  debit: string,
  credit: string,
  amount: string,
  blockHeight: string | null,
  pendingId: string | null = null,
): ExportTransferLine {
  const t = {
    type: 'transfer' as const,
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    seq: String(seq),
    kind: 'PLEDGE',
    status,
    debitAccount: debit,
    creditAccount: credit,
    amount,
    currency: 'CNY',
    pendingId,
    reference: seq === 1 ? 'a, "quoted"\nreference' : null,
    createdAt: new Date(Date.UTC(2026, 10, 28, 2, 0, seq)).toISOString(),
    blockHeight,
  };
  const hash = transferHash({
    ...t,
    debitAccountCode: debit,
    creditAccountCode: credit,
    createdAt: new Date(t.createdAt),
  });
  return { ...t, hash };
}

function block(
  height: number,
  fromTxId: string,
  toTxId: string,
  content: ExportTransferLine[],
  prevHash: string,
): ExportBlockLine {
  const b = {
    height: String(height),
    fromTxId,
    toTxId,
    transferCount: content.length,
    merkleRoot: merkleRoot(content.map((t) => t.hash)),
    prevHash,
  };
  return {
    type: 'block',
    ...b,
    firstSeq: content[0]?.seq ?? null,
    lastSeq: content.at(-1)?.seq ?? null,
    hash: blockHash(b),
    encoding: 'zc-block-v1/zc-transfer-v1',
    sealedAt: '2026-11-28T03:00:00.000Z',
  };
}

const account = (
  code: string,
  kind: string,
  [debitsPosted, creditsPosted, debitsPending, creditsPending]: string[],
): ExportAccountLine => ({
  type: 'account',
  code,
  kind,
  currency: 'CNY',
  debitsPosted,
  creditsPosted,
  debitsPending,
  creditsPending,
});

/**
 * A small ledger built by hand: a deposit of 500.00, two holds of 100.00 and 50.00, the first
 * posted and the second voided (block 1: deposit and holds; block 2: the post; unsealed: the void).
 */
function handBuilt(): ExportLine[] {
  const deposit = transfer(1, 'POSTED', CASH, ALICE, '500.00', '1');
  const hold1 = transfer(2, 'PENDING', ALICE, ESCROW, '100.00', '1');
  const hold2 = transfer(3, 'PENDING', ALICE, ESCROW, '50.00', '1');
  const post = transfer(4, 'POST', ALICE, ESCROW, '100.00', '2', hold1.id);
  const voided = transfer(5, 'VOID', ALICE, ESCROW, '50.00', null, hold2.id);
  const b1 = block(1, '1', '800', [deposit, hold1, hold2], GENESIS_HASH);
  const b2 = block(2, '800', '805', [post], b1.hash);
  return [
    {
      type: 'header',
      format: 'zhongchou-ledger-export',
      version: 1,
      transferEncoding: 'zc-transfer-v1',
      blockEncoding: 'zc-block-v1',
      exportedAt: '2026-11-28T04:00:00.000Z',
      counts: { transfers: 5, blocks: 2, accounts: 3 },
    },
    deposit,
    hold1,
    hold2,
    post,
    voided,
    b1,
    b2,
    account(ESCROW, 'LIABILITY', ['0.00', '100.00', '0.00', '0.00']),
    account(CASH, 'ASSET', ['500.00', '0.00', '0.00', '0.00']),
    account(ALICE, 'LIABILITY', ['100.00', '500.00', '0.00', '0.00']),
  ];
}

const verify = (lines: ExportLine[] | string[]) =>
  verifyExportLines(lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))));
const codes = async (lines: ExportLine[] | string[]) =>
  (await verify(lines)).problems.map((p) => p.code).sort();

describe('offline verifier of a ledger export (INV-2, INV-3, INV-4, INV-11), on hand-built input', () => {
  it('accepts a consistent export, counting what it checked', async () => {
    const report = await verify(handBuilt());
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({
      ok: true,
      transfersChecked: 5,
      blocksChecked: 2,
      accountsChecked: 3,
    });
  });

  it('names the transfer and its block when an amount was altered, and what it throws off', async () => {
    const lines = handBuilt();
    const hold1 = lines[2] as ExportTransferLine;
    lines[2] = { ...hold1, amount: '900.00' };
    const report = await verify(lines);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'TRANSFER_HASH_MISMATCH', transfer: hold1.id, block: '1' }),
        expect.objectContaining({ code: 'BLOCK_MERKLE_MISMATCH', block: '1' }),
        expect.objectContaining({
          code: 'ACCOUNT_COUNTER_MISMATCH',
          account: ALICE,
          field: 'debitsPending',
        }),
        // the post no longer matches its hold's amount
        expect.objectContaining({ code: 'RESOLUTION_INVALID', block: '2' }),
      ]),
    );
  });

  it('names the block whose root, hash or place in the chain was altered', async () => {
    const lines = handBuilt();
    const b1 = lines[6] as ExportBlockLine;
    lines[6] = { ...b1, merkleRoot: b1.merkleRoot.replace(/^./, (c) => (c === '0' ? '1' : '0')) };
    expect(await codes(lines)).toEqual(['BLOCK_HASH_MISMATCH', 'BLOCK_MERKLE_MISMATCH']);

    const chain = handBuilt();
    const b2 = chain[7] as ExportBlockLine;
    const forged = { ...b2, prevHash: GENESIS_HASH };
    chain[7] = { ...forged, hash: blockHash(forged) }; // re-hashed, but no longer chained
    const report = await verify(chain);
    expect(report.problems).toEqual([
      expect.objectContaining({ code: 'BLOCK_CHAIN_BROKEN', block: '2' }),
    ]);
  });

  it('names an account whose stored counter differs from its transfers, and an unbalanced ledger', async () => {
    const lines = handBuilt();
    lines[10] = account(ALICE, 'LIABILITY', ['100.00', '500.01', '0.00', '0.00']);
    const report = await verify(lines);
    expect(report.problems).toEqual([
      expect.objectContaining({
        code: 'ACCOUNT_COUNTER_MISMATCH',
        account: ALICE,
        field: 'creditsPosted',
        stated: '500.01',
        recomputed: '500.00',
      }),
      expect.objectContaining({ code: 'LEDGER_UNBALANCED' }),
    ]);
  });

  it('catches a dropped transfer, a resolved-twice hold, bad lines and wrong counts', async () => {
    const dropped = handBuilt().filter((_, i) => i !== 3);
    expect(await codes(dropped)).toEqual([
      'ACCOUNT_COUNTER_MISMATCH',
      'ACCOUNT_COUNTER_MISMATCH',
      'BLOCK_MERKLE_MISMATCH',
      'BLOCK_TRANSFER_COUNT_MISMATCH',
      'COUNT_MISMATCH',
      'RESOLUTION_INVALID',
    ]);

    const twice = handBuilt();
    const post = twice[4] as ExportTransferLine;
    twice.splice(5, 0, transfer(6, 'VOID', ALICE, ESCROW, '100.00', null, post.pendingId));
    expect(await codes(twice)).toContain('RESOLUTION_INVALID');

    const garbled = handBuilt().map((l) => JSON.stringify(l));
    garbled[1] = garbled[1].slice(0, 20);
    const report = await verify(garbled);
    expect(report.problems[0]).toMatchObject({ code: 'LINE_UNREADABLE', line: 2 });

    const noHeader = handBuilt().slice(1);
    expect(await codes(noHeader)).toEqual(expect.arrayContaining(['HEADER_INVALID']));
  });

  it('refuses transfers out of block order', async () => {
    const lines = handBuilt();
    [lines[4], lines[5]] = [lines[5], lines[4]]; // unsealed before block 2
    expect(await codes(lines)).toContain('EXPORT_ORDER');
  });
});
