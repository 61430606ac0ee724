import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  parse as parseUuid,
  stringify as uuidString,
  validate as isUuid,
  version as uuidVersion,
} from 'uuid';
import { Clock } from '../../common/clock/clock.js';
import type { Money } from '../../common/money/money.js';
import { rulePackConfig, type RulePackConfig } from '../../config/namespaces.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import {
  AccountNotFoundError,
  CurrencyMismatchError,
  IdempotencyKeyReusedError,
  TransferNotFoundError,
} from './ledger.errors.js';
import { translateWriteError } from './ledger.errors.js';
import { LedgerRepository } from './ledger.repository.js';
import type {
  AccountKind,
  KindSummedByReference,
  LedgerAccount,
  NewTransfer,
  Transfer,
  TransferKind,
} from './ledger.types.js';

export interface TransferRequest {
  /** Makes the call idempotent: the same key always means the same transfer (INV-10). */
  idempotencyKey: string;
  kind: TransferKind;
  debitAccount: string;
  creditAccount: string;
  amount: Money;
  reference?: string;
}

export interface ResolveRequest {
  pendingId: string;
  /** Defaults to one key per hold and action, so retries of the same resolution are replays. */
  idempotencyKey?: string;
}

/** The time-ordered UUID (version 7, RFC 9562) a key ends with, if any: e.g. `pledge:<id>`. */
function timeAnchor(idempotencyKey: string): Uint8Array | null {
  const tail = idempotencyKey.slice(-36);
  return isUuid(tail) && uuidVersion(tail) === 7 ? parseUuid(tail) : null;
}

/**
 * The transfer id derived from its idempotency key: same key, same transfer id.
 *
 * Usually a UUID of version 8 (RFC 9562) made of the key's SHA-256. Where the key ends with a
 * version 7 UUID (a pledge's id; a hold made for one, for its post or void), the id is a version 7
 * UUID instead: the anchor's 48-bit millisecond time, then the hash. Ids made near one moment then
 * sit side by side in the transfer indexes (primary key, `pending_id`), so settling a campaign's
 * holds writes a few index pages instead of one per hold wherever random ids fell in years of
 * history (issue 18: the settle's WAL was full-page images of those pages). A hold made before
 * this (a version 8 id) keeps resolving to the version 8 id it always had.
 *
 * Its SQL twin is `ledger_transfer_id(key)` (migration 1766060000000), with which settlement posts
 * holds inside Postgres; test/ledger-transfer-id-sql.spec.ts holds the two to the same bytes.
 */
export function transferIdFor(idempotencyKey: string): string {
  const h = createHash('sha256').update(`zc-ledger:${idempotencyKey}`).digest();
  const anchor = timeAnchor(idempotencyKey);
  if (anchor) h.set(anchor.subarray(0, 6), 0);
  h[6] = (h[6] & 0x0f) | (anchor ? 0x70 : 0x80);
  h[8] = (h[8] & 0x3f) | 0x80;
  return uuidString(h.subarray(0, 16));
}

interface AccountRef {
  id: string;
  currency: string;
}

/**
 * The escrow ledger's API inside the app (DESIGN §4): open accounts, move money directly
 * (`transfer`), in two phases (`hold`, then `post` or `void`), and in batches for settlement.
 * Every call is one transaction (or joins the caller's `tx`) and is idempotent by its key: a
 * retry returns the original transfer, a different request under the same key is refused.
 */
@Injectable()
export class LedgerService {
  /** Account ids and currencies never change, so code -> id lookups are cached. */
  private readonly refs = new Map<string, AccountRef>();

  constructor(
    private readonly ledger: LedgerRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(rulePackConfig.KEY) private readonly rulePack: RulePackConfig,
  ) {}

  get currency(): string {
    return this.rulePack.currency;
  }

  async openAccount(
    code: string,
    kind: AccountKind,
    currency = this.currency,
    tx?: Tx,
  ): Promise<LedgerAccount> {
    const account = await this.ledger.ensureAccount(
      { id: randomUUID(), code, kind, currency, createdAt: this.clock.now() },
      tx,
    );
    if (account.kind !== kind || account.currency !== currency) {
      throw new Error(`account ${code} exists as ${account.kind} in ${account.currency}`);
    }
    // Only committed knowledge is cached: inside a caller's transaction the row may yet roll back.
    if (!tx) this.refs.set(code, { id: account.id, currency: account.currency });
    return account;
  }

  /** Opens the account unless this process already knows it exists (no round trip then). */
  async ensureAccount(
    code: string,
    kind: AccountKind,
    currency = this.currency,
    tx?: Tx,
  ): Promise<void> {
    if (this.refs.has(code)) return;
    await this.openAccount(code, kind, currency, tx);
  }

