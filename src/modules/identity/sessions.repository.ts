import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Role } from '../../common/auth/auth.decorators.js';
import { preparedRead, returnedRows, type Tx } from '../../database/transaction.js';
import {
  AuthSessionEntity,
  RefreshTokenEntity,
  type SecondFactorMethod,
  type SessionEndReason,
} from './account.entities.js';

/** What every authenticated request asks about its session (one primary-key read). */
export interface SessionState {
  userId: string;
  active: boolean;
  secondFactor: boolean;
}

/** A refresh token, locked for rotation, with what the new access token needs. */
export interface LockedRefreshToken {
  id: string;
  sessionId: string;
  expiresAt: Date;
  usedAt: Date | null;
  userId: string;
  role: Role;
  sessionRevoked: boolean;
  secondFactor: SecondFactorMethod | null;
}

/** Sessions and their refresh tokens (issue 13). */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insertSession(session: AuthSessionEntity, tx: Tx): Promise<void> {
    await tx.insert(AuthSessionEntity, session);
  }

  async insertRefreshToken(token: RefreshTokenEntity, tx: Tx): Promise<void> {
    await tx.insert(RefreshTokenEntity, token);
  }

  /** The per-request check, as a named prepared statement (cheap on the pledge hot path). */
  async sessionState(sessionId: string): Promise<SessionState | null> {
    const rows = await preparedRead<{ user_id: string; active: boolean; second_factor: boolean }>(
      this.dataSource,
      'identity-session-state',
      `SELECT user_id, revoked_at IS NULL AS active, second_factor IS NOT NULL AS second_factor
         FROM auth_sessions WHERE id = $1`,
      [sessionId],
    );
    const r = rows[0];
    return r ? { userId: r.user_id, active: r.active, secondFactor: r.second_factor } : null;
  }

  /** Locks the token row: of two concurrent rotations of one token, the second sees it used. */
  async lockRefreshToken(tokenHash: string, tx: Tx): Promise<LockedRefreshToken | null> {
    const rows = await tx.query<
      {
        id: string;
        session_id: string;
        expires_at: Date;
        used_at: Date | null;
        user_id: string;
        role: Role;
        revoked: boolean;
        second_factor: SecondFactorMethod | null;
      }[]
    >(
      `SELECT t.id, t.session_id, t.expires_at, t.used_at, s.user_id, u.role,
              s.revoked_at IS NOT NULL AS revoked, s.second_factor
         FROM auth_refresh_tokens t
         JOIN auth_sessions s ON s.id = t.session_id
         JOIN users u ON u.id = s.user_id
        WHERE t.token_hash = $1
          FOR UPDATE OF t`,
      [tokenHash],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          sessionId: r.session_id,
          expiresAt: r.expires_at,
          usedAt: r.used_at,
          userId: r.user_id,
          role: r.role,
          sessionRevoked: r.revoked,
          secondFactor: r.second_factor,
        }
      : null;
  }

  async markRefreshTokenUsed(id: string, at: Date, tx: Tx): Promise<void> {
    await tx.query(`UPDATE auth_refresh_tokens SET used_at = $2 WHERE id = $1`, [id, at]);
  }

  /** Revokes one session; false when it was already revoked. */
  async revokeSession(
    sessionId: string,
    reason: SessionEndReason,
    at: Date,
    tx: Tx,
  ): Promise<boolean> {
    const rows = returnedRows<{ id: string }>(
      await tx.query(
        `UPDATE auth_sessions SET revoked_at = $2, revoked_reason = $3
          WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
        [sessionId, at, reason],
      ),
    );
    return rows.length > 0;
  }

  /** Revokes every open session of a user; the ids revoked. */
  async revokeUserSessions(
    userId: string,
    reason: SessionEndReason,
    at: Date,
    tx: Tx,
  ): Promise<string[]> {
    const rows = returnedRows<{ id: string }>(
      await tx.query(
        `UPDATE auth_sessions SET revoked_at = $2, revoked_reason = $3
          WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`,
        [userId, at, reason],
      ),
    );
    return rows.map((r) => r.id);
  }
}
