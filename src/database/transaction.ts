import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** An open transaction, passed from the service that owns it to the repositories it calls. */
export type Tx = EntityManager;

/** Services own their transactions (STYLE §6) without importing TypeORM. */
@Injectable()
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `work` in one READ COMMITTED transaction. Deadlocks and serialization failures (which
   * Postgres resolves by aborting one side) are retried a few times with jitter, never reported
   * to the caller as a business error.
   */
  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.retrying(() => this.dataSource.transaction(work));
  }

  /** Retries a single autocommitted statement (or a whole transaction) on deadlock/serialization. */
  async retrying<T>(attemptOnce: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await attemptOnce();
      } catch (error) {
        if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
  }
}

const MAX_ATTEMPTS = 5;

/** 40001 serialization_failure, 40P01 deadlock_detected. */
export function isRetryable(error: unknown): boolean {
  const code = pgError(error).code;
  return code === '40001' || code === '40P01';
}

export interface PgErrorFields {
  code?: string;
  constraint?: string;
}

export function pgError(error: unknown): PgErrorFields {
  const driverError = (error as { driverError?: PgErrorFields }).driverError ?? error;
  return driverError ?? {};
}

/** Postgres error helpers for repositories that turn constraint violations into domain errors. */
export function uniqueViolationConstraint(error: unknown): string | undefined {
  const driverError =
    (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? error;
  const { code, constraint } = driverError as { code?: string; constraint?: string };
  return code === '23505' ? constraint : undefined;
}

/**
 * The rows of an `UPDATE ... RETURNING` or `DELETE ... RETURNING` run through TypeORM's `query()`:
 * for those commands the Postgres driver answers `[rows, rowCount]` instead of `rows`, so taking
 * `result[0]` as the first row would see a (possibly empty) array as a hit.
 */
export function returnedRows<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}

interface PreparingClient {
  query<T>(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: T[] }>;
}

/**
 * A hot-path statement as a named prepared statement on the transaction's own connection:
 * Postgres parses and plans it once per pooled connection instead of on every call (the pledge's
 * statements are CTEs whose planning costs more than their execution). `name` must be unique per
 * statement text. Errors are the driver's own (`pgError` reads them the same way).
 */
export async function preparedQuery<T>(
  tx: Tx,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const runner = tx.queryRunner;
  if (!runner) throw new Error(`prepared statement ${name} needs a transaction`);
  const client = (await runner.connect()) as PreparingClient;
  return (await client.query<T>({ name, text, values })).rows;
}

/**
 * The same, outside a transaction: a read through the pool (each pooled connection prepares the
 * statement on first use). For the pledge's admission reads.
 */
export async function preparedRead<T>(
  dataSource: DataSource,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const pool = (dataSource.driver as unknown as { master: PreparingClient }).master;
  return (await pool.query<T>({ name, text, values })).rows;
}
