import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { ledgerConfig, type LedgerConfig } from '../../config/namespaces.js';
import { mapConcurrently } from '../../common/concurrency/map-concurrently.js';
import { blockHash, GENESIS_HASH, merkleRootOfLeaves } from './canonical.js';
import { LedgerRepository } from './ledger.repository.js';
import { type CheckpointDrift, LedgerSealsRepository } from './ledger-seals.repository.js';
import type { Block } from './ledger.types.js';

export interface VerificationProblem {
  invariant: string;
  code: string;
  message: string;
  [detail: string]: unknown;
}

export interface VerificationReport {
  ok: boolean;
  /**
   * FULL: every block from the first. INCREMENTAL: the blocks after the last clean run's last block
   * (a block it checked that has since been replaced breaks the chain and is reported), with every
   * account recomputed from its verified checkpoint plus the transfers after it (issue 18).
   */
  mode: 'FULL' | 'INCREMENTAL';
  /** Blocks after this height were recomputed (0: all). */
  fromHeight: number;
  /** The last sealed block checked. */
  throughHeight: number;
  transfersChecked: number;
  blocksChecked: number;
  accountsChecked: number;
  problems: VerificationProblem[];
}

/** Where a run is: blocks recomputed of the blocks to check, then the checks over all accounts. */
export interface VerificationProgress {
  step: 'BLOCKS' | 'CHECKS';
  blocksDone: number;
  blocksTotal: number;
}

export interface VerifyOptions {
  incremental?: boolean;
  /** Called as the run moves on (synchronously: keep it cheap, e.g. remember the latest). */
  onProgress?: (progress: VerificationProgress) => void;
}

/**
 * Recomputes what the ledger claims (DESIGN §4 "Verification"): every sealed block's Merkle root
 * and hash chain from its transfers (INV-11, INV-2), every account's counters from the transfers
 * (INV-3), debits = credits (INV-4), and that nothing old is left unsealed.
 */
@Injectable()
export class LedgerVerifierService {
  /** Transfers read per page of a block (tests lower it to page through small blocks). */
  static pageSize = 50_000;

  constructor(
    private readonly ledger: LedgerRepository,
    private readonly seals: LedgerSealsRepository,
    private readonly clock: Clock,
    @Inject(ledgerConfig.KEY) private readonly config: LedgerConfig,
  ) {}

