import type { NoticeParams } from '../../common/notices/notices.port.js';
import { usccCheckCharacter } from '../identity/id-numbers.js';

/**
 * A notice never carries an ID number, a password or a token (issue 13): it is stored, shown in
 * the inbox, e-mailed in clear and posted to founders' webhooks. Parameters are screened twice:
 * when recorded (so nothing of the kind is ever stored) and again when rendered.
 */
const FORBIDDEN_KEY =
  /pass(word|wd|phrase)?|secret|token|id_?number|idno|uscc|otp|recovery|credential|api_?key/i;

/** 17 digits and a digit or X: a resident ID number (GB 11643), checksum or not. */
const RIC_LIKE = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/;
/** An 18-character unified social credit code (GB 32100); dropped only when its checksum holds. */
const USCC_LIKE = /(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])/g;
/** A JSON Web Token, a webhook signing secret, a bearer credential. */
const TOKEN_LIKE = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*|whsec_[\w-]{8,}|bearer\s+\S{8,}/i;

export interface ScreenedParams {
  params: NoticeParams;
  /** Names of the parameters left out (never their values). */
  dropped: string[];
}

export function screenNoticeParams(params: NoticeParams): ScreenedParams {
  const kept: NoticeParams = {};
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (FORBIDDEN_KEY.test(key) || (typeof value === 'string' && carriesSecret(value))) {
      dropped.push(key);
      continue;
    }
    kept[key] = value;
  }
  return { params: kept, dropped };
}

function carriesSecret(text: string): boolean {
  if (RIC_LIKE.test(text) || TOKEN_LIKE.test(text)) return true;
  for (const match of text.toUpperCase().matchAll(USCC_LIKE)) {
    if (usccCheckCharacter(match[0].slice(0, 17)) === match[0][17]) return true;
  }
  return false;
}
