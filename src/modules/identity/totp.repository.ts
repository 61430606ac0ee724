import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { returnedRows, type Tx } from '../../database/transaction.js';
import { RecoveryCodeEntity, UserTotpEntity } from './account.entities.js';

export type TotpRow = Pick<UserTotpEntity, 'secretEncrypted' | 'confirmedAt' | 'lastUsedStep'>;

/** TOTP secrets (ciphertext) and recovery codes (keyed hashes) (issue 13). */
@Injectable()
export class TotpRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  find(userId: string): Promise<TotpRow | null> {
    return this.dataSource.manager.findOne(UserTotpEntity, {
      where: { userId },
      select: { secretEncrypted: true, confirmedAt: true, lastUsedStep: true },
    });
  }

  /**
   * Starts (or restarts) an enrolment with a new secret; false when a confirmed factor exists,
   * which this never replaces.
   */
  async startEnrolment(
    userId: string,
    secretEncrypted: string,
    at: Date,
    tx: Tx,
  ): Promise<boolean> {
    const rows = await tx.query<{ user_id: string }[]>(
      `INSERT INTO user_totp (user_id, secret_encrypted, created_at, confirmed_at, last_used_step)
       VALUES ($1, $2, $3, NULL, NULL)
       ON CONFLICT (user_id) DO UPDATE
             SET secret_encrypted = EXCLUDED.secret_encrypted, created_at = EXCLUDED.created_at,
                 last_used_step = NULL
           WHERE user_totp.confirmed_at IS NULL
       RETURNING user_id`,
      [userId, secretEncrypted, at],
    );
    return rows.length > 0;
  }

  /** Activates a pending enrolment; false when there is none (or it was confirmed meanwhile). */
  async confirm(userId: string, at: Date, step: number, tx: Tx): Promise<boolean> {
    const rows = returnedRows<{ user_id: string }>(
      await tx.query(
        `UPDATE user_totp SET confirmed_at = $2, last_used_step = $3
          WHERE user_id = $1 AND confirmed_at IS NULL RETURNING user_id`,
        [userId, at, step],
      ),
    );
    return rows.length > 0;
  }

  /**
   * Spends a time step (RFC 6238 §5.2: a code is accepted once): true only for a step later than
   * the last one used, atomically, so two requests with one code cannot both pass.
   */
  async spendStep(userId: string, step: number, tx: Tx): Promise<boolean> {
    const rows = returnedRows<{ user_id: string }>(
      await tx.query(
        `UPDATE user_totp SET last_used_step = $2
          WHERE user_id = $1 AND confirmed_at IS NOT NULL
            AND (last_used_step IS NULL OR last_used_step < $2)
        RETURNING user_id`,
        [userId, step],
      ),
    );
    return rows.length > 0;
  }

  async replaceRecoveryCodes(
    userId: string,
    codeHashes: string[],
    at: Date,
    ids: string[],
    tx: Tx,
  ): Promise<void> {
    await tx.query(`DELETE FROM user_recovery_codes WHERE user_id = $1`, [userId]);
    await tx.insert(
      RecoveryCodeEntity,
      codeHashes.map((codeHash, i) => ({
        id: ids[i],
        userId,
        codeHash,
        createdAt: at,
        usedAt: null,
      })),
    );
  }

  /** Spends one recovery code; false when it is not the user's or was used. */
  async spendRecoveryCode(userId: string, codeHash: string, at: Date, tx: Tx): Promise<boolean> {
    const rows = returnedRows<{ id: string }>(
      await tx.query(
        `UPDATE user_recovery_codes SET used_at = $3
          WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id`,
        [userId, codeHash, at],
      ),
    );
    return rows.length > 0;
  }

  async recoveryCodesLeft(userId: string): Promise<number> {
    const rows = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM user_recovery_codes WHERE user_id = $1 AND used_at IS NULL`,
      [userId],
    );
    return rows[0]?.n ?? 0;
  }
}
