/**
 * Chinese identity numbers, checked exactly as rules-spec §3 says. Pure functions, no I/O.
 */

export interface CalendarDate {
  year: number;
  month: number; // 1..12
  day: number;
}

export type RicProblem = 'FORMAT' | 'CHECKSUM' | 'DATE' | 'DATE_IN_FUTURE' | 'BIRTH_YEAR_TOO_EARLY';

export type RicCheck =
  | { ok: true; normalized: string; birthDate: CalendarDate; sex: 'MALE' | 'FEMALE' }
  | { ok: false; problem: RicProblem };

/** ID-RIC-01: trim, drop spaces, uppercase. */
export function normalizeRic(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

const RIC_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]; // ID-RIC-04
const RIC_CHECK_CHARS = '10X98765432';

/** ID-RIC-04: ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function ricCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * RIC_WEIGHTS[i];
  return RIC_CHECK_CHARS[sum % 11];
}

/**
 * ID-RIC-01..04 plus the platform's date policy (ID-RIC-03): a real Gregorian birth date, not after
 * `today`, and a birth year >= `minimumBirthYear`. Age (PLAT-02) is checked separately.
 */
export function checkResidentIdNumber(
  input: string,
  policy: { today: CalendarDate; minimumBirthYear: number },
): RicCheck {
  const normalized = normalizeRic(input);
  if (!/^\d{17}[\dX]$/.test(normalized)) return { ok: false, problem: 'FORMAT' };
  if (ricCheckCharacter(normalized.slice(0, 17)) !== normalized[17])
    return { ok: false, problem: 'CHECKSUM' };
  const birthDate = {
    year: Number(normalized.slice(6, 10)),
    month: Number(normalized.slice(10, 12)),
    day: Number(normalized.slice(12, 14)),
  };
  if (!isRealDate(birthDate)) return { ok: false, problem: 'DATE' };
  if (compareDates(birthDate, policy.today) > 0) return { ok: false, problem: 'DATE_IN_FUTURE' };
  if (birthDate.year < policy.minimumBirthYear)
    return { ok: false, problem: 'BIRTH_YEAR_TOO_EARLY' };
  const sex = Number(normalized[16]) % 2 === 1 ? 'MALE' : 'FEMALE'; // ID-RIC-02: odd sequence = male
  return { ok: true, normalized, birthDate, sex };
}

/** ID-RIC-06: a legacy 15-digit number as its 18-digit form (only with KYC-provider confirmation). */
export function convertLegacyRic(input: string): string | undefined {
  const normalized = normalizeRic(input);
  if (!/^\d{15}$/.test(normalized)) return undefined;
  const first17 = `${normalized.slice(0, 6)}19${normalized.slice(6)}`;
  return first17 + ricCheckCharacter(first17);
}

export type UsccProblem = 'LENGTH' | 'CHARSET' | 'FORMAT' | 'CHECKSUM';

export type UsccCheck =
  | { ok: true; normalized: string; organizationCodeWarning: boolean }
  | { ok: false; problem: UsccProblem };

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'; // ID-USCC-01: 31 symbols, no I O Z S V
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]; // ID-USCC-03

/** ID-USCC-01: trim, drop spaces and hyphens, uppercase. */
export function normalizeUscc(input: string): string {
  return input.replace(/[\s-]+/g, '').toUpperCase();
}

/** ID-USCC-03 check character of the first 17 symbols (all in the 31-symbol set). */
export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return USCC_CHARSET[(31 - (sum % 31)) % 31];
}

/** ID-USCC-01..03 (hard), ID-USCC-04 (warning only), ID-USCC-05 (positions 1-2 may be letters). */
export function checkUscc(input: string): UsccCheck {
  const normalized = normalizeUscc(input);
  if (normalized.length !== 18) return { ok: false, problem: 'LENGTH' };
  for (const c of normalized)
    if (!USCC_CHARSET.includes(c)) return { ok: false, problem: 'CHARSET' };
  if (!/^\d{6}$/.test(normalized.slice(2, 8))) return { ok: false, problem: 'FORMAT' }; // ID-USCC-02
  if (usccCheckCharacter(normalized.slice(0, 17)) !== normalized[17])
    return { ok: false, problem: 'CHECKSUM' };
  return {
    ok: true,
    normalized,
    organizationCodeWarning: !organizationCodeValid(normalized.slice(8, 17)),
  };
}

/** ID-USCC-04: the embedded GB 11714 organisation code's own check character (warning level). */
export function organizationCodeValid(code: string): boolean {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const value = (c: string): number => (/\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55); // A=10 .. Z=35
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += value(code[i]) * weights[i];
  const c = 11 - (sum % 11);
  const expected = c === 10 ? 'X' : c === 11 ? '0' : String(c);
  return code[8] === expected;
}

export function isRealDate({ year, month, day }: CalendarDate): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** CONV-03: CN rules count calendar days in Asia/Shanghai (UTC+8 all year). */
export function shanghaiDate(instant: Date): CalendarDate {
  const shifted = new Date(instant.getTime() + 8 * 3_600_000);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  };
}

/**
 * Whole years of age on `on` (PLAT-02). Someone born on 29 February reaches a birthday on 1 March in
 * common years: the platform never counts a birthday before the date has fully arrived.
 */
export function ageInYears(birthDate: CalendarDate, on: CalendarDate): number {
  let age = on.year - birthDate.year;
  const birthdayThisYear = isRealDate({ year: on.year, month: birthDate.month, day: birthDate.day })
    ? { year: on.year, month: birthDate.month, day: birthDate.day }
    : { year: on.year, month: 3, day: 1 };
  if (compareDates(on, birthdayThisYear) < 0) age -= 1;
  return age;
}

/** ID-RIC-08: `110105********002X` (first 6, last 4). */
export function maskIdentifier(value: string): string {
  if (value.length <= 10) return '*'.repeat(value.length);
  return value.slice(0, 6) + '*'.repeat(value.length - 10) + value.slice(-4);
}

/** A name shown back to its owner: first character, the rest starred (`张**`). */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length === 0) return '*';
  return chars[0] + '*'.repeat(Math.max(chars.length - 1, 1));
}
