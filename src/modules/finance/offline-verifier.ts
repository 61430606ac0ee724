import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  blockHash,
  GENESIS_HASH,
  merkleRoot,
  TRANSFER_ENCODING,
  transferHash,
} from '../escrow-ledger/canonical.js';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportAccountLine,
  type ExportBlockLine,
  type ExportHeaderLine,
  type ExportTransferLine,
} from './ledger-export.format.js';

/**
 * The auditor's verifier of a ledger export (`ledger:verify-export FILE`). It needs no database,
 * no network and no framework: only the export file, the canonical encoding (canonical.ts, pure)
 * and Node's crypto. It recomputes every transfer hash, every block's Merkle root, hash and the
 * prev-hash chain, every account's four counters from the transfers (INV-3) and that debits equal
 * credits (INV-4), and names each problem: the transfer and its block, the block, or the account.
 *
 * Money is summed exactly as bigint fen (an amount "1500.00" is 150000n): no floating point.
 */

export interface OfflineProblem {
  code: string;
  message: string;
  line?: number;
  transfer?: string;
  block?: string | null;
  account?: string;
  field?: string;
  [detail: string]: unknown;
}

export interface OfflineReport {
  ok: boolean;
  format: string | null;
  transfersChecked: number;
  blocksChecked: number;
  accountsChecked: number;
  problems: OfflineProblem[];
  /** Problems past the first MAX_PROBLEMS are counted, not listed. */
  problemsNotListed: number;
}

const MAX_PROBLEMS = 1000;
const STATUSES = new Set(['PENDING', 'POSTED', 'POST', 'VOID']);
const SECTIONS = ['header', 'transfer', 'block', 'account'] as const;
type Section = (typeof SECTIONS)[number];
const COUNTERS = ['debitsPosted', 'creditsPosted', 'debitsPending', 'creditsPending'] as const;
const MONEY = /^\d{1,18}\.\d{2}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const DIGITS = /^\d{1,19}$/;

/** "1500.00" -> 150000n; the caller has checked the form. */
const fen = (amount: string): bigint => BigInt(amount.replace('.', ''));
const money = (value: bigint): string => {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
};

