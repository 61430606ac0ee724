import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Tx, uniqueViolationConstraint } from '../../database/transaction.js';
import { AlreadyVerifiedError, EmailTakenError, IdNumberInUseError } from './identity.errors.js';
import { RealNameIdentityEntity } from './real-name-identity.entity.js';
import { UserEntity } from './user.entity.js';

/** Users and their real-name identities. Unique constraints are the arbiter under concurrency. */
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
