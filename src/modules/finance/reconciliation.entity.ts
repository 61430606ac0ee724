import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { UserEntity } from '../identity/user.entity.js';

/**
 * One reconciliation of the custody account against the custodian's statement (schema only: the
 * repository reads and writes with SQL). Append-only: a trigger rejects UPDATE and DELETE.
 */
@Entity('reconciliations')
@Index('reconciliations_run_at_idx', ['runAt', 'id'])
@Check('reconciliations_period_check', `"period_from" <= "period_to"`)
@Check('reconciliations_format_check', `"statement_format" IN ('CSV', 'JSONL')`)
@Check('reconciliations_sha256_check', `"statement_sha256" ~ '^[0-9a-f]{64}$'`)
@Check(
  'reconciliations_counts_check',
  `"statement_line_count" >= 0 AND "matched_count" >= 0 AND "unmatched_statement_count" >= 0 AND "unmatched_ledger_count" >= 0 AND "mismatch_count" >= 0 AND "statement_line_count" = "matched_count" + "unmatched_statement_count" + "mismatch_count"`,
)
@Check(
  'reconciliations_totals_check',
  `"statement_credits" >= 0 AND "statement_debits" >= 0 AND "ledger_credits" >= 0 AND "ledger_debits" >= 0`,
)
@Check('reconciliations_difference_check', `"difference" = "ledger_balance" - "closing_balance"`)
export class ReconciliationEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') runBy: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'run_by', foreignKeyConstraintName: 'reconciliations_run_by_fkey' })
  runner?: Relation<UserEntity>;

  @Column('timestamptz') runAt: Date;
  @Column('date') periodFrom: string;
  @Column('date') periodTo: string;
  @Column('char', { length: 3 }) currency: string;
  @Column('text') statementFormat: 'CSV' | 'JSONL';
  @Column('char', { length: 64 }) statementSha256: string;
  @Column('integer') statementLineCount: number;
  @Column('integer') matchedCount: number;
  @Column('integer') unmatchedStatementCount: number;
  @Column('integer') unmatchedLedgerCount: number;
  @Column('integer') mismatchCount: number;
  @Column('numeric', { precision: 20, scale: 2 }) statementCredits: string;
  @Column('numeric', { precision: 20, scale: 2 }) statementDebits: string;
  @Column('numeric', { precision: 20, scale: 2 }) ledgerCredits: string;
  @Column('numeric', { precision: 20, scale: 2 }) ledgerDebits: string;
  @Column('numeric', { precision: 20, scale: 2 }) closingBalance: string;
  @Column('numeric', { precision: 20, scale: 2 }) ledgerBalance: string;
  @Column('numeric', { precision: 20, scale: 2 }) difference: string;
}

/** One result line of a reconciliation: a statement line, a ledger transfer, or both. */
@Entity('reconciliation_lines')
@Check(
  'reconciliation_lines_outcome_check',
  `"outcome" IN ('MATCHED', 'UNMATCHED_STATEMENT', 'UNMATCHED_LEDGER', 'MISMATCH')`,
)
@Check(
  'reconciliation_lines_sides_check',
  `("statement_line" IS NULL) = ("outcome" = 'UNMATCHED_LEDGER') AND ("transfer_id" IS NULL) = ("outcome" = 'UNMATCHED_STATEMENT')`,
)
@Check(
  'reconciliation_lines_statement_check',
  `("statement_line" IS NULL) = ("statement_amount" IS NULL) AND ("statement_line" IS NULL) = ("statement_date" IS NULL) AND ("statement_line" IS NULL) = ("statement_direction" IS NULL)`,
)
@Check(
  'reconciliation_lines_ledger_check',
  `("transfer_id" IS NULL) = ("ledger_amount" IS NULL) AND ("transfer_id" IS NULL) = ("ledger_at" IS NULL) AND ("transfer_id" IS NULL) = ("ledger_direction" IS NULL)`,
)
@Check(
  'reconciliation_lines_direction_check',
  `"statement_direction" IN ('CREDIT', 'DEBIT') AND "ledger_direction" IN ('CREDIT', 'DEBIT')`,
)
@Check('reconciliation_lines_amount_check', `"statement_amount" > 0 AND "ledger_amount" > 0`)
export class ReconciliationLineEntity {
  @PrimaryColumn('uuid') reconciliationId: string;

  @ManyToOne(() => ReconciliationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'reconciliation_id',
    foreignKeyConstraintName: 'reconciliation_lines_reconciliation_id_fkey',
  })
  reconciliation?: Relation<ReconciliationEntity>;

  @PrimaryColumn('integer') position: number;
  @Column('text') outcome: 'MATCHED' | 'UNMATCHED_STATEMENT' | 'UNMATCHED_LEDGER' | 'MISMATCH';
  @Column('text', { nullable: true }) bankReference: string | null;
  @Column('integer', { nullable: true }) statementLine: number | null;
  @Column('date', { nullable: true }) statementDate: string | null;
  @Column('text', { nullable: true }) statementDirection: 'CREDIT' | 'DEBIT' | null;
  @Column('numeric', { precision: 20, scale: 2, nullable: true }) statementAmount: string | null;
  @Column('uuid', { nullable: true }) transferId: string | null;
  @Column('text', { nullable: true }) ledgerKind: string | null;
  @Column('text', { nullable: true }) ledgerDirection: 'CREDIT' | 'DEBIT' | null;
  @Column('numeric', { precision: 20, scale: 2, nullable: true }) ledgerAmount: string | null;
  @Column('timestamptz', { nullable: true }) ledgerAt: Date | null;
}

export const RECONCILIATION_ENTITIES = [ReconciliationEntity, ReconciliationLineEntity];
