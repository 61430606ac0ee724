import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '../../database/transaction.js';
import { AccountTokenEntity, type AccountTokenPurpose } from './account.entities.js';

export type AccountTokenRow = Pick<
  AccountTokenEntity,
  'id' | 'userId' | 'email' | 'expiresAt' | 'usedAt'
>;

/** E-mailed one-time tokens: verification links and password resets (issue 13). */
@Injectable()
export class AccountTokensRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A newer token makes the user's older open ones of the same purpose useless. */
  async supersedeOpen(
    userId: string,
    purpose: AccountTokenPurpose,
    at: Date,
    tx: Tx,
  ): Promise<void> {
    await tx.query(
      `UPDATE account_tokens SET used_at = $3
        WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`,
      [userId, purpose, at],
    );
  }

  async insert(token: AccountTokenEntity, tx: Tx): Promise<void> {
    await tx.insert(AccountTokenEntity, token);
  }

  /** Without a lock: to refuse a bad token before any costly work. */
  find(tokenHash: string, purpose: AccountTokenPurpose): Promise<AccountTokenRow | null> {
    return this.dataSource.manager.findOne(AccountTokenEntity, {
      where: { tokenHash, purpose },
      select: { id: true, userId: true, email: true, expiresAt: true, usedAt: true },
    });
  }

  /** Locked: of two concurrent uses of one token, the second sees it used. */
  async lock(
    tokenHash: string,
    purpose: AccountTokenPurpose,
    tx: Tx,
  ): Promise<AccountTokenRow | null> {
    const rows = await tx.query<
      { id: string; user_id: string; email: string; expires_at: Date; used_at: Date | null }[]
    >(
      `SELECT id, user_id, email, expires_at, used_at FROM account_tokens
        WHERE token_hash = $1 AND purpose = $2 FOR UPDATE`,
      [tokenHash, purpose],
    );
    const r = rows[0];
    return r
      ? { id: r.id, userId: r.user_id, email: r.email, expiresAt: r.expires_at, usedAt: r.used_at }
      : null;
  }

  async markUsed(id: string, at: Date, tx: Tx): Promise<void> {
    await tx.query(`UPDATE account_tokens SET used_at = $2 WHERE id = $1`, [id, at]);
  }
}
