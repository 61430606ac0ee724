import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { BLOCK_ENCODING, TRANSFER_ENCODING, transferHash } from '../escrow-ledger/canonical.js';
import type { Block } from '../escrow-ledger/ledger.types.js';
import {
  type JournalAccount,
  JournalRepository,
  type JournalTransfer,
} from './journal.repository.js';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportAccountLine,
  type ExportBlockLine,
  type ExportHeaderLine,
  type ExportTransferLine,
} from './ledger-export.format.js';

const BATCH_SIZE = 2000;

const transferLine = (t: JournalTransfer): ExportTransferLine => ({
  type: 'transfer',
  id: t.id,
  seq: t.seq,
  kind: t.kind,
  status: t.status,
  debitAccount: t.debitAccountCode,
  creditAccount: t.creditAccountCode,
  amount: t.amount,
  currency: t.currency,
  pendingId: t.pendingId,
  reference: t.reference,
  createdAt: t.createdAt.toISOString(),
  hash: transferHash(t),
  blockHeight: t.blockHeight,
});

const blockLine = (b: Block): ExportBlockLine => ({
  type: 'block',
  height: b.height,
  fromTxId: b.fromTxId,
  toTxId: b.toTxId,
  transferCount: b.transferCount,
  firstSeq: b.firstSeq,
  lastSeq: b.lastSeq,
  merkleRoot: b.merkleRoot,
  prevHash: b.prevHash,
  hash: b.hash,
  encoding: b.encoding,
  sealedAt: b.sealedAt.toISOString(),
});

const accountLine = (a: JournalAccount): ExportAccountLine => ({ type: 'account', ...a });

/**
 * `ledger:export`: the whole ledger as JSON lines from one consistent snapshot, for an auditor who
 * verifies it offline (offline-verifier.ts). Streamed batch by batch; nothing is built in memory.
 */
@Injectable()
export class LedgerExportService {
  constructor(
    private readonly journal: JournalRepository,
    private readonly clock: Clock,
  ) {}

  export(): Readable {
    const snapshot = this.journal.ledgerSnapshot(BATCH_SIZE);
    const exportedAt = this.clock.now().toISOString();
    async function* lines(): AsyncGenerator<string> {
      try {
        for await (const batch of snapshot) {
          if (batch.section === 'counts') {
            const header: ExportHeaderLine = {
              type: 'header',
              format: EXPORT_FORMAT,
              version: EXPORT_VERSION,
              transferEncoding: TRANSFER_ENCODING,
              blockEncoding: BLOCK_ENCODING,
              exportedAt,
              counts: batch.counts,
            };
            yield `${JSON.stringify(header)}\n`;
            continue;
          }
          let chunk = '';
          if (batch.section === 'transfers')
            for (const t of batch.rows) chunk += `${JSON.stringify(transferLine(t))}\n`;
          if (batch.section === 'blocks')
            for (const b of batch.rows) chunk += `${JSON.stringify(blockLine(b))}\n`;
          if (batch.section === 'accounts')
            for (const a of batch.rows) chunk += `${JSON.stringify(accountLine(a))}\n`;
          yield chunk;
        }
      } finally {
        await snapshot.return(undefined);
      }
    }
    return Readable.from(lines(), { objectMode: false });
  }
}
