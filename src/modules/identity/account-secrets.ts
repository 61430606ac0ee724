import { randomBytes, randomInt } from 'node:crypto';

/**
 * One-time secrets handed to users (refresh tokens, e-mailed tokens, recovery codes). Only a keyed
 * hash of each is stored (PiiVault.lookupDigest); the value itself exists only in the response or
 * the e-mail that carries it.
 */
export const OPAQUE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** 256 random bits, base64url (43 characters). */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Crockford-style alphabet without look-alikes (no I, L, O, U): easy to read off a printout. */
const RECOVERY_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `XXXXX-XXXXX`: 50 random bits, enough for a single-use code that is rate limited. */
export function newRecoveryCode(): string {
  let code = '';
  for (let i = 0; i < 10; i++) code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** What a user types, as stored: upper case, no separators or spaces. */
export function normalizeRecoveryCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}

export const RECOVERY_CODE_INPUT = /^[0-9A-Za-z]{5}[-\s]?[0-9A-Za-z]{5}$/;
export const TOTP_CODE_INPUT = /^[0-9]{6}$/;
