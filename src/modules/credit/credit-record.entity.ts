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
import type { CreditKind, CreditSeverity } from './credit.types.js';

/**
 * A platform credit record (PLAT-03). Never deleted and never edited, except once to lift it
 * (a trigger in the migration enforces both); mirrors migrations/1764600000000-credit.ts exactly.
 */
@Entity('credit_records')
@Index('credit_records_user_idx', ['userId', 'createdAt', 'id'])
@Index('credit_records_created_idx', ['createdAt', 'id'])
@Check(
  'credit_records_kind_check',
  `"kind" IN ('DEFAULT', 'MISREPRESENTATION', 'REPEATED_FINANCING', 'FRAUD', 'CITY_CREDIT_SYSTEM', 'OTHER')`,
)
@Check('credit_records_severity_check', `"severity" IN ('WARNING', 'BLOCKING')`)
@Check('credit_records_source_check', `char_length("source") BETWEEN 1 AND 100`)
@Check('credit_records_note_check', `char_length("note") BETWEEN 1 AND 1000`)
@Check(
  'credit_records_effective_check',
  `"effective_until" IS NULL OR "effective_until" > "effective_from"`,
)
@Check(
  'credit_records_lift_check',
  `("lifted_at" IS NULL AND "lifted_by" IS NULL AND "lift_reason" IS NULL) OR ("lifted_at" IS NOT NULL AND "lifted_by" IS NOT NULL AND "lift_reason" IS NOT NULL)`,
)
@Check(
  'credit_records_lift_reason_check',
  `"lift_reason" IS NULL OR char_length("lift_reason") BETWEEN 1 AND 500`,
)
export class CreditRecordEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'credit_records_user_id_fkey' })
  user?: Relation<UserEntity>;

  @Column('text')
  kind: CreditKind;

  @Column('text')
  severity: CreditSeverity;

  @Column('text')
  source: string;

  @Column('timestamptz')
  effectiveFrom: Date;

  @Column('timestamptz', { nullable: true })
  effectiveUntil: Date | null;

  @Column('text')
  note: string;

  /** The ADMIN who recorded it; null for a record the platform made by rule (a loan overdue or in
   * default, a late reward delivery, a missing fund-use report). */
  @Column('uuid', { nullable: true })
  createdBy: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'credit_records_created_by_fkey' })
  creator?: Relation<UserEntity>;

  @Column('timestamptz')
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  liftedAt: Date | null;

  @Column('uuid', { nullable: true })
  liftedBy: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'lifted_by', foreignKeyConstraintName: 'credit_records_lifted_by_fkey' })
  lifter?: Relation<UserEntity>;

  @Column('text', { nullable: true })
  liftReason: string | null;
}
