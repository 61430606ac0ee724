import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { IntervalJob } from '../../common/clock/interval-job.js';
import { ledgerConfig, type LedgerConfig } from '../../config/namespaces.js';
import { TransactionRunner } from '../../database/transaction.js';
import {
  BLOCK_ENCODING,
  blockHash,
  GENESIS_HASH,
  merkleRootOfLeaves,
  TRANSFER_ENCODING,
} from './canonical.js';
import { LedgerRepository } from './ledger.repository.js';
import { LedgerSealsRepository } from './ledger-seals.repository.js';
import type { Block } from './ledger.types.js';

/** The first block starts at the lowest possible transaction id. */
const FIRST_TX_ID = '1';

/**
 * Seals committed transfers into hash-chained blocks (INV-11). A block covers every transfer whose
 * transaction id lies in [fromTxId, toTxId), where toTxId never passes the commit horizon
 * (`pg_snapshot_xmin`): below it no transaction is still running, so no transfer can appear in a
 * sealed range later. Ledger writes never wait on the sealer, and sealers on several instances
 * take turns through an advisory lock.
 */
@Injectable()
export class SealerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job = new IntervalJob('Sealer', () => this.sealAll());

  constructor(
    private readonly ledger: LedgerRepository,
    private readonly seals: LedgerSealsRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(ledgerConfig.KEY) private readonly config: LedgerConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start(this.config.sealIntervalMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** Seals until nothing below the horizon is left; returns the blocks made. */
  async sealAll(): Promise<Block[]> {
    const made: Block[] = [];
    for (;;) {
      const block = await this.sealOnce();
      if (!block) return made;
      made.push(block);
    }
  }

  /** Seals at most one block; null when there is nothing to seal (or another sealer is busy). */
  sealOnce(): Promise<Block | null> {
    return this.transactions.run(async (tx) => {
      if (!(await this.ledger.tryLockSealer(tx))) return null;
      const last = await this.ledger.lastBlock(tx);
      const fromTxId = last?.toTxId ?? FIRST_TX_ID;
      const horizon = await this.ledger.commitHorizon(tx);
      if (BigInt(horizon) <= BigInt(fromTxId)) return null;
      const toTxId = await this.ledger.blockEnd(
        fromTxId,
        horizon,
        this.config.sealMaxTransfers,
        tx,
      );
      if (toTxId === null) return null;
      // Postgres hashes the rows (SQL_TRANSFER_LEAF); this process folds the Merkle tree.
      const leaves = await this.seals.leavesInTxRangePage(fromTxId, toTxId, '0', 2 ** 31 - 1, tx);
      const root = merkleRootOfLeaves(leaves.leaves);
      const height = (BigInt(last?.height ?? '0') + 1n).toString();
      const prevHash = last?.hash ?? GENESIS_HASH;
      const block: Block = {
        height,
        fromTxId,
        toTxId,
        transferCount: leaves.count,
        firstSeq: leaves.firstSeq,
        lastSeq: leaves.lastSeq,
        merkleRoot: root,
        prevHash,
        hash: blockHash({
          height,
          fromTxId,
          toTxId,
          transferCount: leaves.count,
          merkleRoot: root,
          prevHash,
        }),
        encoding: `${BLOCK_ENCODING}/${TRANSFER_ENCODING}`,
        sealedAt: this.clock.now(),
      };
      await this.ledger.insertBlock(block, tx);
      await this.ledger.checkpointBlock(height, tx); // issue 18: reads as of a past moment start here
      return block;
    });
  }
}
