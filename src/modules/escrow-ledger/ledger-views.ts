import type { Block } from './ledger.types.js';

/**
 * The escrow ledger's read contract for other modules (DESIGN §2: finance reads the ledger through
 * ledger-owned views, never its tables). Migration 1765000000000 creates the views; each is a
 * plain projection of its table with the same column names, so the block codec below reads
 * `ledger_blocks b` (this module's repository) and `ledger_blocks_view b` (finance) alike.
 */
export const LEDGER_READ_VIEWS = [
  'ledger_accounts_view',
  'ledger_transfers_view',
  'ledger_blocks_view',
  // Migration 1765800000000: balance checkpoints per sealed block (issue 18).
  'ledger_block_checkpoints_view',
  'ledger_account_checkpoints_view',
] as const;
export type LedgerReadView = (typeof LEDGER_READ_VIEWS)[number];

/** A block row as `BLOCK_COLUMNS` selects it (from `ledger_blocks b` or `ledger_blocks_view b`). */
export interface BlockRow {
  height: string;
  from_tx_id: string;
  to_tx_id: string;
  transfer_count: number;
  first_seq: string | null;
  last_seq: string | null;
  merkle_root: string;
  prev_hash: string;
  hash: string;
  encoding: string;
  sealed_at: Date;
}

// Selected columns are cast to text (bigint and xid8 as exact strings); ORDER BY must therefore use
// the qualified column (b.height), never the text alias, or 10 would sort before 9.
export const BLOCK_COLUMNS = `b.height::text AS height, b.from_tx_id::text AS from_tx_id, b.to_tx_id::text AS to_tx_id,
  b.transfer_count, b.first_seq::text AS first_seq, b.last_seq::text AS last_seq, b.merkle_root, b.prev_hash,
  b.hash, b.encoding, b.sealed_at`;

export const toBlock = (r: BlockRow): Block => ({
  height: r.height,
  fromTxId: r.from_tx_id,
  toTxId: r.to_tx_id,
  transferCount: r.transfer_count,
  firstSeq: r.first_seq,
  lastSeq: r.last_seq,
  merkleRoot: r.merkle_root,
  prevHash: r.prev_hash,
  hash: r.hash,
  encoding: r.encoding,
  sealedAt: r.sealed_at,
});
