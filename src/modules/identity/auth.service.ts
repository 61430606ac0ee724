import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { STAFF_ROLES } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { TransactionRunner } from '../../database/transaction.js';
import { AccountAudit } from './account-audit.js';
import { ChallengeInvalidError, InvalidSecondFactorError } from './account.errors.js';
import { InvalidCredentialsError } from './identity.errors.js';
import { IdentityRepository } from './identity.repository.js';
import { PasswordHasher } from './password-hasher.js';
import { SessionService, type TokenPair } from './session.service.js';
import { TotpService } from './totp.service.js';

/** How long a staff member has to give the TOTP code after the password. */
export const CHALLENGE_SECONDS = 300;

export type LoginResult =
  | (TokenPair & { secondFactorRequired: false; secondFactorEnrolmentRequired: boolean })
  | { secondFactorRequired: true; challengeToken: string; challengeExpiresIn: number };

interface ChallengeClaims {
  sub: string;
  typ: 'totp-challenge';
}

/**
 * Sign-in (issue 13). The password starts a session, unless the account has a TOTP factor: then
 * the answer is a short-lived challenge, and POST /auth/login/totp with a current code (or a
 * recovery code) starts it. A staff member without a factor gets a session that may only enrol.
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: IdentityRepository,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly totp: TotpService,
    private readonly jwt: JwtService,
    private readonly audit: AccountAudit,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async login(email: string, password: string): Promise<LoginResult> {
    const user = await this.users.findUserByEmail(email.trim().toLowerCase());
    const ok = user
      ? await this.passwords.verify(password, user.passwordHash)
      : await this.passwords.verifyAgainstNothing(password);
    if (!user || !ok) throw new InvalidCredentialsError();
    const now = this.clock.now();
    if (await this.totp.enabled(user.id)) {
      const claims: ChallengeClaims = { sub: user.id, typ: 'totp-challenge' };
      const challengeToken = await this.jwt.signAsync(claims, { expiresIn: CHALLENGE_SECONDS });
      await this.audit.record('auth.login_challenge_issued', user.id, now, {});
      return { secondFactorRequired: true, challengeToken, challengeExpiresIn: CHALLENGE_SECONDS };
    }
    const enrolmentRequired = STAFF_ROLES.includes(user.role);
    const started = await this.transactions.run(async (tx) => {
      const session = await this.sessions.start(user.id, null, tx);
      await this.audit.record(
        'auth.login',
        user.id,
        now,
        {
          sessionId: session.sessionId,
          secondFactor: enrolmentRequired ? 'ENROLMENT_REQUIRED' : 'NONE',
        },
        tx,
      );
      return session;
    });
    const tokens = await this.sessions.tokens(user, started.sessionId, started.refreshToken, false);
    return {
      ...tokens,
      secondFactorRequired: false,
      secondFactorEnrolmentRequired: enrolmentRequired,
    };
  }

  /** The second step: the challenge and a TOTP code or a recovery code start the session. */
  async completeLogin(challengeToken: string, code: string): Promise<TokenPair> {
    const userId = await this.challengeSubject(challengeToken);
    const user = await this.users.findUserById(userId);
    if (!user) throw new ChallengeInvalidError();
    const now = this.clock.now();
    const started = await this.transactions.run(async (tx) => {
      const method = await this.totp.checkSignIn(user.id, code, tx);
      if (!method) return null;
      const session = await this.sessions.start(user.id, method, tx);
      await this.audit.record(
        'auth.login',
        user.id,
        now,
        { sessionId: session.sessionId, secondFactor: method },
        tx,
      );
      return session;
    });
    if (!started) throw new InvalidSecondFactorError();
    return this.sessions.tokens(
      { id: user.id, role: user.role },
      started.sessionId,
      started.refreshToken,
      true,
    );
  }

  refresh(refreshToken: string): Promise<TokenPair> {
    return this.sessions.rotate(refreshToken);
  }

  logout(refreshToken: string): Promise<void> {
    return this.sessions.logout(refreshToken);
  }

  private async challengeSubject(challengeToken: string): Promise<string> {
    try {
      const claims = await this.jwt.verifyAsync<Partial<ChallengeClaims>>(challengeToken, {
        algorithms: ['HS256'],
      });
      if (claims.typ !== 'totp-challenge' || typeof claims.sub !== 'string') throw new Error();
      return claims.sub;
    } catch {
      throw new ChallengeInvalidError();
    }
  }
}
