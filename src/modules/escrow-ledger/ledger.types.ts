/** The escrow ledger's vocabulary (DESIGN §4). Amounts are decimal strings ("1500.00"), never numbers. */
export const ACCOUNT_KINDS = ['ASSET', 'LIABILITY', 'REVENUE'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** PENDING = a hold; POSTED = a direct transfer; POST / VOID resolve a PENDING one through pendingId. */
export type TransferStatus = 'PENDING' | 'POSTED' | 'POST' | 'VOID';

/** What a transfer is for (business meaning; the ledger itself treats them all alike). */
export type TransferKind =
  | 'DEPOSIT'
  | 'WITHDRAWAL'
  | 'PLEDGE'
  | 'SETTLEMENT'
  | 'FEE'
  | 'PAYOUT'
  | 'REFUND'
  | 'ADJUSTMENT'
  | 'REPAYMENT'
  /** PLAT-07: between an investor's own wallets (GENERAL, EQUITY, DEBT). */
  | 'LINE_TRANSFER'
  /** A borrower's held overpayment credit, from the loan's repayment account to their wallet. */
  | 'CREDIT_WITHDRAWAL'
  /** Issue 15: an issuer's distribution, funded through custody and paid to holders. */
  | 'DISTRIBUTION';

/**
 * The kinds whose posted amounts are summed by reference (lending: what a campaign lent, what a
 * loan repaid). Only their rows are in `ledger_transfers_reference_idx` (migration 1766090000000).
 */
export const KINDS_SUMMED_BY_REFERENCE = ['SETTLEMENT', 'FEE', 'REPAYMENT'] as const;
export type KindSummedByReference = (typeof KINDS_SUMMED_BY_REFERENCE)[number];

export interface LedgerAccount {
  id: string;
  code: string;
  kind: AccountKind;
  currency: string;
  debitsPosted: string;
  creditsPosted: string;
  debitsPending: string;
  creditsPending: string;
  createdAt: Date;
}

export interface Transfer {
  id: string;
  seq: string;
  txId: string;
  kind: TransferKind;
  status: TransferStatus;
  debitAccountId: string;
  creditAccountId: string;
  debitAccountCode: string;
  creditAccountCode: string;
  amount: string;
  currency: string;
  pendingId: string | null;
  reference: string | null;
  createdAt: Date;
}

export interface Block {
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
  sealedAt: Date;
}

/** Well-known account codes (DESIGN §4). */
export const AccountCodes = {
  custodyCash: 'custody:cash',
  platformFees: 'platform:fees',
  investorAvailable: (userId: string) => `investor:${userId}:available`,
  founderPayable: (userId: string) => `founder:${userId}:payable`,
  campaignEscrow: (campaignId: string) => `campaign:${campaignId}:escrow`,
  /** A loan's repayment account at the custodian: what the borrower paid in, not yet distributed. */
  loanRepayment: (loanId: string) => `loan:${loanId}:repayment`,
  /** What an issuer paid in for a distribution to its holders (issue 15), until it is paid out. */
  distributionFunding: (distributionId: string) => `distribution:${distributionId}:funding`,
  /** Tax withheld from distributions, owed to the tax office. */
  taxWithheld: 'tax:withheld',
} as const;

/** A transfer row as it will be written (the ledger prepares it; see LedgerService.prepareHold). */
export interface NewTransfer {
  id: string;
  kind: TransferKind;
  status: TransferStatus;
  debitAccountId: string;
  creditAccountId: string;
  amount: string;
  currency: string;
  pendingId: string | null;
  reference: string | null;
  createdAt: Date;
}

/**
 * A movement of cash at the custodian bank as the ledger records it: a posted transfer that debits
 * (money in) or credits (money out) `custody:cash`. Holds (PENDING) and VOIDs move no cash.
 * `direction` is the bank's point of view: CREDIT = into custody, DEBIT = out of custody.
 */
export interface CustodyMovement {
  transferId: string;
  kind: TransferKind;
  direction: 'CREDIT' | 'DEBIT';
  amount: string;
  createdAt: Date;
  /** From the custody notification that caused it; null for a movement no notification made. */
  bankReference: string | null;
}

export interface CustodySnapshot {
  currency: string;
  /** Movements with start <= createdAt < end. */
  inPeriod: CustodyMovement[];
  /** Movements whose notification carried one of the asked references, whatever their date. */
  byReference: CustodyMovement[];
  /** Posted debits minus posted credits of custody:cash over transfers created before `end`. */
  balanceAtEnd: string;
}