  async verify(options: VerifyOptions = {}): Promise<VerificationReport> {
    const startedAt = new Date();
    const problems: VerificationProblem[] = [];
    const mode = options.incremental ? 'INCREMENTAL' : 'FULL';
    const since = options.incremental ? await this.seals.lastCleanVerification() : null;
    const fromHeight = since?.throughHeight ?? '0';
    const before =
      fromHeight === '0'
        ? undefined
        : (await this.ledger.listBlocks(String(BigInt(fromHeight) - 1n), 1))[0];
    const blocks = await this.allBlocks(fromHeight);
    // The account checks read on their own connection while the blocks are re-hashed on theirs
    // (issue 18: they ran after the blocks, one more full pass over the transfers in turn). Every
    // account is recomputed from its transfers: from the balance checkpoints of the last block this
    // run checks plus the transfers after it, where every block's checkpoints are recomputed from
    // that block's transfers in this same run (FULL: every block from the first, several at once;
    // no separate pass over every transfer) or were by a clean run before (INCREMENTAL).
    const accountChecks = Promise.all([
      this.seals.counterDriftFromCheckpoints(blocks.at(-1)?.height ?? fromHeight),
      this.ledger.totals(),
      // The transfers after the last block checked (the tail): counted from the tx_id index, not
      // a count of the whole table (issue 18: 0.5 s of an incremental run at 10,000,000).
      this.ledger.countTransfersFrom((blocks.at(-1) ?? before)?.toTxId ?? '1'),
    ]);
    accountChecks.catch(() => undefined); // awaited below; a failure there is not unhandled
    const progress = (step: VerificationProgress['step'], blocksDone: number) =>
      options.onProgress?.({ step, blocksDone, blocksTotal: blocks.length });
    progress('BLOCKS', 0);
    let blocksDone = 0;
    // Each block's transfers are re-hashed on its own connection (Postgres hashes the rows, this
    // process only folds the Merkle tree), several blocks at once; the chain is then checked in order.
    const recomputed = await mapConcurrently(
      blocks,
      this.config.verifyConcurrency,
      async (block) => {
        const result = await this.recomputeBlock(block);
        progress('BLOCKS', ++blocksDone);
        return result;
      },
    );
    progress('CHECKS', blocksDone);
    let transfersChecked = 0;
    let prevHash = before?.hash ?? GENESIS_HASH;
    let expectedFrom = before?.toTxId ?? '1';
    blocks.forEach((block, i) => {
      const { count, root, checkpoint } = recomputed[i];
      const ref = { block: Number(block.height) };
      if (block.prevHash !== prevHash) {
        problems.push({
          invariant: 'INV-11',
          code: 'BLOCK_CHAIN_BROKEN',
          message: `block ${block.height} does not follow the previous block's hash`,
          ...ref,
        });
      }
      if (block.fromTxId !== expectedFrom) {
        problems.push({
          invariant: 'INV-11',
          code: 'BLOCK_RANGE_GAP',
          message: `block ${block.height} does not start where the previous block ended`,
          ...ref,
        });
      }
      transfersChecked += count;
      if (count !== block.transferCount) {
        problems.push({
          invariant: 'INV-2',
          code: 'BLOCK_TRANSFER_COUNT_MISMATCH',
          message: `block ${block.height} was sealed with ${block.transferCount} transfers, ${count} are there now`,
          ...ref,
        });
      }
      if (root !== block.merkleRoot) {
        problems.push({
          invariant: 'INV-2',
          code: 'BLOCK_MERKLE_MISMATCH',
          message: `the transfers of block ${block.height} no longer hash to its Merkle root: a sealed transfer was altered`,
          ...ref,
        });
      }
      if (blockHash(block) !== block.hash) {
        problems.push({
          invariant: 'INV-11',
          code: 'BLOCK_HASH_MISMATCH',
          message: `block ${block.height}'s own hash does not match its contents`,
          ...ref,
        });
      }
      for (const drift of checkpoint) {
        problems.push({
          invariant: 'INV-3',
          code: 'CHECKPOINT_MISMATCH',
          message:
            drift.account === null
              ? `block ${block.height}'s checkpoint says its transfers were created ${drift.stored}, they were created ${drift.recomputed}`
              : `block ${block.height}'s checkpoint of account ${drift.account}: ${drift.field} is ${drift.stored}, the transfers add up to ${drift.recomputed}`,
          ...ref,
          ...drift,
        });
      }
      prevHash = block.hash;
      expectedFrom = block.toTxId;
    });

    const blocksClean = problems.length === 0;

    const graceEnded = new Date(this.clock.now().getTime() - this.config.sealGraceSeconds * 1000);
    // After the last block checked now, or (incremental, nothing sealed since) the last one
    // verified before: not '1', which counted every sealed transfer as unsealed.
    const unsealed = await this.ledger.unsealedBefore(graceEnded, expectedFrom);
    if (unsealed.count !== '0') {
      problems.push({
        invariant: 'INV-11',
        code: 'TRANSFERS_NOT_SEALED',
        message: `${unsealed.count} transfers older than ${this.config.sealGraceSeconds} s are not sealed`,
        oldestSeq: unsealed.oldestSeq,
      });
    }

    // From the checkpoints is exact only when every block checked out. When one did not (a sealed
    // transfer or checkpoint altered), FULL sums every transfer again, so the report names each
    // account whose counters the transfers no longer explain (as it did before checkpoints).
    const [checkpointDrifts, totals, tailTransfers] = await accountChecks;
    const drifts =
      !options.incremental && !blocksClean ? await this.seals.counterDrift() : checkpointDrifts;
    for (const drift of drifts) {
      problems.push({
        invariant: 'INV-3',
        code: 'ACCOUNT_COUNTER_MISMATCH',
        message: `account ${drift.code}: ${drift.field} is ${drift.stored}, the transfers add up to ${drift.recomputed}`,
        account: drift.code,
        field: drift.field,
        stored: drift.stored,
        recomputed: drift.recomputed,
      });
    }

    if (
      totals.debitsPosted !== totals.creditsPosted ||
      totals.debitsPending !== totals.creditsPending
    ) {
      problems.push({
        invariant: 'INV-4',
        code: 'LEDGER_UNBALANCED',
        message: 'total debits differ from total credits',
        ...totals,
      });
    }
    const last = blocks.at(-1) ?? before;
    const report: VerificationReport = {
      ok: problems.length === 0,
      mode,
      fromHeight: Number(fromHeight),
      throughHeight: Number(last?.height ?? 0),
      // FULL: every transfer. INCREMENTAL: those of the blocks recomputed now and the unsealed tail.
      transfersChecked: transfersChecked + tailTransfers,
      blocksChecked: blocks.length,
      accountsChecked: totals.accounts,
      problems,
    };
    await this.seals.recordVerification({
      mode,
      fromHeight,
      throughHeight: last?.height ?? '0',
      throughHash: last?.hash ?? null,
      ok: report.ok,
      problems: problems.length,
      transfersChecked: report.transfersChecked,
      startedAt,
      finishedAt: new Date(),
    });
    return report;
  }

  private async allBlocks(afterHeight: string): Promise<Block[]> {
    const blocks: Block[] = [];
    for (let after = afterHeight; ;) {
      const page = await this.ledger.listBlocks(after, 1000);
      blocks.push(...page);
      if (page.length < 1000) return blocks;
      after = page[page.length - 1].height;
    }
  }

  /** A block's transfer count and Merkle root as its transfers hash now, page by page. */
  private async recomputeBlock(
    block: Block,
  ): Promise<{ count: number; root: string; checkpoint: CheckpointDrift[] }> {
    const [{ count, root }, checkpoint] = await Promise.all([
      this.rehashBlock(block),
      this.seals.checkpointDrift(block),
    ]);
    return { count, root, checkpoint };
  }

  private async rehashBlock(block: Block): Promise<{ count: number; root: string }> {
    const pages: Buffer[] = [];
    let count = 0;
    for (let afterSeq = await this.seals.seqBeforeTxRange(block.fromTxId, block.toTxId); ;) {
      const page = await this.seals.leavesInTxRangePage(
        block.fromTxId,
        block.toTxId,
        afterSeq,
        LedgerVerifierService.pageSize,
      );
      pages.push(page.leaves);
      count += page.count;
      if (page.count < LedgerVerifierService.pageSize || page.lastSeq === null) break;
      afterSeq = page.lastSeq;
    }
    return { count, root: merkleRootOfLeaves(Buffer.concat(pages)) };
  }
}
