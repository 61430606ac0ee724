import type {
  ExportAccountLine,
  ExportBlockLine,
  ExportTransferLine,
} from './ledger-export.format.js';

/**
 * The parts of the offline verifier that look at one line at a time: the shape checks of each
 * line of a ledger export (a line is either the typed record or the reason it is not one) and the
 * counter replay. Pure (no I/O), like the verifier.
 */
export const STATUSES = new Set(['PENDING', 'POSTED', 'POST', 'VOID']);
export const COUNTERS = [
  'debitsPosted',
  'creditsPosted',
  'debitsPending',
  'creditsPending',
] as const;
export const MONEY = /^\d{1,18}\.\d{2}$/;
export const HEX64 = /^[0-9a-f]{64}$/;
export const DIGITS = /^\d{1,19}$/;

/** "1500.00" -> 150000n; the caller has checked the form. */
export const fen = (amount: string): bigint => BigInt(amount.replace('.', ''));
export const money = (value: bigint): string => {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
};

export type Json = Record<string, unknown>;
export const isString = (v: unknown): v is string => typeof v === 'string';
export const isNullableString = (v: unknown): v is string | null =>
  v === null || typeof v === 'string';

export function asTransfer(o: Json): ExportTransferLine | string {
  const strings = ['id', 'seq', 'kind', 'status', 'debitAccount', 'creditAccount', 'amount'];
  for (const k of [...strings, 'currency', 'createdAt', 'hash'])
    if (!isString(o[k])) return `${k} is missing or not a string`;
  for (const k of ['pendingId', 'reference', 'blockHeight'])
    if (!isNullableString(o[k])) return `${k} must be a string or null`;
  const t = o as unknown as ExportTransferLine;
  if (!DIGITS.test(t.seq)) return 'seq is not a whole number';
  if (t.blockHeight !== null && !DIGITS.test(t.blockHeight)) return 'blockHeight is not a number';
  if (!MONEY.test(t.amount) || fen(t.amount) <= 0n) return 'amount is not a positive "0.00" amount';
  if (!STATUSES.has(t.status)) return `status ${t.status} is unknown`;
  if ((t.status === 'POST' || t.status === 'VOID') !== (t.pendingId !== null))
    return 'pendingId must be set exactly on POST and VOID rows';
  if (t.debitAccount === t.creditAccount) return 'debit and credit accounts are the same';
  const created = new Date(t.createdAt);
  if (Number.isNaN(created.getTime()) || created.toISOString() !== t.createdAt)
    return 'createdAt is not an ISO 8601 UTC timestamp with milliseconds';
  return t;
}

export function asBlock(o: Json): ExportBlockLine | string {
  for (const k of ['height', 'fromTxId', 'toTxId', 'merkleRoot', 'prevHash', 'hash'])
    if (!isString(o[k])) return `${k} is missing or not a string`;
  if (!Number.isSafeInteger(o.transferCount) || (o.transferCount as number) < 0)
    return 'transferCount is not a whole number';
  const b = o as unknown as ExportBlockLine;
  if (!DIGITS.test(b.height) || !DIGITS.test(b.fromTxId) || !DIGITS.test(b.toTxId))
    return 'height and transaction ids must be whole numbers';
  return b;
}

export function asAccount(o: Json): ExportAccountLine | string {
  for (const k of ['code', 'currency', ...COUNTERS])
    if (!isString(o[k])) return `${k} is missing or not a string`;
  const a = o as unknown as ExportAccountLine;
  for (const k of COUNTERS) if (!MONEY.test(a[k])) return `${k} is not a "0.00" amount`;
  return a;
}

export interface Recomputed {
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsPending: bigint;
  creditsPending: bigint;
  currency: string;
}

interface Pending {
  debit: string;
  credit: string;
  amount: string;
  currency: string;
}

/**
 * Every account's four counters replayed from the transfers exactly as the ledger's trigger moves
 * them (INV-3): POSTED moves posted counters, PENDING the pending ones, POST and VOID resolve an
 * open hold with the same accounts and amount (INV-6). Sums are bigint fen.
 */
export class CounterReplay {
  readonly accounts = new Map<string, Recomputed>();
  private readonly open = new Map<string, Pending>();

  /** Applies one transfer; returns what is wrong with it (nothing, usually). */
  apply(t: ExportTransferLine): { code: string; message: string; account?: string }[] {
    const found: { code: string; message: string; account?: string }[] = [];
    const amount = fen(t.amount);
    const debit = this.account(t.debitAccount, t, found);
    const credit = this.account(t.creditAccount, t, found);
    if (t.status === 'POSTED') {
      debit.debitsPosted += amount;
      credit.creditsPosted += amount;
    } else if (t.status === 'PENDING') {
      debit.debitsPending += amount;
      credit.creditsPending += amount;
      this.open.set(t.id, {
        debit: t.debitAccount,
        credit: t.creditAccount,
        amount: t.amount,
        currency: t.currency,
      });
    } else {
      debit.debitsPending -= amount;
      credit.creditsPending -= amount;
      if (t.status === 'POST') {
        debit.debitsPosted += amount;
        credit.creditsPosted += amount;
      }
      const hold = this.open.get(t.pendingId ?? '');
      const matches =
        hold !== undefined &&
        hold.debit === t.debitAccount &&
        hold.credit === t.creditAccount &&
        hold.amount === t.amount &&
        hold.currency === t.currency;
      if (!matches) {
        found.push({
          code: 'RESOLUTION_INVALID',
          message: `transfer ${t.id} (${t.status}) does not resolve an open pending transfer with the same accounts and amount (${t.pendingId ?? ''})`,
        });
      } else {
        this.open.delete(t.pendingId ?? '');
      }
    }
    return found;
  }

  private account(
    code: string,
    t: ExportTransferLine,
    found: { code: string; message: string; account?: string }[],
  ): Recomputed {
    let a = this.accounts.get(code);
    if (!a) {
      a = {
        debitsPosted: 0n,
        creditsPosted: 0n,
        debitsPending: 0n,
        creditsPending: 0n,
        currency: t.currency,
      };
      this.accounts.set(code, a);
    } else if (a.currency !== t.currency) {
      found.push({
        code: 'ACCOUNT_CURRENCY_MISMATCH',
        message: `transfer ${t.id} moves ${t.currency} on account ${code}, which holds ${a.currency}`,
        account: code,
      });
    }
    return a;
  }
}
