import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';

/** How long a read waits for the replica to replay what the primary had committed (ms). */
export const REPLICA_MAX_WAIT_MS = Symbol('REPLICA_MAX_WAIT_MS');

/**
 * Where the finance office's reads run (issue 19). Without DATABASE_REPLICA_URL: the primary,
 * exactly as before. With it (TypeORM replication, `defaultMode: 'master'`, so nothing else in
 * the service reads from the replica by accident): on the streaming replica, once it has replayed
 * the primary's WAL up to the position the primary had when the read began. That staleness check
 * makes every replica read see every commit that finished before it started, its caller's own
 * writes included. A replica that lags more than the wait, or does not answer, is skipped: the
 * read goes to the primary, and `counts.fallback` says so.
 */
@Injectable()
export class ReadReplica {
  private readonly logger = new Logger('ReadReplica');
  readonly counts = { replica: 0, primary: 0, fallback: 0 };

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REPLICA_MAX_WAIT_MS) private readonly maxWaitMs: number,
  ) {}

  get enabled(): boolean {
    return this.dataSource.driver.isReplicated;
  }

  async query<T>(sql: string, params?: unknown[]): Promise<T> {
    const runner = await this.readRunner();
    try {
      return (await runner.query(sql, params)) as T;
    } finally {
      await runner.release();
    }
  }

  /** `work` in one REPEATABLE READ READ ONLY transaction (one snapshot) on the chosen server. */
  async snapshot<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    const runner = await this.readRunner();
    try {
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        const result = await work(runner.manager);
        await runner.query('COMMIT');
        return result;
      } catch (error) {
        await runner.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } finally {
      await runner.release();
    }
  }

  /** A connected runner on the replica when it is fresh enough, else on the primary. */
  async readRunner(): Promise<QueryRunner> {
    if (this.enabled) {
      const replica = await this.freshReplica().catch((error: unknown) => {
        this.logger.warn(`replica unavailable, reading from the primary: ${String(error)}`);
        return undefined;
      });
      if (replica) {
        this.counts.replica++;
        return replica;
      }
      this.counts.fallback++;
    }
    this.counts.primary++;
    const primary = this.dataSource.createQueryRunner('master');
    await primary.connect();
    return primary;
  }

  private async freshReplica(): Promise<QueryRunner | undefined> {
    const [{ lsn }] = await this.dataSource.query<{ lsn: string }[]>(
      `SELECT pg_current_wal_insert_lsn()::text AS lsn`,
    );
    const runner = this.dataSource.createQueryRunner('slave');
    try {
      await runner.connect();
      const deadline = Date.now() + this.maxWaitMs;
      for (;;) {
        const [{ caught }] = (await runner.query(
          `SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS caught`,
          [lsn],
        )) as { caught: boolean }[];
        if (caught) return runner;
        if (Date.now() >= deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    } catch (error) {
      await runner.release();
      throw error;
    }
    await runner.release();
    return undefined;
  }
}
