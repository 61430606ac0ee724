import { Check, Column, Entity, PrimaryColumn, Unique } from 'typeorm';
import type { Role } from '../../common/auth/auth.decorators.js';
import type { UserKind } from './identity.types.js';

@Entity('users')
@Unique('users_email_key', ['email'])
@Check('users_role_check', `"role" IN ('INVESTOR', 'FOUNDER', 'ADMIN', 'FINANCE')`)
@Check('users_kind_check', `"kind" IN ('PERSON', 'ORGANIZATION')`)
@Check('users_email_lowercase_check', `"email" = lower("email")`)
@Check('users_locale_check', `"locale" IN ('zh-CN', 'en')`)
export class UserEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  email: string;

  @Column('text')
  passwordHash: string;

  @Column('text')
  role: Role;

  @Column('text')
  kind: UserKind;

  /** Set when the user opened a verification link (or completed a password reset) (issue 13). */
  @Column('timestamptz', { nullable: true })
  emailVerifiedAt: Date | null;

  @Column('timestamptz')
  createdAt: Date;

  /** The language of notices to this user (issue 13); column added by the notifications migration. */
  @Column('text', { default: 'zh-CN' })
  locale?: 'zh-CN' | 'en';
}
