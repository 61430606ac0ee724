import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import {
  preparedRead,
  returnedRows,
  type Tx,
  uniqueViolationConstraint,
} from '../../database/transaction.js';
import { AlreadyVerifiedError, EmailTakenError, IdNumberInUseError } from './identity.errors.js';
import { RealNameIdentityEntity } from './real-name-identity.entity.js';
import { UserEntity } from './user.entity.js';

/** Users and their real-name identities. Unique constraints are the arbiter under concurrency. */
export interface PledgerFacts {
  kind: UserEntity['kind'];
  realNameVerified: boolean;
  birthDate: string | null;
  /** Issue 13: an unverified e-mail cannot pledge (IDENTITY.EMAIL_NOT_VERIFIED). */
  emailVerified: boolean;
}

@Injectable()
export class IdentityRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insertUser(user: UserEntity, tx: Tx): Promise<void> {
    try {
      await tx.insert(UserEntity, user);
    } catch (error) {
      if (uniqueViolationConstraint(error) === 'users_email_key') throw new EmailTakenError();
      throw error;
    }
  }

  findUserByEmail(email: string): Promise<UserEntity | null> {
    return this.dataSource.manager.findOne(UserEntity, { where: { email } });
  }

  findUserById(id: string): Promise<UserEntity | null> {
    return this.dataSource.manager.findOne(UserEntity, { where: { id } });
  }

  findUsersByIds(ids: string[]): Promise<UserEntity[]> {
    return ids.length === 0
      ? Promise.resolve([])
      : this.dataSource.manager.findBy(UserEntity, { id: In(ids) });
  }

  /** The language of the user's notices (issue 13); false when there is no such user. */
  async setLocale(id: string, locale: NonNullable<UserEntity['locale']>): Promise<boolean> {
    const result = await this.dataSource.manager.update(UserEntity, { id }, { locale });
    return (result.affected ?? 0) > 0;
  }

  /** The pledge path's one read of identity: the user's kind and, once verified, the birth date. */
  async pledgerFacts(userId: string): Promise<PledgerFacts | null> {
    const rows = await preparedRead<{
      kind: UserEntity['kind'];
      verified: boolean;
      birth_date: string | null;
      email_verified: boolean;
    }>(
      this.dataSource,
      'identity-pledger-facts-v2',
      `SELECT u.kind, i.user_id IS NOT NULL AS verified, i.birth_date::text AS birth_date,
              u.email_verified_at IS NOT NULL AS email_verified
         FROM users u LEFT JOIN real_name_identities i ON i.user_id = u.id WHERE u.id = $1`,
      [userId],
    );
    const r = rows[0];
    return r
      ? {
          kind: r.kind,
          realNameVerified: r.verified,
          birthDate: r.birth_date,
          emailVerified: r.email_verified,
        }
      : null;
  }

  async updatePasswordHash(userId: string, passwordHash: string, tx: Tx): Promise<void> {
    await tx.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [userId, passwordHash]);
  }

  /**
   * Marks the e-mail verified, only while it is still the address the token went to; false when
   * it was verified already (or the address differs).
   */
  async markEmailVerified(userId: string, email: string, at: Date, tx: Tx): Promise<boolean> {
    const rows = returnedRows<{ id: string }>(
      await tx.query(
        `UPDATE users SET email_verified_at = $3
          WHERE id = $1 AND email = $2 AND email_verified_at IS NULL RETURNING id`,
        [userId, email, at],
      ),
    );
    return rows.length > 0;
  }

  findRealNameIdentity(userId: string): Promise<RealNameIdentityEntity | null> {
    return this.dataSource.manager.findOne(RealNameIdentityEntity, { where: { userId } });
  }

  async insertRealNameIdentity(identity: RealNameIdentityEntity, tx: Tx): Promise<void> {
    try {
      await tx.insert(RealNameIdentityEntity, identity);
    } catch (error) {
      const constraint = uniqueViolationConstraint(error);
      if (constraint === 'real_name_identities_id_number_digest_key')
        throw new IdNumberInUseError();
      if (constraint === 'real_name_identities_pkey') throw new AlreadyVerifiedError();
      throw error;
    }
  }
}
