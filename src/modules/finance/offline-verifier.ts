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
import {
  asAccount,
  CounterReplay,
  asBlock,
  asTransfer,
  COUNTERS,
  fen,
  HEX64,
  isNullableString,
  isString,
  type Json,
  money,
} from './offline-export-lines.js';

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
const SECTIONS = ['header', 'transfer', 'block', 'account'] as const;
type Section = (typeof SECTIONS)[number];

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
  const replay = new CounterReplay();

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
    for (const found of replay.apply(t))
      problem({ ...found, line: lineNo, transfer: t.id, block: t.blockHeight });
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
    const mine = replay.accounts.get(a.code) ?? {
      debitsPosted: 0n,
      creditsPosted: 0n,
      debitsPending: 0n,
      creditsPending: 0n,
      currency: a.currency,
    };
    replay.accounts.delete(a.code);
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
  for (const [code] of replay.accounts) {
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
