import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '../../database/transaction.js';
import type { MonitorReport } from './invariant-monitor.service.js';

export type VerificationJobState = 'RUNNING' | 'DONE' | 'FAILED';
export type VerificationJobStep = 'STARTING' | 'BLOCKS' | 'CHECKS' | 'FINISHED';

/** One row of `verification_jobs` (migration 1765870000000). */
export interface VerificationJobRecord {
  id: string;
  mode: 'FULL' | 'INCREMENTAL';
  state: VerificationJobState;
  step: VerificationJobStep;
  blocksDone: number;
  blocksTotal: number;
  startedBy: string;
  startedAt: Date;
  heartbeatAt: Date;
  finishedAt: Date | null;
  report: MonitorReport | null;
  error: string | null;
}

interface Row {
  id: string;
  mode: VerificationJobRecord['mode'];
  state: VerificationJobState;
  step: VerificationJobStep;
  blocks_done: number;
  blocks_total: number;
  started_by: string;
  started_at: Date;
  heartbeat_at: Date;
  finished_at: Date | null;
  report: MonitorReport | null;
  error: string | null;
}

const COLUMNS = `id, mode, state, step, blocks_done, blocks_total, started_by, started_at,
  heartbeat_at, finished_at, report, error`;

const toRecord = (r: Row): VerificationJobRecord => ({
  id: r.id,
  mode: r.mode,
  state: r.state,
  step: r.step,
  blocksDone: r.blocks_done,
  blocksTotal: r.blocks_total,
  startedBy: r.started_by,
  startedAt: r.started_at,
  heartbeatAt: r.heartbeat_at,
  finishedAt: r.finished_at,
  report: r.report,
  error: r.error,
});

/** The finance module's verification jobs: their progress, written by the instance running each. */
@Injectable()
export class VerificationJobsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Serialises starts: two at once cannot both find no job running (released at commit). */
  async lockStarts(tx: Tx): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('verification_jobs.start'))`);
  }

  /** The latest RUNNING job whose heartbeat is not older than `aliveSince`, if any. */
  async runningSince(aliveSince: Date, tx: Tx): Promise<VerificationJobRecord | null> {
    const rows = await tx.query<Row[]>(
      `SELECT ${COLUMNS} FROM verification_jobs
       WHERE state = 'RUNNING' AND heartbeat_at >= $1 ORDER BY started_at DESC LIMIT 1`,
      [aliveSince],
    );
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }

  async insertRunning(
    job: Pick<VerificationJobRecord, 'id' | 'mode' | 'startedBy' | 'startedAt'>,
    tx: Tx,
  ): Promise<VerificationJobRecord> {
    const rows = await tx.query<Row[]>(
      `INSERT INTO verification_jobs (id, mode, state, step, started_by, started_at, heartbeat_at)
       VALUES ($1, $2, 'RUNNING', 'STARTING', $3, $4, $4) RETURNING ${COLUMNS}`,
      [job.id, job.mode, job.startedBy, job.startedAt],
    );
    return toRecord(rows[0]);
  }

  async find(id: string): Promise<VerificationJobRecord | null> {
    const rows = await this.dataSource.query<Row[]>(
      `SELECT ${COLUMNS} FROM verification_jobs WHERE id = $1`,
      [id],
    );
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }

  /** Progress and heartbeat of a job still running (a finished one is left as it ended). */
  async progress(
    id: string,
    progress: { step: VerificationJobStep; blocksDone: number; blocksTotal: number },
    at: Date,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE verification_jobs SET step = $2, blocks_done = $3, blocks_total = $4, heartbeat_at = $5
       WHERE id = $1 AND state = 'RUNNING'`,
      [id, progress.step, progress.blocksDone, progress.blocksTotal, at],
    );
  }

  /** Ends a RUNNING job with its last progress and the report (DONE) or why it broke (FAILED). */
  async finish(
    id: string,
    outcome: { report: MonitorReport } | { error: string },
    progress: { blocksDone: number; blocksTotal: number },
    at: Date,
  ): Promise<void> {
    const done = 'report' in outcome;
    await this.dataSource.query(
      `UPDATE verification_jobs
       SET state = $2, step = 'FINISHED', heartbeat_at = $3, finished_at = $3,
           blocks_done = $4, blocks_total = $5, report = $6::jsonb, error = $7
       WHERE id = $1 AND state = 'RUNNING'`,
      [
        id,
        done ? 'DONE' : 'FAILED',
        at,
        progress.blocksDone,
        progress.blocksTotal,
        done ? JSON.stringify(outcome.report) : null,
        done ? null : outcome.error,
      ],
    );
  }
}
