import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import {
  DomainError,
  type ErrorDetails,
  type ErrorKind,
  ValidationFailedError,
} from '../../common/errors/domain-error.js';
import { STATUS_OF_KIND } from '../../common/errors/error-status.js';
import { TransactionRunner, type Tx, type TxEnd } from '../../database/transaction.js';
import { IdempotencyKeyReusedError } from './ledger.errors.js';
import { IdempotencyRepository } from './idempotency.repository.js';

interface StoredFailure {
  failure: { code: string; kind: ErrorKind; message: string; details?: ErrorDetails };
}

const KEY_FORMAT = /^[A-Za-z0-9._:-]{1,200}$/;

/** Canonical hash of a request: the same method, route and body always hash the same. */
export function requestHash(parts: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(parts)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function requireIdempotencyKey(key: unknown): string {
  if (typeof key !== 'string' || !KEY_FORMAT.test(key)) {
    throw new ValidationFailedError([
      {
        field: 'Idempotency-Key',
        problems: ['header is required: 1-200 characters of A-Z a-z 0-9 . _ : -'],
      },
    ]);
  }
  return key;
}

/**
 * HTTP-level idempotency (DESIGN §4): the key and the request's hash are stored in the same
 * transaction as the effect. Same key and request: the original response again. Same key, other
 * request: 409 IDEMPOTENCY.KEY_REUSED. A rule violation (422) is remembered and replayed as such.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly records: IdempotencyRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /**
   * Runs a money-moving request once per key. `prepare` does the request's read-only checks before
   * the transaction opens (a transaction must never wait for a second pooled connection: under load
   * that exhausts the pool); `work` does the effect inside it, with the key claimed first.
   */
  async execute<T, P = undefined>(
    scope: string,
    key: string,
    hash: string,
    work: (tx: Tx, prepared: P) => Promise<T>,
    prepare?: () => Promise<P>,
    /**
     * The statements that lock hot rows (a campaign's escrow and counters): run last, after the
     * key's record is completed, so those locks are held for as short a time as possible.
     */
    hotSection?: (tx: Tx, prepared: P) => Promise<void>,
  ): Promise<{ body: T; replayed: boolean }> {
    try {
      if (await this.records.find(scope, key)) {
        return {
          body: await this.transactions.run((tx) => this.replay<T>(scope, key, hash, tx)),
          replayed: true,
        };
      }
      const prepared = prepare ? await prepare() : (undefined as P);
      return await this.transactions.run(async (tx) => {
        if (!(await this.records.claim(scope, key, hash, this.clock.now(), tx))) {
          return { body: await this.replay<T>(scope, key, hash, tx), replayed: true };
        }
        const body = await work(tx, prepared);
        await this.records.complete(scope, key, 200, body, tx);
        if (hotSection) await hotSection(tx, prepared);
        return { body, replayed: false };
      });
    } catch (error) {
      await this.rememberRuleFailure(scope, key, hash, error);
      throw error;
    }
  }

  /**
   * The hot-path form, for requests whose response follows from their checks (a pledge): `prepare`
   * runs the read-only, side-effect-free checks before any transaction; the key is then claimed
   * with its response already written and the `serializeOn` lock taken, in one statement; `work`
   * does the effect. A replay costs no extra read on the first attempt's path: when the checks
   * fail, the key is looked up before the failure is answered, so a replay of an accepted request
   * still gets its original response. `work` may end the transaction with its last statement
   * (`TxEnd.commitWith`); otherwise it commits after `work`.
   */
  async executePrepared<T, P>(
    scope: string,
    key: string,
    hash: string,
    steps: {
      prepare: () => Promise<P>;
      respond: (prepared: P) => T;
      serializeOn?: (prepared: P) => string;
      work: (tx: Tx, prepared: P, end: TxEnd) => Promise<void>;
    },
  ): Promise<{ body: T; replayed: boolean }> {
    try {
      let prepared: P;
      try {
        prepared = await steps.prepare();
      } catch (error) {
        if (error instanceof DomainError && (await this.records.find(scope, key))) {
          return { body: await this.replay<T>(scope, key, hash), replayed: true };
        }
        throw error;
      }
      const body = steps.respond(prepared);
      return await this.transactions.runEnding(async (tx, end) => {
        const claimed = await this.records.claimCompleted(
          {
            scope,
            key,
            requestHash: hash,
            statusCode: 200,
            response: body,
            now: this.clock.now(),
            lockKey: steps.serializeOn?.(prepared) ?? null,
          },
          tx,
        );
        if (!claimed) return { body: await this.replay<T>(scope, key, hash, tx), replayed: true };
        await steps.work(tx, prepared, end);
        return { body, replayed: false };
      });
    } catch (error) {
      await this.rememberRuleFailure(scope, key, hash, error);
      throw error;
    }
  }

  private async rememberRuleFailure(
    scope: string,
    key: string,
    hash: string,
    error: unknown,
  ): Promise<void> {
    if (!(error instanceof DomainError) || error.kind !== 'RULE_VIOLATION') return;
    const stored: StoredFailure = {
      failure: {
        code: error.code,
        kind: error.kind,
        message: error.message,
        details: error.details,
      },
    };
    await this.records.rememberFailure(
      scope,
      key,
      hash,
      STATUS_OF_KIND[error.kind],
      stored,
      this.clock.now(),
    );
  }

  private async replay<T>(scope: string, key: string, hash: string, tx?: Tx): Promise<T> {
    const record = await this.records.find(scope, key, tx);
    if (!record) throw new Error('idempotency record vanished');
    if (record.requestHash !== hash) throw new IdempotencyKeyReusedError();
    const response = record.response as T | StoredFailure;
    if (response !== null && typeof response === 'object' && 'failure' in response) {
      const f = response.failure;
      throw new DomainError(f.code, f.kind, f.message, f.details);
    }
    return response;
  }
}
