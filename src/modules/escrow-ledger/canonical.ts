import { createHash } from 'node:crypto';

/**
 * The canonical, versioned encoding of ledger records for hashing (INV-11). An auditor can
 * reimplement it from this description alone:
 *
 *   transfer hash = SHA-256(UTF-8 of the fields below joined by "\n"), lower-case hex:
 *     "zc-transfer-v1", id, seq, kind, status, debit account code, credit account code,
 *     amount (exactly 2 decimals, e.g. "1500.00"), currency, pendingId or "", reference or "",
 *     createdAt as ISO 8601 UTC with milliseconds ("2026-11-28T02:00:00.000Z")
 *   Merkle root = pairwise SHA-256 over the binary hashes of the block's transfers in seq order;
 *     an odd node at any level is paired with itself; an empty block's root is SHA-256("").
 *   block hash = SHA-256 of "zc-block-v1", height, fromTxId, toTxId, transferCount, merkleRoot,
 *     prevHash joined by "\n"; the first block's prevHash is 64 zeros.
 */
export const TRANSFER_ENCODING = 'zc-transfer-v1';
export const BLOCK_ENCODING = 'zc-block-v1';
export const GENESIS_HASH = '0'.repeat(64);

export interface HashableTransfer {
  id: string;
  seq: string;
  kind: string;
  status: string;
  debitAccountCode: string;
  creditAccountCode: string;
  amount: string;
  currency: string;
  pendingId: string | null;
  reference: string | null;
  createdAt: Date;
}

const sha256 = (data: string | Buffer): Buffer => createHash('sha256').update(data).digest();

export function transferHash(t: HashableTransfer): string {
  if (!/^\d+\.\d{2}$/.test(t.amount))
    throw new Error(`amount ${t.amount} is not in canonical form`);
  return sha256(
    [
      TRANSFER_ENCODING,
      t.id,
      t.seq,
      t.kind,
      t.status,
      t.debitAccountCode,
      t.creditAccountCode,
      t.amount,
      t.currency,
      t.pendingId ?? '',
      t.reference ?? '',
      t.createdAt.toISOString(),
    ].join('\n'),
  ).toString('hex');
}

export function merkleRoot(hexHashes: readonly string[]): string {
  if (hexHashes.length === 0) return sha256('').toString('hex');
  let level: Buffer[] = hexHashes.map((h) => Buffer.from(h, 'hex'));
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i];
      const right = level[i + 1] ?? left;
      next.push(sha256(Buffer.concat([left, right])));
    }
    level = next;
  }
  return level[0].toString('hex');
}

export interface HashableBlock {
  height: string;
  fromTxId: string;
  toTxId: string;
  transferCount: number;
  merkleRoot: string;
  prevHash: string;
}

export function blockHash(b: HashableBlock): string {
  return sha256(
    [
      BLOCK_ENCODING,
      b.height,
      b.fromTxId,
      b.toTxId,
      String(b.transferCount),
      b.merkleRoot,
      b.prevHash,
    ].join('\n'),
  ).toString('hex');
}