  /**
   * Learns an account's id if it exists, without opening it: a cheap read a caller can make in a
   * batch of parallel reads, so that its ensureAccount afterwards needs no round trip (issue 18: a
   * pledge on a campaign this process had not seen opened its escrow account in a statement of
   * its own, after its reads). Committed rows only (outside any transaction), of the kind asked.
   */
  async learnAccount(code: string, kind: AccountKind): Promise<void> {
    if (this.refs.has(code)) return;
    const account = await this.ledger.findAccountRef(code);
    if (account && account.kind === kind && !this.refs.has(code))
      this.refs.set(code, { id: account.id, currency: account.currency });
  }

  async account(code: string, tx?: Tx): Promise<LedgerAccount> {
    const account = await this.ledger.findAccountByCode(code, tx);
    if (!account) throw new AccountNotFoundError(code);
    return account;
  }

  findAccount(code: string, tx?: Tx): Promise<LedgerAccount | null> {
    return this.ledger.findAccountByCode(code, tx);
  }

  /** A POSTED transfer: money moves at once. */
  transfer(request: TransferRequest, tx?: Tx): Promise<Transfer> {
    return this.create(request, 'POSTED', tx);
  }

  /** Several POSTED transfers in one statement: all of them or none (a repayment's distribution). */
  async transferMany(requests: readonly TransferRequest[], tx?: Tx): Promise<Transfer[]> {
    if (requests.length === 0) return [];
    const rows: NewTransfer[] = [];
    for (const request of requests) rows.push(await this.row(request, 'POSTED', tx));
    return this.write(rows, tx);
  }

  /**
   * Posted amounts by reference (POSTED and POST rows), for the given transfer kinds; with
   * `before`, only transfers created before that instant.
   */
  sumPostedByReference(
    references: readonly string[],
    kinds: readonly KindSummedByReference[],
    tx?: Tx,
    before?: Date,
  ): Promise<Map<string, string>> {
    return this.ledger.sumPostedByReference(references, kinds, tx, before);
  }

  /** A PENDING transfer: the amount is held until posted or voided. */
  hold(request: TransferRequest, tx?: Tx): Promise<Transfer> {
    return this.create(request, 'PENDING', tx);
  }

  async post(request: ResolveRequest, tx?: Tx): Promise<Transfer> {
    return (await this.resolveMany([request.pendingId], 'POST', request.idempotencyKey, tx))[0];
  }

  async void(request: ResolveRequest, tx?: Tx): Promise<Transfer> {
    return (await this.resolveMany([request.pendingId], 'VOID', request.idempotencyKey, tx))[0];
  }

  /** Settlement's batch form: posts thousands of holds in one statement. */
  postMany(pendingIds: readonly string[], tx?: Tx): Promise<Transfer[]> {
    return this.resolveMany(pendingIds, 'POST', undefined, tx);
  }

  /**
   * Posts many holds in the caller's transaction in one statement, for settlement (issue 18): the
   * same rows as `postMany` (ids from the same keys, a replay is a no-op), built in SQL by
   * `ledger_post_holds`, without reading the holds back or returning the rows. A hold that does
   * not exist is TransferNotFoundError, and nothing is written.
   */
  async postHolds(pendingIds: readonly string[], tx: Tx): Promise<void> {
    if (pendingIds.length === 0) return;
    await this.ledger.postHolds(pendingIds, this.clock.now(), tx);
  }

  voidMany(pendingIds: readonly string[], tx?: Tx): Promise<Transfer[]> {
    return this.resolveMany(pendingIds, 'VOID', undefined, tx);
  }

  /**
   * The ledger's reading of a database error raised while another module's SQL placed `transfers`
   * through the ledger's functions (the pledge's locked section): an overdraft is
   * LEDGER.INSUFFICIENT_FUNDS (INV-5), and so on; anything else is returned as it was.
   */
  translateWriteError(error: unknown, transfers: readonly NewTransfer[]): unknown {
    return translateWriteError(error, transfers);
  }

  async getTransfer(id: string, tx?: Tx): Promise<Transfer> {
    const [found] = await this.ledger.findTransfers([id], tx);
    if (!found) throw new TransferNotFoundError(id);
    return found;
  }

  async findTransfer(id: string, tx?: Tx): Promise<Transfer | null> {
    const [found] = await this.ledger.findTransfers([id], tx);
    return found ?? null;
  }

  findResolution(pendingId: string, tx?: Tx): Promise<Transfer | null> {
    return this.ledger.findResolution(pendingId, tx);
  }

  /**
   * The row a hold will be, without writing it: accounts resolved (from the cache when opened
   * before), currencies checked, id derived from the key. For a caller that must write the hold
   * in the same statement as its own hot rows (the pledge, DESIGN §10).
   */
  prepareHold(request: TransferRequest, tx?: Tx): Promise<NewTransfer> {
    return this.row(request, 'PENDING', tx);
  }

