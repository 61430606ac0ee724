import {
  Check,
  Column,
  Entity,
  JoinColumn,
  OneToOne,
  PrimaryColumn,
  type Relation,
  Unique,
} from 'typeorm';
import type { IdKind } from './identity.types.js';
import { UserEntity } from './user.entity.js';

/**
 * A user's verified real-name identity (PLAT-01). Names and numbers are ciphertext from the PII
 * vault; `idNumberDigest` (a keyed hash) enforces one number or USCC per account.
 */
@Entity('real_name_identities')
@Unique('real_name_identities_id_number_digest_key', ['idNumberDigest'])
@Check('real_name_identities_id_kind_check', `"id_kind" IN ('RIC', 'USCC')`)
@Check(
  'real_name_identities_legal_rep_check',
  `("id_kind" = 'USCC') = ("legal_representative_name_encrypted" IS NOT NULL AND "legal_representative_id_encrypted" IS NOT NULL)`,
)
@Check('real_name_identities_birth_date_check', `("id_kind" = 'RIC') = ("birth_date" IS NOT NULL)`)
export class RealNameIdentityEntity {
  @PrimaryColumn('uuid')
  userId: string;

  @OneToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'real_name_identities_user_id_fkey' })
  user: Relation<UserEntity>;

  @Column('text')
  idKind: IdKind;

  @Column('text')
  nameEncrypted: string;

  @Column('text')
  nameMasked: string;

  @Column('char', { length: 64 })
  idNumberDigest: string;

  @Column('text')
  idNumberEncrypted: string;

  @Column('text')
  idNumberMasked: string;

  /** From the RIC (PLAT-02 is re-checked on each transaction date); null for organisations. */
  @Column('date', { nullable: true })
  birthDate: string | null;

  @Column('text', { nullable: true })
  legalRepresentativeNameEncrypted: string | null;

  @Column('text', { nullable: true })
  legalRepresentativeIdEncrypted: string | null;

  @Column('text', { nullable: true })
  legalRepresentativeIdMasked: string | null;

  @Column('timestamptz')
  verifiedAt: Date;
}
