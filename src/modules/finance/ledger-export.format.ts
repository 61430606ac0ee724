/**
 * The ledger export file (`ledger:export`, README "The ledger export file"): UTF-8 JSON lines, one
 * object per line, in this order: one header, every transfer (grouped by sealed block in ascending
 * height, seq order inside a block, then the unsealed ones in seq order), every block (ascending
 * height), every account (by code). Big integers (seq, heights, transaction ids) and money are
 * strings. Pure types: the offline verifier and the exporter share them and nothing else.
 */
export const EXPORT_FORMAT = 'zhongchou-ledger-export';
export const EXPORT_VERSION = 1;

export interface ExportHeaderLine {
  type: 'header';
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  transferEncoding: string;
  blockEncoding: string;
  exportedAt: string;
  counts: { transfers: number; blocks: number; accounts: number };
}

export interface ExportTransferLine {
  type: 'transfer';
  id: string;
  seq: string;
  kind: string;
  status: string;
  debitAccount: string;
  creditAccount: string;
  amount: string;
  currency: string;
  pendingId: string | null;
  reference: string | null;
  createdAt: string;
  /** The canonical hash (zc-transfer-v1) of the fields above, as the database held them. */
  hash: string;
  /** The sealed block holding the transfer, or null if it was not sealed yet. */
  blockHeight: string | null;
}

export interface ExportBlockLine {
  type: 'block';
  height: string;
  fromTxId: string;
  toTxId: string;
  transferCount: number;
  firstSeq: string | null;
  lastSeq: string | null;
  merkleRoot: string;
  prevHash: string;
  hash: string;
  encoding: string;
  sealedAt: string;
}

export interface ExportAccountLine {
  type: 'account';
  code: string;
  kind: string;
  currency: string;
  debitsPosted: string;
  creditsPosted: string;
  debitsPending: string;
  creditsPending: string;
}

export type ExportLine =
  ExportHeaderLine | ExportTransferLine | ExportBlockLine | ExportAccountLine;
