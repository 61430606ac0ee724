import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';

/** An open transaction, passed from the service that owns it to the repositories it calls. */
export type Tx = EntityManager;

/**
 * Ends a transaction with its last statement (issue 18): `statement` and COMMIT go to Postgres as
 * one simple-protocol query, one round trip, so the locks the statement takes are held only while
 * it runs and the commit flushes, not while its answer travels back and the next one is sent. If
 * the statement fails, nothing after it runs and the transaction is rolled back as usual; its
 * values must be literals (`literal`), as the simple protocol carries no parameters.
 */
export interface TxEnd {
  commitWith(statement: string): Promise<void>;
  /** The Postgres literal of a value, escaped by the driver. */
  readonly literal: (value: string) => string;
}

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
    return this.runEnding((tx) => work(tx));
  }

  /** The same, where `work` may end the transaction with its last statement (`TxEnd`). */
  runEnding<T>(work: (tx: Tx, end: TxEnd) => Promise<T>): Promise<T> {
    return this.retrying(async () => {
      const runner = this.dataSource.createQueryRunner();
      try {
        // START TRANSACTION sent by the driver itself: TypeORM's startTransaction wraps it in its
        // query logging, timing and transaction events (no subscribers here), 2 % of the service's
        // CPU on the pledge path (issue 18). The runner is then told, as it would tell itself.
        const client = (await runner.connect()) as EndingClient;
        await client.query('START TRANSACTION');
        markStarted(runner);
        let ended = false;
        const end: TxEnd = {
          literal: (value) => client.escapeLiteral(value),
          commitWith: async (statement) => {
            if (ended || !isOutermost(runner)) throw new Error('not an open outermost transaction');
            ended = true;
            await client.query(`${statement}; COMMIT`);
            markCommitted(runner);
          },
        };
        const result = await work(runner.manager, end);
        if (!ended) await runner.commitTransaction();
        return result;
      } catch (error) {
        // A failed statement or COMMIT: ROLLBACK (a no-op warning when COMMIT already ended it).
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      } finally {
        await runner.release();
      }
    });
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

interface EndingClient {
  query(text: string): Promise<unknown>;
  escapeLiteral(value: string): string;
}

type RunnerState = { isTransactionActive: boolean; transactionDepth: number };

function isOutermost(runner: QueryRunner): boolean {
  const state = runner as unknown as RunnerState;
  return state.isTransactionActive && state.transactionDepth === 1;
}

/** Tells TypeORM's runner that the transaction it would have started is open. */
function markStarted(runner: QueryRunner): void {
  const state = runner as unknown as RunnerState;
  state.isTransactionActive = true;
  state.transactionDepth = 1;
}

/** Tells TypeORM's runner that the COMMIT it would send was sent with the last statement. */
function markCommitted(runner: QueryRunner): void {
  const state = runner as unknown as RunnerState;
  state.isTransactionActive = false;
  state.transactionDepth = 0;
}

/** 40001 serialization_failure, 40P01 deadlock_detected. */
export function isRetryable(error: unknown): boolean {
  const code = pgError(error).code;
  return code === '40001' || code === '40P01';
}

export interface PgErrorFields {
  code?: string;
  constraint?: string;
  detail?: string;
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