  private async create(
    request: TransferRequest,
    status: 'POSTED' | 'PENDING',
    tx?: Tx,
  ): Promise<Transfer> {
    return this.write([await this.row(request, status, tx)], tx).then((rows) => rows[0]);
  }

  private async row(
    request: TransferRequest,
    status: 'POSTED' | 'PENDING',
    tx?: Tx,
  ): Promise<NewTransfer> {
    // In a transaction both lookups share its one connection: one after the other (pg 9).
    const [debit, credit] = tx
      ? [await this.ref(request.debitAccount, tx), await this.ref(request.creditAccount, tx)]
      : await Promise.all([this.ref(request.debitAccount), this.ref(request.creditAccount)]);
    if (debit.currency !== credit.currency || request.amount.currency !== debit.currency) {
      throw new CurrencyMismatchError({
        debit: debit.currency,
        credit: credit.currency,
        amount: request.amount.currency,
      });
    }
    const row: NewTransfer = {
      id: transferIdFor(request.idempotencyKey),
      kind: request.kind,
      status,
      debitAccountId: debit.id,
      creditAccountId: credit.id,
      amount: request.amount.toString(),
      currency: debit.currency,
      pendingId: null,
      reference: request.reference ?? null,
      createdAt: this.clock.now(),
    };
    return row;
  }

  private async resolveMany(
    pendingIds: readonly string[],
    status: 'POST' | 'VOID',
    idempotencyKey: string | undefined,
    tx?: Tx,
  ): Promise<Transfer[]> {
    if (pendingIds.length === 0) return [];
    // Holds never change once written, so reading them and inserting the resolutions need not share
    // a transaction: the unique index on pending_id decides any race.
    const work = async (t?: Tx): Promise<Transfer[]> => {
      const pending = await this.ledger.findTransfers(pendingIds, t);
      const byId = new Map(pending.map((p) => [p.id, p]));
      const now = this.clock.now();
      const rows = pendingIds.map((pendingId): NewTransfer => {
        const hold = byId.get(pendingId);
        if (!hold) throw new TransferNotFoundError(pendingId);
        return {
          id: transferIdFor(idempotencyKey ?? `${status.toLowerCase()}:${pendingId}`),
          kind: hold.kind,
          status,
          debitAccountId: hold.debitAccountId,
          creditAccountId: hold.creditAccountId,
          amount: hold.amount,
          currency: hold.currency,
          pendingId,
          reference: hold.reference,
          createdAt: now,
        };
      });
      return this.write(rows, t);
    };
    return work(tx);
  }

  /**
   * Inserts; rows that already existed (replays) must equal the request, or the key was reused.
   * Without a caller's transaction the insert is one autocommitted statement: the common path is a
   * single round trip, and the counters still move atomically with the row (in its trigger).
   */
  private async write(rows: NewTransfer[], tx?: Tx): Promise<Transfer[]> {
    const insert = () => this.ledger.insertTransfers(rows, tx);
    // Inside a caller's transaction a deadlock aborts the whole transaction: the caller retries it.
    const written = tx ? await insert() : await this.transactions.retrying(insert);
    const inserted = new Map(written.map((t) => [t.id, t]));
    const replayedIds = rows.filter((r) => !inserted.has(r.id)).map((r) => r.id);
    const replayed = new Map(
      (await this.ledger.findTransfers(replayedIds, tx)).map((t) => [t.id, t]),
    );
    return rows.map((row) => {
      const fresh = inserted.get(row.id);
      if (fresh) return fresh;
      const existing = replayed.get(row.id);
      if (!existing) throw new Error(`transfer ${row.id} neither inserted nor found`);
      if (!sameEffect(existing, row)) throw new IdempotencyKeyReusedError();
      return existing;
    });
  }

  private async ref(code: string, tx?: Tx): Promise<AccountRef> {
    const cached = this.refs.get(code);
    if (cached) return cached;
    const account = await this.ledger.findAccountByCode(code, tx);
    if (!account) throw new AccountNotFoundError(code);
    const ref = { id: account.id, currency: account.currency };
    if (!tx) this.refs.set(code, ref); // a row read inside a transaction may not be committed
    return ref;
  }
}

function sameEffect(stored: Transfer, requested: NewTransfer): boolean {
  return (
    stored.kind === requested.kind &&
    stored.status === requested.status &&
    stored.debitAccountId === requested.debitAccountId &&
    stored.creditAccountId === requested.creditAccountId &&
    stored.amount === requested.amount &&
    stored.currency === requested.currency &&
    stored.pendingId === requested.pendingId &&
    stored.reference === requested.reference
  );
}
