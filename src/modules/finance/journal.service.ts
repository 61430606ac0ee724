import { Readable, pipeline } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import { Clock } from '../../common/clock/clock.js';
import { transferHash } from '../escrow-ledger/canonical.js';
import { JournalRangeError } from './journal.errors.js';
import { JournalRepository, type JournalTransfer } from './journal.repository.js';

/** Rows per FETCH: big enough to amortise the round trip, small enough to keep memory flat. */
export const JOURNAL_BATCH_SIZE = 1000;

/** The journal's columns, in order (README "The journal export"). */
export const JOURNAL_COLUMNS = [
  'seq',
  'id',
  'createdAt',
  'kind',
  'status',
  'debitAccount',
  'creditAccount',
  'amount',
  'currency',
  'pendingId',
  'reference',
  'hash',
  'blockHeight',
] as const;

export interface JournalExport {
  filename: string;
  stream: Readable;
}

const journalRecord = (t: JournalTransfer): string[] => [
  t.seq,
  t.id,
  t.createdAt.toISOString(),
  t.kind,
  t.status,
  t.debitAccountCode,
  t.creditAccountCode,
  t.amount,
  t.currency,
  t.pendingId ?? '',
  t.reference ?? '',
  transferHash(t),
  t.blockHeight ?? '',
];

const compact = (d: Date): string => d.toISOString().replace(/[-:]|\.\d{3}/g, '');

/** `GET /finance/journal.csv`: every transfer in a createdAt window as RFC 4180 CSV, streamed. */
@Injectable()
export class JournalService {
  private readonly logger = new Logger(JournalService.name);

  constructor(
    private readonly journal: JournalRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Opens the export. The first batch is read before the stream is handed out, so a database that
   * cannot be reached is an ordinary error response rather than a cut-off file.
   */
  async csv(range: { from?: string; to?: string }): Promise<JournalExport> {
    const from = range.from === undefined ? undefined : new Date(range.from);
    const to = range.to === undefined ? undefined : new Date(range.to);
    if (from && to && from.getTime() >= to.getTime()) {
      throw new JournalRangeError(range.from ?? '', range.to ?? '');
    }
    const batches = this.journal.journal({ from, to }, JOURNAL_BATCH_SIZE);
    const first = await batches.next();
    async function* records(): AsyncGenerator<string[]> {
      try {
        if (first.done) return;
        for (const t of first.value) yield journalRecord(t);
        for await (const batch of batches) for (const t of batch) yield journalRecord(t);
      } finally {
        // A destroyed stream (client gone) lands here: close the cursor's transaction now.
        await batches.return(undefined);
      }
    }
    const csv = stringify({
      header: true,
      columns: [...JOURNAL_COLUMNS],
      record_delimiter: 'windows', // RFC 4180: CRLF between records
      eof: true,
    });
    const stream = pipeline(Readable.from(records()), csv, (error) => {
      // Also when the stream was destroyed before the generator above ever started.
      batches.return(undefined).catch(() => undefined);
      if (error && error.code !== 'ERR_STREAM_PREMATURE_CLOSE') {
        this.logger.error(`journal export failed: ${error.message}`);
      }
    });
    const window = `${from ? compact(from) : 'start'}-${to ? compact(to) : compact(this.clock.now())}`;
    return { filename: `journal-${window}.csv`, stream };
  }
}
