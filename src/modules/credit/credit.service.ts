import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError, ValidationFailedError } from '../../common/errors/domain-error.js';
import { NOTICES, type NoticeSink } from '../../common/notices/notices.port.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import { type Tx, TransactionRunner } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { UserDirectory } from '../identity/index.js';
import type { CreditRecordEntity } from './credit-record.entity.js';
import { CreditRecordAlreadyLiftedError, MarketAccessDeniedError } from './credit.errors.js';
import { isInForce } from './credit.policy.js';
import { CreditRepository } from './credit.repository.js';
import type {
  CreditKind,
  CreditRecordsFilter,
  CreditSeverity,
  RecordCreditInput,
} from './credit.types.js';

const RULES = ['PLAT-03'];

/** Called inside the transaction that records a BLOCKING record in force (PLAT-03). */
export type BlockingRecordListener = (
  record: { id: string; userId: string; kind: CreditKind },
  tx: Tx,
) => Promise<void>;

export interface CreditRecordView {
  id: string;
  userId: string;
  kind: CreditKind;
  severity: CreditSeverity;
  source: string;
  effectiveFrom: string;
  effectiveUntil: string | null;
  note: string;
  createdBy: string | null;
  createdAt: string;
  liftedAt: string | null;
  liftedBy: string | null;
  liftReason: string | null;
  /** In force at the time of the answer (PLAT-03); a BLOCKING record in force denies market access. */
  active: boolean;
}

/**
 * The platform credit ledger (PLAT-03): admins record and lift credit records; BLOCKING records in
 * force deny market access, which campaign submission and pledging check through
 * `assertMarketAccess`. Every change writes an audit event in the same transaction.
 */
@Injectable()
export class CreditService {
  private readonly blockingListeners: BlockingRecordListener[] = [];

  constructor(
    private readonly repo: CreditRepository,
    private readonly users: UserDirectory,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(NOTICES) private readonly notices: NoticeSink,
  ) {}

  /**
   * Modules that must act on a founder's block in the same transaction (the campaign module
   * suspends LIVE campaigns) register here; the credit module knows none of them (DESIGN §2).
   */
  onBlockingRecord(listener: BlockingRecordListener): void {
    this.blockingListeners.push(listener);
  }

  async record(adminId: string, input: RecordCreditInput): Promise<CreditRecordView> {
    recordWindow(input, this.clock.now());
    if (!(await this.users.findUserById(input.userId)))
      throw new NotFoundError('User', { userId: input.userId });
    return this.transactions.run((tx) => this.recordIn(adminId, input, tx));
  }

  /**
   * Records a credit record inside the caller's transaction, so it commits with the change that
   * caused it. `actorId` null: the platform recorded it by rule (a founder's unpaid late-delivery
   * refund, a charity's missing fund-use report), not an ADMIN.
   */
  async recordIn(
    actorId: string | null,
    input: RecordCreditInput,
    tx: Tx,
  ): Promise<CreditRecordView> {
    const now = this.clock.now();
    const { effectiveFrom, effectiveUntil } = recordWindow(input, now);
    const adminId = actorId;
    const record: CreditRecordEntity = {
      id: randomUUID(),
      userId: input.userId,
      kind: input.kind,
      severity: input.severity,
      source: input.source,
      effectiveFrom,
      effectiveUntil,
      note: input.note,
      createdBy: adminId,
      createdAt: now,
      liftedAt: null,
      liftedBy: null,
      liftReason: null,
    };
    await this.repo.insert(record, tx);
    await this.audit.append(
      {
        occurredAt: now,
        actorId: adminId,
        action: 'credit.recorded',
        subjectType: 'credit_record',
        subjectId: record.id,
        // The note stays out of the audit trail: it may hold sensitive findings.
        details: {
          rules: RULES,
          userId: record.userId,
          kind: record.kind,
          severity: record.severity,
          source: record.source,
          effectiveFrom: effectiveFrom.toISOString(),
          effectiveUntil: effectiveUntil?.toISOString() ?? null,
        },
      },
      tx,
    );
    // PLAT-03: the user hears of the record (never of the note).
    const params = { kind: record.kind, severity: record.severity };
    await this.notices.record(
      [
        {
          recipientId: record.userId,
          type: 'credit.recorded',
          params: { ...params, effectiveFrom: effectiveFrom.toISOString() },
        },
      ],
      tx,
    );
    // A record effective later is applied by the campaign sweep once it is in force.
    if (record.severity === 'BLOCKING' && isInForce(record, now)) {
      for (const listener of this.blockingListeners)
        await listener({ id: record.id, userId: record.userId, kind: record.kind }, tx);
    }
    return toView(record, now);
  }