interface Recomputed {
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

type Json = Record<string, unknown>;
const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';

function asTransfer(o: Json): ExportTransferLine | string {
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

function asBlock(o: Json): ExportBlockLine | string {
  for (const k of ['height', 'fromTxId', 'toTxId', 'merkleRoot', 'prevHash', 'hash'])
    if (!isString(o[k])) return `${k} is missing or not a string`;
  if (!Number.isSafeInteger(o.transferCount) || (o.transferCount as number) < 0)
    return 'transferCount is not a whole number';
  const b = o as unknown as ExportBlockLine;
  if (!DIGITS.test(b.height) || !DIGITS.test(b.fromTxId) || !DIGITS.test(b.toTxId))
    return 'height and transaction ids must be whole numbers';
  return b;
}

function asAccount(o: Json): ExportAccountLine | string {
  for (const k of ['code', 'currency', ...COUNTERS])
    if (!isString(o[k])) return `${k} is missing or not a string`;
  const a = o as unknown as ExportAccountLine;
  for (const k of COUNTERS) if (!MONEY.test(a[k])) return `${k} is not a "0.00" amount`;
  return a;
}

/** Verifies an export given as lines (without their line breaks). */
export async function verifyExportLines(
  lines: AsyncIterable<string> | Iterable<string>,
): Promise<OfflineReport> {
  const problems: OfflineProblem[] = [];
  let notListed = 0;
  const problem = (p: OfflineProblem): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
    else notListed++;
  };

  let header: ExportHeaderLine | null = null;
  let section: Section | null = null;
  let lineNo = 0;
  const seen = { transfers: 0, blocks: 0, accounts: 0 };

  // Transfers arrive grouped by block: hash the current group, keep only each group's root.
  let group: { height: string | null; hashes: string[]; lastSeq: bigint } | null = null;
  const groups = new Map<string, { root: string; count: number }>();
  const finishGroup = (): void => {
    if (group?.height != null)
      groups.set(group.height, { root: merkleRoot(group.hashes), count: group.hashes.length });
  };
  const accounts = new Map<string, Recomputed>();
  const open = new Map<string, Pending>();
  const account = (code: string, currency: string, t: ExportTransferLine): Recomputed => {
    let a = accounts.get(code);
    if (!a) {
      a = { debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n, currency };
      accounts.set(code, a);
    } else if (a.currency !== currency) {
      problem({
        code: 'ACCOUNT_CURRENCY_MISMATCH',
        message: `transfer ${t.id} moves ${currency} on account ${code}, which holds ${a.currency}`,
        line: lineNo,
        transfer: t.id,
        block: t.blockHeight,
        account: code,
      });
    }
    return a;
  };

  let previousBlock: { height: bigint; hash: string; toTxId: string } | null = null;
  const totals = { debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n };

  const onTransfer = (t: ExportTransferLine): void => {
    seen.transfers++;
    // Order: groups by ascending height, unsealed (null) last; seq ascending inside a group.
    if (!group || group.height !== t.blockHeight) {
      const before = group?.height;
      const outOfOrder =
        group !== null &&
        (before === null ||
          (t.blockHeight !== null && BigInt(t.blockHeight) <= BigInt(before ?? '0')));
      if (outOfOrder || (t.blockHeight !== null && groups.has(t.blockHeight))) {
        problem({
          code: 'EXPORT_ORDER',
          message: `transfer ${t.id} of block ${t.blockHeight ?? '(unsealed)'} is out of block order`,
          line: lineNo,
          transfer: t.id,
          block: t.blockHeight,
        });
      }
      finishGroup();
      group = { height: t.blockHeight, hashes: [], lastSeq: -1n };
    }
    const seq = BigInt(t.seq);
    if (seq <= group.lastSeq) {
      problem({
        code: 'EXPORT_ORDER',
        message: `transfer ${t.id} (seq ${t.seq}) is not in seq order within its block`,
        line: lineNo,
        transfer: t.id,
        block: t.blockHeight,
      });
    }
    group.lastSeq = seq;

    const recomputed = transferHash({
      ...t,
      debitAccountCode: t.debitAccount,
      creditAccountCode: t.creditAccount,
      createdAt: new Date(t.createdAt),
    });
    group.hashes.push(recomputed);
    if (recomputed !== t.hash) {
      problem({
        code: 'TRANSFER_HASH_MISMATCH',
        message: `transfer ${t.id} in block ${t.blockHeight ?? '(unsealed)'} does not hash to its recorded hash: its fields were altered`,
        line: lineNo,
        transfer: t.id,
        block: t.blockHeight,
      });
    }

    // Counters exactly as the ledger's trigger moves them (INV-3).
    const amount = fen(t.amount);
    const debit = account(t.debitAccount, t.currency, t);
    const credit = account(t.creditAccount, t.currency, t);
    if (t.status === 'POSTED') {
      debit.debitsPosted += amount;
      credit.creditsPosted += amount;
    } else if (t.status === 'PENDING') {
      debit.debitsPending += amount;
      credit.creditsPending += amount;
      open.set(t.id, {
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
      const hold = open.get(t.pendingId ?? '');
      const matches =
        hold !== undefined &&
        hold.debit === t.debitAccount &&
        hold.credit === t.creditAccount &&
        hold.amount === t.amount &&
        hold.currency === t.currency;
      if (!matches) {
        problem({
          code: 'RESOLUTION_INVALID',
          message: `transfer ${t.id} (${t.status}) does not resolve an open pending transfer with the same accounts and amount (${t.pendingId ?? ''})`,
          line: lineNo,
          transfer: t.id,
          block: t.blockHeight,
        });
      } else {
        open.delete(t.pendingId ?? '');
      }
    }
  };

  const onBlock = (b: ExportBlockLine): void => {
    seen.blocks++;
    const ref = { line: lineNo, block: b.height };
    const height = BigInt(b.height);
    const expectedHeight = (previousBlock?.height ?? 0n) + 1n;
    if (height !== expectedHeight) {
      problem({
        code: 'BLOCK_HEIGHT_GAP',
        message: `block ${b.height} follows block ${expectedHeight - 1n}`,
        ...ref,
      });
    }
    if (b.prevHash !== (previousBlock?.hash ?? GENESIS_HASH)) {
      problem({
        code: 'BLOCK_CHAIN_BROKEN',
        message: `block ${b.height} does not follow the previous block's hash`,
        ...ref,
      });
    }
    if (b.fromTxId !== (previousBlock?.toTxId ?? '1')) {
      problem({
        code: 'BLOCK_RANGE_GAP',
        message: `block ${b.height} does not start where the previous block ended`,
        ...ref,
      });
    }
    if (!HEX64.test(b.merkleRoot) || blockHash(b) !== b.hash) {
      problem({
        code: 'BLOCK_HASH_MISMATCH',
        message: `block ${b.height}'s own hash does not match its contents`,
        ...ref,
      });
    }
    const content = groups.get(b.height) ?? { root: merkleRoot([]), count: 0 };
    groups.delete(b.height);
    if (content.count !== b.transferCount) {
      problem({
        code: 'BLOCK_TRANSFER_COUNT_MISMATCH',
        message: `block ${b.height} was sealed with ${b.transferCount} transfers, the export has ${content.count}`,
        ...ref,
      });
    }
    if (content.root !== b.merkleRoot) {
      problem({
        code: 'BLOCK_MERKLE_MISMATCH',
        message: `the transfers of block ${b.height} do not hash to its Merkle root`,
        ...ref,
      });
    }
    previousBlock = { height, hash: b.hash, toTxId: b.toTxId };
  };

  const onAccount = (a: ExportAccountLine): void => {
    seen.accounts++;
    const mine = accounts.get(a.code) ?? {
      debitsPosted: 0n,
      creditsPosted: 0n,
      debitsPending: 0n,
      creditsPending: 0n,
      currency: a.currency,
    };
    accounts.delete(a.code);
    if (mine.currency !== a.currency) {
      problem({
        code: 'ACCOUNT_CURRENCY_MISMATCH',
        message: `account ${a.code} holds ${a.currency} but its transfers move ${mine.currency}`,
        line: lineNo,
        account: a.code,
      });
    }
    for (const field of COUNTERS) {
      const stated = fen(a[field]);
      totals[field] += stated;
      if (stated !== mine[field]) {
        problem({
          code: 'ACCOUNT_COUNTER_MISMATCH',
          message: `account ${a.code}: ${field} is ${a[field]}, the transfers add up to ${money(mine[field])}`,
          line: lineNo,
          account: a.code,
          field,
          stated: a[field],
          recomputed: money(mine[field]),
        });
      }
    }
  };

  for await (const raw of lines) {
    lineNo++;
    if (raw.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      problem({ code: 'LINE_UNREADABLE', message: `line ${lineNo} is not JSON`, line: lineNo });
      continue;
    }
    const o = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Json;
    const type = o.type;
    if (!SECTIONS.includes(type as Section)) {
      problem({
        code: 'LINE_UNREADABLE',
        message: `line ${lineNo} has no known type`,
        line: lineNo,
      });
      continue;
    }
    const at = SECTIONS.indexOf(type as Section);
    if (
      (section === null && type !== 'header') ||
      (section !== null && at < SECTIONS.indexOf(section)) ||
      (type === 'header' && section !== null)
    ) {
      problem({
        code: 'EXPORT_ORDER',
        message: `line ${lineNo} (${String(type)}) is out of place: header, transfers, blocks, accounts`,
        line: lineNo,
      });
    }
    if (type === 'block' && section === 'transfer') finishGroup();
    section = type as Section;

    if (type === 'header') {
      const h = o as unknown as ExportHeaderLine;
      if (h.format !== EXPORT_FORMAT || h.version !== EXPORT_VERSION) {
        problem({
          code: 'HEADER_INVALID',
          message: `not a ${EXPORT_FORMAT} version ${EXPORT_VERSION} file`,
          line: lineNo,
        });
      }
      if (h.transferEncoding !== TRANSFER_ENCODING) {
        problem({
          code: 'HEADER_INVALID',
          message: `transfer encoding ${String(h.transferEncoding)} is not ${TRANSFER_ENCODING}`,
          line: lineNo,
        });
      }
      header = h;
      continue;
    }
    const checked =
      type === 'transfer' ? asTransfer(o) : type === 'block' ? asBlock(o) : asAccount(o);
    if (typeof checked === 'string') {
      const id = isString(o.id)
        ? o.id
        : isString(o.height)
          ? o.height
          : isString(o.code)
            ? o.code
            : undefined;
      problem({
        code: 'LINE_MALFORMED',
        message: `line ${lineNo} (${String(type)}${id ? ` ${id}` : ''}): ${checked}`,
        line: lineNo,
        ...(type === 'transfer' && id
          ? { transfer: id, block: isNullableString(o.blockHeight) ? o.blockHeight : null }
          : {}),
        ...(type === 'block' && id ? { block: id } : {}),
        ...(type === 'account' && id ? { account: id } : {}),
      });
      continue;
    }
    if (checked.type === 'transfer') onTransfer(checked);
    else if (checked.type === 'block') onBlock(checked);
    else onAccount(checked);
  }
  if (section === 'transfer') finishGroup();

  if (header === null) {
    problem({ code: 'HEADER_INVALID', message: 'the file has no header line' });
  } else {
    const counts: Partial<ExportHeaderLine['counts']> = header.counts ?? {};
    for (const k of ['transfers', 'blocks', 'accounts'] as const) {
      if (counts[k] !== seen[k]) {
        problem({
          code: 'COUNT_MISMATCH',
          message: `the header announces ${String(counts[k])} ${k}, the file has ${seen[k]}`,
        });
      }
    }
  }
  for (const [height, content] of groups) {
    problem({
      code: 'TRANSFER_IN_UNKNOWN_BLOCK',
      message: `${content.count} transfers claim block ${height}, which the export does not have`,
      block: height,
    });
  }
  for (const [code] of accounts) {
    problem({
      code: 'ACCOUNT_MISSING',
      message: `account ${code} has transfers but no account line`,
      account: code,
    });
  }
  if (
    totals.debitsPosted !== totals.creditsPosted ||
    totals.debitsPending !== totals.creditsPending
  ) {
    problem({
      code: 'LEDGER_UNBALANCED',
      message: 'total debits differ from total credits (INV-4)',
      debitsPosted: money(totals.debitsPosted),
      creditsPosted: money(totals.creditsPosted),
      debitsPending: money(totals.debitsPending),
      creditsPending: money(totals.creditsPending),
    });
  }
  return {
    ok: problems.length === 0 && notListed === 0,
    format: header === null ? null : `${EXPORT_FORMAT}/${EXPORT_VERSION}`,
    transfersChecked: seen.transfers,
    blocksChecked: seen.blocks,
    accountsChecked: seen.accounts,
    problems,
    problemsNotListed: notListed,
  };
}

/**
 * Verifies an export file, line by line: memory holds one block's hashes, the accounts' counters and
 * the holds still open, never the whole file.
 */
export function verifyExportFile(file: string): Promise<OfflineReport> {
  const lines = createInterface({
    input: createReadStream(file, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  return verifyExportLines(lines);
}
