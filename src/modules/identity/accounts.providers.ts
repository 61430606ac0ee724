import type { Provider } from '@nestjs/common';
import { SECOND_FACTOR_VERIFIER } from '../../common/auth/second-factor.port.js';
import { SystemClock } from '../../common/clock/clock.js';
import { AccountController } from './account.controller.js';
import { AccountAudit } from './account-audit.js';
import { AccountTokensRepository } from './account-tokens.repository.js';
import { ConsoleSessionController } from './console-session.controller.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { CredentialRateLimitGuard } from './credential-rate-limit.guard.js';
import { EmailVerificationService } from './email-verification.service.js';
import { PasswordService } from './password.service.js';
import { RateLimiterStore } from './rate-limiter-store.js';
import { SessionService } from './session.service.js';
import { SessionsRepository } from './sessions.repository.js';
import { TOTP_TIME, TotpService } from './totp.service.js';
import { TotpRepository } from './totp.repository.js';

/** Account basics and staff security (issue 13): kept here so identity.module.ts stays short. */
export const ACCOUNT_CONTROLLERS = [AuthController, ConsoleSessionController, AccountController];

export const ACCOUNT_PROVIDERS: Provider[] = [
  AccountAudit,
  AccountTokensRepository,
  SessionsRepository,
  TotpRepository,
  SessionService,
  AuthService,
  PasswordService,
  EmailVerificationService,
  TotpService,
  CredentialRateLimitGuard,
  RateLimiterStore,
  { provide: TOTP_TIME, useValue: new SystemClock() },
  { provide: SECOND_FACTOR_VERIFIER, useExisting: TotpService },
];
