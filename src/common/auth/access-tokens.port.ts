import type { AuthUser } from './auth.decorators.js';

/**
 * Turns a bearer access token into the caller (DESIGN §7). Defined here so the global guard can
 * ask without knowing the identity module, which provides it. Per application instance, not a
 * process-wide registry: two apps in one process (tests, a second instance) keep their own.
 */
export const ACCESS_TOKENS = Symbol('ACCESS_TOKENS');

export interface AccessTokenVerifier {
  /**
   * The caller the token names, with a live session. Throws AccessTokenExpiredError for an
   * expired token, SessionEndedError for an ended session, UnauthenticatedError otherwise.
   */
  authenticate(token: string): Promise<AuthUser>;
}
