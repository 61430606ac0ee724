import { Injectable } from '@nestjs/common';
import type { Role } from '../../common/auth/auth.decorators.js';
import { IdentityRepository, type PledgerFacts } from './identity.repository.js';
import { PiiVault } from './pii-vault.js';
import type { IdKind, UserKind } from './identity.types.js';
import type { UserEntity } from './user.entity.js';

/** What other modules may know about a user: no e-mail, no password hash, no identity document. */
export interface DirectoryUser {
  id: string;
  role: Role;
  kind: UserKind;
  /** Issue 13: an unverified e-mail cannot pledge or submit a campaign. */
  emailVerified: boolean;
  createdAt: Date;
}

/** That a user passed real-name verification, without the identity itself (no name, no ID number). */
export interface RealNameStatus {
  userId: string;
  idKind: IdKind;
  verifiedAt: Date;
}

/** The real-name state staff see when reviewing a founder: the masked name, never the number. */
export interface RealNameForReview extends RealNameStatus {
  /** ID-RIC-08: first character, the rest starred. */
  nameMasked: string;
}

export type { PledgerFacts } from './identity.repository.js';

/** The language a user reads notices in (issue 13). */
export type UserLocale = NonNullable<UserEntity['locale']>;

/**
 * Identity's public read face (DESIGN §2): what other modules ask about users. The users and
 * real-name tables stay behind IdentityRepository, which no other module imports; personal data
 * (names, ID numbers, e-mail) never leaves through here.
 */
@Injectable()
export class UserDirectory {
  constructor(
    private readonly users: IdentityRepository,
    private readonly vault: PiiVault,
  ) {}

  async findUserById(id: string): Promise<DirectoryUser | null> {
    const user = await this.users.findUserById(id);
    return user
      ? {
          id: user.id,
          role: user.role,
          kind: user.kind,
          emailVerified: user.emailVerifiedAt !== null,
          createdAt: user.createdAt,
        }
      : null;
  }

  /** PLAT-01: the user's real-name verification (kind and time only), or null before it. */
  async findRealNameIdentity(userId: string): Promise<RealNameStatus | null> {
    const identity = await this.users.findRealNameIdentity(userId);
    return identity
      ? { userId: identity.userId, idKind: identity.idKind, verifiedAt: identity.verifiedAt }
      : null;
  }

  /**
   * For the campaign review (issue 17): the verification's kind and time and the masked name;
   * the ID number (or USCC) stays in the vault, not even masked.
   */
  async realNameForReview(userId: string): Promise<RealNameForReview | null> {
    const identity = await this.users.findRealNameIdentity(userId);
    return identity
      ? {
          userId: identity.userId,
          idKind: identity.idKind,
          verifiedAt: identity.verifiedAt,
          nameMasked: identity.nameMasked,
        }
      : null;
  }

  /**
   * Where a user's notices go (issue 13): the address and language. For the notification
   * dispatcher only: the one place an e-mail address leaves this module.
   */
  async noticeRecipients(
    ids: readonly string[],
  ): Promise<{ id: string; email: string; locale: UserLocale | null }[]> {
    const users = await this.users.findUsersByIds([...ids]);
    return users.map((u) => ({ id: u.id, email: u.email, locale: u.locale ?? null }));
  }

  /** The language of the user's notices, or null for no such user (or none chosen). */
  async localeOf(id: string): Promise<UserLocale | null> {
    return (await this.users.findUserById(id))?.locale ?? null;
  }

  /** The user's choice of language for notices; false when there is no such user. */
  setLocale(id: string, locale: UserLocale): Promise<boolean> {
    return this.users.setLocale(id, locale);
  }

  /** The pledge path's one read of identity (one prepared statement): kind, verified, birth date. */
  pledgerFacts(userId: string): Promise<PledgerFacts | null> {
    return this.users.pledgerFacts(userId);
  }

  /** Names as they may be shown to others (ID-RIC-08: first character, the rest starred). */
  async maskedNames(ids: readonly string[]): Promise<Map<string, string>> {
    const found = await Promise.all(ids.map((id) => this.users.findRealNameIdentity(id)));
    return new Map(
      found.flatMap((identity) => (identity ? [[identity.userId, identity.nameMasked]] : [])),
    );
  }

  /**
   * An organisation's registered name and USCC (GB 32100), as printed on a donation receipt
   * (PLAT-08). Public registry facts of an organisation, not a person's data; null for a person
   * or an organisation not yet verified.
   */
  async organizationRegistration(userId: string): Promise<{ name: string; uscc: string } | null> {
    const identity = await this.users.findRealNameIdentity(userId);
    if (!identity || identity.idKind !== 'USCC') return null;
    const context = (field: string): string => `real_name_identities.${field}:${userId}`;
    return {
      name: this.vault.decrypt(identity.nameEncrypted, context('name')),
      uscc: this.vault.decrypt(identity.idNumberEncrypted, context('id_number')),
    };
  }
}
