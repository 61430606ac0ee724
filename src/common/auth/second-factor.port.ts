/**
 * Checks a TOTP code for a step-up route (issue 13). Defined here so the global guard can ask
 * without knowing the identity module; the identity module provides it.
 */
export const SECOND_FACTOR_VERIFIER = Symbol('SECOND_FACTOR_VERIFIER');

export interface SecondFactorVerifier {
  /**
   * True when `code` is the user's current TOTP code and was not used before (the code is then
   * spent). Throws RateLimitedError after too many wrong codes.
   */
  verifyStepUp(userId: string, code: string, purpose: string): Promise<boolean>;
}
