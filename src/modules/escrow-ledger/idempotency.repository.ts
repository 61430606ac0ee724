import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { preparedQuery, type Tx } from '../../database/transaction.js';

export interface IdempotencyRecord {
  requestHash: string;
  statusCode: number | null;
  response: unknown;
}

@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Claims the key inside the caller's transaction. A concurrent claim of the same key waits here
   * until the first transaction ends, then sees its committed record (or claims it if it aborted).
   */
  async claim(
    scope: string,
    key: string,
    requestHash: string,
    now: Date,
    tx: Tx,
  ): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO idempotency_records (scope, key, request_hash, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (scope, key) DO NOTHING RETURNING 1`,
      [scope, key, requestHash, now],
    );
    return rows.length === 1;
  }

  /**
   * The hot path's claim: the record is written complete, with its response, in one statement,
   * and the caller's serialisation lock (if any) is taken in the same round trip. Rolled back with
   * the transaction if the effect fails.
   */
  async claimCompleted(
    claim: {
      scope: string;
      key: string;
      requestHash: string;
      statusCode: number;
      response: unknown;
      now: Date;
      /** An advisory lock taken for the rest of the transaction (e.g. one investor's pledges). */
      lockKey: string | null;
    },
    tx: Tx,
  ): Promise<boolean> {
    const insert = `INSERT INTO idempotency_records (scope, key, request_hash, status_code, response, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scope, key) DO NOTHING RETURNING 1`;
    const values = [
      claim.scope,
      claim.key,
      claim.requestHash,
      claim.statusCode,
      JSON.stringify(claim.response),
      claim.now,
    ];
    const rows =
      claim.lockKey === null
        ? await preparedQuery<{ claimed: number }>(
            tx,
            'idempotency-claim-completed',
            `WITH claimed AS (${insert}) SELECT count(*)::int AS claimed FROM claimed`,
            values,
          )
        : await preparedQuery<{ claimed: number }>(
            tx,
            'idempotency-claim-completed-locked',
            `WITH claimed AS (${insert})
             SELECT count(*)::int AS claimed, (SELECT pg_advisory_xact_lock(hashtextextended($7, 0))::text) AS locked
             FROM claimed`,
            [...values, claim.lockKey],
          );
    return rows[0].claimed === 1;
  }

  async find(scope: string, key: string, tx?: Tx): Promise<IdempotencyRecord | null> {
    const rows: { request_hash: string; status_code: number | null; response: unknown }[] = await (
      tx ?? this.dataSource.manager
    ).query(
      `SELECT request_hash, status_code, response FROM idempotency_records WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    const r = rows[0];
    return r
      ? { requestHash: r.request_hash, statusCode: r.status_code, response: r.response }
      : null;
  }

  async complete(
    scope: string,
    key: string,
    statusCode: number,
    response: unknown,
    tx: Tx,
  ): Promise<void> {
    await tx.query(
      `UPDATE idempotency_records SET status_code = $3, response = $4 WHERE scope = $1 AND key = $2`,
      [scope, key, statusCode, JSON.stringify(response)],
    );
  }

  /** Remembers a rule failure (its own transaction: the failed effect was rolled back). */
  async rememberFailure(
    scope: string,
    key: string,
    requestHash: string,
    statusCode: number,
    response: unknown,
    now: Date,
  ): Promise<void> {
    await this.dataSource.manager.query(
      `INSERT INTO idempotency_records (scope, key, request_hash, status_code, response, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scope, key) DO NOTHING`,
      [scope, key, requestHash, statusCode, JSON.stringify(response), now],
    );
  }
}
