import { createHash, hash } from 'node:crypto';

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

/** One-shot SHA-256 (`crypto.hash`, about three times cheaper per call than createHash). */
const sha256 = (data: string | Buffer): Buffer =>
  typeof hash === 'function'
    ? hash('sha256', data, 'buffer')
    : createHash('sha256').update(data).digest();

/** The size of one leaf (a transfer hash) in a concatenation of leaves. */
export const LEAF_BYTES = 32;

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
  return merkleRootOfLeaves(Buffer.from(hexHashes.join(''), 'hex'));
}

/**
 * The same Merkle root over leaves given as one buffer of concatenated 32-byte hashes in seq order
 * (as the ledger's SQL computes them, see `SQL_TRANSFER_LEAF`): no per-leaf strings or buffers, so a
 * block of a million transfers costs about a million one-shot hashes and little garbage. Two nodes
 * of a pair lie side by side, so each pair is hashed where it lies (a view, no copy) and only an
 * odd last node is copied next to itself (issue 18: the two copies a pair were 0.4 s of a
 * 1,000,000-transfer verify's 3.2 s in this process; 1.20 s against 1.43 s for the whole fold).
 */
export function merkleRootOfLeaves(leaves: Buffer): string {
  if (leaves.length % LEAF_BYTES !== 0) throw new Error('leaves must be whole 32-byte hashes');
  if (leaves.length === 0) return sha256('').toString('hex');
  let level = leaves;
  let count = leaves.length / LEAF_BYTES;
  const pair = Buffer.allocUnsafe(2 * LEAF_BYTES);
  while (count > 1) {
    const nextCount = Math.ceil(count / 2);
    const next = Buffer.allocUnsafe(nextCount * LEAF_BYTES);
    const whole = count >> 1; // pairs of two nodes
    for (let i = 0; i < whole; i++) {
      const view = level.subarray(2 * i * LEAF_BYTES, (2 * i + 2) * LEAF_BYTES);
      next.set(sha256(view), i * LEAF_BYTES);
    }
    if (count % 2 === 1) {
      const last = level.subarray((count - 1) * LEAF_BYTES, count * LEAF_BYTES);
      pair.set(last, 0); // an odd node pairs with itself
      pair.set(last, LEAF_BYTES);
      next.set(sha256(pair), whole * LEAF_BYTES);
    }
    level = next;
    count = nextCount;
  }
  return level.subarray(0, LEAF_BYTES).toString('hex');
}

/**
 * `transferHash` computed by Postgres, for a row `t` of ledger_transfers joined to its debit (`d`)
 * and credit (`c`) accounts: the same fields, the same order, the same text. The sealer and the
 * verifier use it so that hashing a block runs in the database, beside the rows, on as many cores as
 * there are connections; the offline verifier (and a spec over random transfers) recompute it with
 * `transferHash` in JavaScript, so the two can never silently differ.
 */
export const SQL_TRANSFER_LEAF = `sha256(convert_to(concat_ws(E'\\n',
  '${TRANSFER_ENCODING}', t.id::text, t.seq::text, t.kind, t.status, d.code, c.code,
  t.amount::text, t.currency::text, coalesce(t.pending_id::text, ''), coalesce(t.reference, ''),
  to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')), 'UTF8'))`;

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