  /**
   * A record the platform itself makes (issue 14: a loan overdue or in default), open-ended until
   * lifted, inside the caller's transaction; `createdBy` is null.
   */
  recordAutomatic(
    input: Omit<RecordCreditInput, 'effectiveFrom' | 'effectiveUntil'>,
    tx: Tx,
  ): Promise<CreditRecordView> {
    return this.recordIn(null, input, tx);
  }

  /** PLAT-03: of these users, those denied market access now, with one of their records. */
  async blockedAmong(
    userIds: readonly string[],
  ): Promise<Map<string, { recordId: string; kind: CreditKind }>> {
    const rows = await this.repo.blockingAmong(userIds, this.clock.now());
    return new Map(rows.map((r) => [r.userId, { recordId: r.id, kind: r.kind }]));
  }

  /** One cursor page of credit records, newest first (issue 16). */
  list(
    filter: CreditRecordsFilter,
    page: { cursor?: string; limit: number },
  ): Promise<Page<CreditRecordView>> {
    const now = this.clock.now();
    return this.repo.list(filter, page, now, (row) => toView(row, now));
  }

  /** Lifts a record once; who, when and why are kept on the record and in the audit trail. */
  lift(adminId: string, id: string, reason: string): Promise<CreditRecordView> {
    return this.transactions.run(async (tx) => {
      const record = await this.repo.lockForLift(id, tx);
      if (!record) throw new NotFoundError('Credit record', { id });
      if (record.liftedAt) throw new CreditRecordAlreadyLiftedError(record.liftedAt);
      const now = this.clock.now();
      const lift = { liftedAt: now, liftedBy: adminId, liftReason: reason };
      await this.repo.markLifted(id, lift, tx);
      await this.audit.append(
        {
          occurredAt: now,
          actorId: adminId,
          action: 'credit.lifted',
          subjectType: 'credit_record',
          subjectId: id,
          details: {
            rules: RULES,
            userId: record.userId,
            kind: record.kind,
            severity: record.severity,
            wasInForce: isInForce(record, now),
          },
        },
        tx,
      );
      await this.notices.record(
        [{ recipientId: record.userId, type: 'credit.lifted', params: { kind: record.kind } }],
        tx,
      );
      return toView({ ...record, ...lift }, now);
    });
  }

  /**
   * PLAT-03: throws CREDIT.MARKET_ACCESS_DENIED (403) when the user has a BLOCKING record in
   * force now. WARNING records never block. Pass `tx` to check inside the caller's transaction.
   */
  async assertMarketAccess(userId: string, tx?: Tx): Promise<void> {
    const now = this.clock.now();
    // The common answer (no record) from one prepared statement; the records only for the refusal.
    if (!tx && !(await this.repo.anyBlockingInForce(userId, now))) return;
    const blocking = await this.repo.blockingInForce(userId, now, tx);
    if (blocking.length === 0) return;
    const denied = new MarketAccessDeniedError(blocking);
    // CONV-05: every denial is on the audit trail (outside any caller transaction, which rolls back).
    await this.audit.append({
      occurredAt: now,
      actorId: userId,
      action: 'credit.market_access_denied',
      subjectType: 'user',
      subjectId: userId,
      details: { code: denied.code, ...denied.details, inputs: { records: blocking.length } },
    });
    throw denied;
  }
}

/** When a new record is in force; effectiveUntil must come after effectiveFrom (400 otherwise). */
function recordWindow(
  input: RecordCreditInput,
  now: Date,
): { effectiveFrom: Date; effectiveUntil: Date | null } {
  const effectiveFrom = input.effectiveFrom ?? now;
  const effectiveUntil = input.effectiveUntil ?? null;
  if (effectiveUntil !== null && effectiveUntil.getTime() <= effectiveFrom.getTime()) {
    throw new ValidationFailedError([
      {
        field: 'effectiveUntil',
        problems: [`effectiveUntil must be after effectiveFrom (${effectiveFrom.toISOString()})`],
      },
    ]);
  }
  return { effectiveFrom, effectiveUntil };
}

function toView(r: CreditRecordEntity, now: Date): CreditRecordView {
  return {
    id: r.id,
    userId: r.userId,
    kind: r.kind,
    severity: r.severity,
    source: r.source,
    effectiveFrom: r.effectiveFrom.toISOString(),
    effectiveUntil: r.effectiveUntil?.toISOString() ?? null,
    note: r.note,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    liftedAt: r.liftedAt?.toISOString() ?? null,
    liftedBy: r.liftedBy,
    liftReason: r.liftReason,
    active: isInForce(r, now),
  };
}
