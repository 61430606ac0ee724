import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { ConflictError, NotFoundError } from '../../common/errors/domain-error.js';
import { TransactionRunner } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import type { VerificationProgress } from '../escrow-ledger/index.js';
import { InvariantMonitorService, type MonitorReport } from './invariant-monitor.service.js';
import {
  type VerificationJobRecord,
  VerificationJobsRepository,
  type VerificationJobState,
  type VerificationJobStep,
} from './verification-jobs.repository.js';

/** What `POST /finance/verifications` and `GET /finance/verifications/:id` answer. */
export interface VerificationJob {
  id: string;
  mode: 'FULL' | 'INCREMENTAL';
  state: VerificationJobState;
  step: VerificationJobStep;
  blocksDone: number;
  blocksTotal: number;
  startedBy: string;
  startedAt: string;
  heartbeatAt: string;
  finishedAt: string | null;
  /** The same body as `GET /finance/verify` once DONE, with its named problems. */
  report: MonitorReport | null;
  error: string | null;
}

/** 409: one verification at a time; `details.id` is the one running. */
export class VerificationRunningError extends ConflictError {
  constructor(id: string) {
    super('FINANCE.VERIFICATION_RUNNING', 'A ledger verification is already running.', { id });
  }
}

/** Ticks between heartbeats when the progress has not moved (5 s at the default interval). */
const HEARTBEAT_TICKS = 20;
const ABANDONED = 'abandoned: the instance running it stopped before it finished';

/**
 * Ledger verification as a job (issue 17): the same run as `GET /finance/verify`
 * (InvariantMonitorService), started in the background, its progress (blocks recomputed of the
 * blocks to check, then the checks over every account) written to `verification_jobs` every
 * `writeIntervalMs` with a heartbeat, so any instance answers where it is. A RUNNING job whose
 * heartbeat is older than `staleAfterMs` was abandoned (its instance stopped): it is answered as
 * FAILED and no longer holds the one-at-a-time slot.
 */
@Injectable()
export class VerificationJobsService implements BeforeApplicationShutdown {
  static writeIntervalMs = 250;
  static staleAfterMs = 60_000;
  private readonly logger = new Logger('VerificationJobs');
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly jobs: VerificationJobsRepository,
    private readonly monitor: InvariantMonitorService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async start(user: AuthUser, options: { incremental: boolean }): Promise<VerificationJob> {
    const now = this.clock.now();
    const job = await this.transactions.run(async (tx) => {
      await this.jobs.lockStarts(tx);
      const running = await this.jobs.runningSince(this.aliveSince(now), tx);
      if (running) throw new VerificationRunningError(running.id);
      const inserted = await this.jobs.insertRunning(
        {
          id: randomUUID(),
          mode: options.incremental ? 'INCREMENTAL' : 'FULL',
          startedBy: user.id,
          startedAt: now,
        },
        tx,
      );
      await this.audit.append(
        {
          occurredAt: now,
          actorId: user.id,
          action: 'finance.verification.started',
          subjectType: 'verification-job',
          subjectId: inserted.id,
          details: { mode: inserted.mode },
        },
        tx,
      );
      return inserted;
    });
    const run = this.run(job.id, options.incremental).finally(() => this.running.delete(run));
    this.running.add(run);
    return this.view(job);
  }

  async find(id: string): Promise<VerificationJob> {
    const job = await this.jobs.find(id);
    if (!job) throw new NotFoundError('Verification', { id });
    return this.view(job);
  }

  /** A shutdown lets the runs in flight finish (each ends its row), rather than abandon them. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private async run(id: string, incremental: boolean): Promise<void> {
    let latest: VerificationProgress = { step: 'BLOCKS', blocksDone: 0, blocksTotal: 0 };
    let written: VerificationProgress | null = null;
    let ticks = 0;
    let writing: Promise<void> | null = null;
    // Each tick writes the progress if it moved, and a heartbeat every HEARTBEAT_TICKS either way;
    // never two writes at once (a slow one makes the next tick skip).
    const timer = setInterval(() => {
      ticks++;
      if (writing || (written === latest && ticks % HEARTBEAT_TICKS !== 0)) return;
      const current = latest;
      written = current;
      writing = this.jobs
        .progress(id, current, this.clock.now())
        .catch((error: unknown) => this.logger.warn({ id, error }, 'progress not written'))
        .finally(() => (writing = null));
    }, VerificationJobsService.writeIntervalMs);
    const stop = async () => {
      clearInterval(timer);
      await writing;
    };
    try {
      const report = await this.monitor.verify({
        incremental,
        onProgress: (p) => (latest = p),
      });
      await stop();
      await this.jobs.finish(id, { report }, latest, this.clock.now());
    } catch (error) {
      await stop();
      this.logger.error({ id, error }, 'ledger verification failed');
      const message = error instanceof Error ? error.message : String(error);
      await this.jobs
        .finish(id, { error: message.slice(0, 500) }, latest, this.clock.now())
        .catch((e: unknown) => this.logger.error({ id, error: e }, 'failure not recorded'));
    }
  }

  private aliveSince(now: Date): Date {
    return new Date(now.getTime() - VerificationJobsService.staleAfterMs);
  }

  private view(job: VerificationJobRecord): VerificationJob {
    const abandoned =
      job.state === 'RUNNING' && job.heartbeatAt < this.aliveSince(this.clock.now());
    return {
      id: job.id,
      mode: job.mode,
      state: abandoned ? 'FAILED' : job.state,
      step: job.step,
      blocksDone: job.blocksDone,
      blocksTotal: job.blocksTotal,
      startedBy: job.startedBy,
      startedAt: job.startedAt.toISOString(),
      heartbeatAt: job.heartbeatAt.toISOString(),
      finishedAt: job.finishedAt?.toISOString() ?? null,
      report: job.report,
      error: abandoned ? ABANDONED : job.error,
    };
  }
}
