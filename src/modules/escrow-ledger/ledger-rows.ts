import type {
  AccountKind,
  LedgerAccount,
  Transfer,
  TransferKind,
  TransferStatus,
} from './ledger.types.js';

/** The escrow ledger's rows as its repository selects them, and their domain shapes. */
export interface AccountRow {
  id: string;
  code: string;
  kind: AccountKind;
  currency: string;
  debits_posted: string;
  credits_posted: string;
  debits_pending: string;
  credits_pending: string;
  created_at: Date;
}

export interface TransferRow {
  id: string;
  seq: string;
  tx_id: string;
  kind: TransferKind;
  status: TransferStatus;
  debit_account_id: string;
  credit_account_id: string;
  debit_code: string;
  credit_code: string;
  amount: string;
  currency: string;
  pending_id: string | null;
  reference: string | null;
  created_at: Date;
}

export const TRANSFER_COLUMNS = `t.id, t.seq::text AS seq, t.tx_id::text AS tx_id, t.kind, t.status,
  t.debit_account_id, t.credit_account_id, d.code AS debit_code, c.code AS credit_code,
  t.amount::text AS amount, t.currency, t.pending_id, t.reference, t.created_at`;
export const TRANSFER_FROM = `ledger_transfers t
  JOIN ledger_accounts d ON d.id = t.debit_account_id
  JOIN ledger_accounts c ON c.id = t.credit_account_id`;
export const ACCOUNT_COLUMNS = `id, code, kind, currency, debits_posted::text AS debits_posted,
  credits_posted::text AS credits_posted, debits_pending::text AS debits_pending,
  credits_pending::text AS credits_pending, created_at`;

export const toAccount = (r: AccountRow): LedgerAccount => ({
  id: r.id,
  code: r.code,
  kind: r.kind,
  currency: r.currency,
  debitsPosted: r.debits_posted,
  creditsPosted: r.credits_posted,
  debitsPending: r.debits_pending,
  creditsPending: r.credits_pending,
  createdAt: r.created_at,
});

export const toTransfer = (r: TransferRow): Transfer => ({
  id: r.id,
  seq: r.seq,
  txId: r.tx_id,
  kind: r.kind,
  status: r.status,
  debitAccountId: r.debit_account_id,
  creditAccountId: r.credit_account_id,
  debitAccountCode: r.debit_code,
  creditAccountCode: r.credit_code,
  amount: r.amount,
  currency: r.currency,
  pendingId: r.pending_id,
  reference: r.reference,
  createdAt: r.created_at,
});
