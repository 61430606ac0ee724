import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
  Unique,
} from 'typeorm';
import { UserEntity } from './user.entity.js';

export const SECOND_FACTOR_METHODS = ['TOTP', 'RECOVERY_CODE'] as const;
export type SecondFactorMethod = (typeof SECOND_FACTOR_METHODS)[number];

export const SESSION_END_REASONS = [
  'LOGOUT',
  'REFRESH_TOKEN_REUSED',
  'PASSWORD_CHANGED',
  'PASSWORD_RESET',
] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

/**
 * A sign-in: one family of rotating refresh tokens (issue 13). Access tokens carry its id and are
 * refused once it is revoked. `second_factor` records how a staff sign-in passed its TOTP check;
 * a staff session without one may only enrol (AUTH.SECOND_FACTOR_REQUIRED elsewhere).
 */
@Entity('auth_sessions')
@Index('auth_sessions_user_id_idx', ['userId'], { where: `"revoked_at" IS NULL` })
@Check('auth_sessions_second_factor_check', `"second_factor" IN ('TOTP', 'RECOVERY_CODE')`)
@Check(
  'auth_sessions_second_factor_at_check',
  `("second_factor" IS NULL) = ("second_factor_at" IS NULL)`,
)
@Check(
  'auth_sessions_revoked_reason_check',
  `"revoked_reason" IN ('LOGOUT', 'REFRESH_TOKEN_REUSED', 'PASSWORD_CHANGED', 'PASSWORD_RESET')`,
)
@Check('auth_sessions_revoked_check', `("revoked_at" IS NULL) = ("revoked_reason" IS NULL)`)
export class AuthSessionEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'auth_sessions_user_id_fkey' })
  user?: Relation<UserEntity>;

  @Column('timestamptz') createdAt: Date;
  @Column('text', { nullable: true }) secondFactor: SecondFactorMethod | null;
  @Column('timestamptz', { nullable: true }) secondFactorAt: Date | null;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
  @Column('text', { nullable: true }) revokedReason: SessionEndReason | null;
}

/** One refresh token of a session, stored only as a keyed hash; used once, then rotated. */
@Entity('auth_refresh_tokens')
@Unique('auth_refresh_tokens_token_hash_key', ['tokenHash'])
@Index('auth_refresh_tokens_session_id_idx', ['sessionId'])
@Check('auth_refresh_tokens_expiry_check', `"expires_at" > "issued_at"`)
export class RefreshTokenEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') sessionId: string;

  @ManyToOne(() => AuthSessionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'session_id',
    foreignKeyConstraintName: 'auth_refresh_tokens_session_id_fkey',
  })
  session?: Relation<AuthSessionEntity>;

  @Column('char', { length: 64 }) tokenHash: string;
  @Column('timestamptz') issuedAt: Date;
  @Column('timestamptz') expiresAt: Date;
  @Column('timestamptz', { nullable: true }) usedAt: Date | null;
}

export const ACCOUNT_TOKEN_PURPOSES = ['EMAIL_VERIFICATION', 'PASSWORD_RESET'] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];

/**
 * A one-time token sent by e-mail (verification link, password reset), stored only as a keyed
 * hash with the address it went to. `used_at` is set when it is used or superseded by a newer one.
 */
@Entity('account_tokens')
@Unique('account_tokens_token_hash_key', ['tokenHash'])
@Index('account_tokens_open_idx', ['userId', 'purpose'], { where: `"used_at" IS NULL` })
@Check('account_tokens_purpose_check', `"purpose" IN ('EMAIL_VERIFICATION', 'PASSWORD_RESET')`)
@Check('account_tokens_expiry_check', `"expires_at" > "created_at"`)
export class AccountTokenEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'account_tokens_user_id_fkey' })
  user?: Relation<UserEntity>;

  @Column('text') purpose: AccountTokenPurpose;
  @Column('char', { length: 64 }) tokenHash: string;
  @Column('text') email: string;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') expiresAt: Date;
  @Column('timestamptz', { nullable: true }) usedAt: Date | null;
}

/**
 * A user's TOTP second factor (RFC 6238). The secret is ciphertext from the PII vault (AES-GCM,
 * bound to the user); `last_used_step` refuses a code's second use (RFC 6238 §5.2).
 */
@Entity('user_totp')
@Check('user_totp_last_used_step_check', `"last_used_step" >= 0`)
export class UserTotpEntity {
  @PrimaryColumn('uuid') userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'user_totp_user_id_fkey' })
  user?: Relation<UserEntity>;

  @Column('text') secretEncrypted: string;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz', { nullable: true }) confirmedAt: Date | null;
  @Column('integer', { nullable: true }) lastUsedStep: number | null;
}

/** Single-use recovery codes for the TOTP factor, stored only as keyed hashes. */
@Entity('user_recovery_codes')
@Unique('user_recovery_codes_user_code_key', ['userId', 'codeHash'])
export class RecoveryCodeEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'user_recovery_codes_user_id_fkey' })
  user?: Relation<UserEntity>;

  @Column('char', { length: 64 }) codeHash: string;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz', { nullable: true }) usedAt: Date | null;
}

export const ACCOUNT_ENTITIES = [
  AuthSessionEntity,
  RefreshTokenEntity,
  AccountTokenEntity,
  UserTotpEntity,
  RecoveryCodeEntity,
];
