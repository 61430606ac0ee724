import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  ageInYears,
  type CalendarDate,
  checkResidentIdNumber,
  checkUscc,
  compareDates,
  convertLegacyRic,
  isRealDate,
  maskIdentifier,
  maskName,
  normalizeRic,
  normalizeUscc,
  organizationCodeValid,
  ricCheckCharacter,
  shanghaiDate,
  usccCheckCharacter,
} from './id-numbers.js';

/**
 * Vectors marked "(oracle)" were computed outside this code base with python-stdnum's formula
 * `(1 - 2 * int(first17, 13)) % 11` for RIC and the ID-USCC-03 formula for USCC.
 */
const POLICY = { today: { year: 2026, month: 6, day: 1 }, minimumBirthYear: 1900 };
const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const date = (year: number, month: number, day: number): CalendarDate => ({ year, month, day });
const shanghai = (iso: string): CalendarDate => shanghaiDate(new Date(iso));

/** Independent ID-RIC-04 oracle: c = (1 - S) mod 11 with S from W_i = 2^(18-i) mod 11. */
function ricOracle(first17: string): string {
  let sum = 0;
  for (let i = 1; i <= 17; i++) sum += Number(first17[i - 1]) * (2 ** (18 - i) % 11);
  const c = (((1 - sum) % 11) + 11) % 11;
  return c === 10 ? 'X' : String(c);
}

/** Independent ID-USCC-03 oracle with W_i = 3^(i-1) mod 31. */
function usccOracle(first17: string): string {
  let sum = 0;
  let weight = 1;
  for (const c of first17) {
    sum += USCC_CHARSET.indexOf(c) * weight;
    weight = (weight * 3) % 31;
  }
  return USCC_CHARSET[(31 - (sum % 31)) % 31];
}

const digits17 = fc.string({
  unit: fc.constantFrom(...'0123456789'),
  minLength: 17,
  maxLength: 17,
});
const usccBody17 = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...USCC_CHARSET), minLength: 2, maxLength: 2 }),
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 6, maxLength: 6 }),
    fc.string({ unit: fc.constantFrom(...USCC_CHARSET), minLength: 9, maxLength: 9 }),
  )
  .map(([a, b, c]) => a + b + c);

describe('resident identity card numbers (rules-spec §3, vectors §14.1)', () => {
  it('ID-RIC-04: accepts 11010519491231002X (GB 11643 sample, S = 167 -> X)', () => {
    expect(ricCheckCharacter('11010519491231002')).toBe('X');
    expect(checkResidentIdNumber('11010519491231002X', POLICY)).toEqual({
      ok: true,
      normalized: '11010519491231002X',
      birthDate: date(1949, 12, 31),
      sex: 'FEMALE',
    });
  });

  it('ID-RIC-01: accepts a lowercase x and normalises it to X', () => {
    expect(normalizeRic('11010519491231002x')).toBe('11010519491231002X');
    const result = checkResidentIdNumber('11010519491231002x', POLICY);
    expect(result.ok).toBe(true);
    expect(result.ok && result.normalized).toBe('11010519491231002X');
  });

  it('ID-RIC-01: trims and drops spaces before checking', () => {
    expect(normalizeRic(' 110105 19491231 002x\t')).toBe('11010519491231002X');
    expect(checkResidentIdNumber(' 110105 19491231 002x ', POLICY)).toMatchObject({
      ok: true,
      normalized: '11010519491231002X',
    });
  });

  it('ID-RIC-03: 440524188001010014 has a valid checksum but is rejected as BIRTH_YEAR_TOO_EARLY', () => {
    expect(ricCheckCharacter('44052418800101001')).toBe('4');
    expect(checkResidentIdNumber('440524188001010014', POLICY)).toEqual({
      ok: false,
      problem: 'BIRTH_YEAR_TOO_EARLY',
    });
    // The date policy is a separate check: with a lower minimum the same number passes.
    expect(
      checkResidentIdNumber('440524188001010014', { ...POLICY, minimumBirthYear: 1800 }),
    ).toEqual({
      ok: true,
      normalized: '440524188001010014',
      birthDate: date(1880, 1, 1),
      sex: 'MALE',
    });
  });

  it('ID-RIC-03: the minimum birth year is inclusive (1900-01-01 ok, 1899-12-31 too early) (oracle)', () => {
    expect(checkResidentIdNumber('110105190001010044', POLICY)).toMatchObject({
      ok: true,
      birthDate: date(1900, 1, 1),
    });
    expect(checkResidentIdNumber('110105189912310058', POLICY)).toEqual({
      ok: false,
      problem: 'BIRTH_YEAR_TOO_EARLY',
    });
  });

  it('ID-RIC-04: accepts 360426199101010071 (python-stdnum doctest)', () => {
    expect(checkResidentIdNumber('360426199101010071', POLICY)).toEqual({
      ok: true,
      normalized: '360426199101010071',
      birthDate: date(1991, 1, 1),
      sex: 'MALE',
    });
  });

  it('ID-RIC-04: rejects a wrong check character (110105194912310021, expected X)', () => {
    expect(checkResidentIdNumber('110105194912310021', POLICY)).toEqual({
      ok: false,
      problem: 'CHECKSUM',
    });
  });

  it('ID-RIC-03: rejects 110105194902300020 as DATE (checksum ok, 1949-02-30 is not a date)', () => {
    expect(ricCheckCharacter('11010519490230002')).toBe('0');
    expect(checkResidentIdNumber('110105194902300020', POLICY)).toEqual({
      ok: false,
      problem: 'DATE',
    });
  });

  it('ID-RIC-03: 29 February only in leap years (1900 no, 2000 yes) (oracle)', () => {
    expect(checkResidentIdNumber('110105190002290025', POLICY)).toEqual({
      ok: false,
      problem: 'DATE',
    });
    expect(checkResidentIdNumber('11010520000229003X', POLICY)).toMatchObject({
      ok: true,
      birthDate: date(2000, 2, 29),
    });
  });

  it('ID-RIC-03: rejects a birth date in the future as DATE_IN_FUTURE (oracle)', () => {
    // 110105202606150010: born 2026-06-15
    const today = date(2026, 6, 14);
    expect(checkResidentIdNumber('110105202606150010', { ...POLICY, today })).toEqual({
      ok: false,
      problem: 'DATE_IN_FUTURE',
    });
    // Born today is not in the future (age is PLAT-02's business, not this check's).
    expect(
      checkResidentIdNumber('110105202606150010', { ...POLICY, today: date(2026, 6, 15) }),
    ).toMatchObject({ ok: true, birthDate: date(2026, 6, 15), sex: 'MALE' });
  });

  it.each([
    ['17 digits', '11010519491231002'],
    ['19 characters', '11010519491231002X0'],
    ['an X before the last position', '1101051949123100X2'],
    ['letters', '11010519491231ABCX'],
    ['a hyphen', '110105-19491231-002X'],
    ['another check letter', '11010519491231002Y'],
    ['full-width digits', '１１０１０５１９４９１２３１００２X'],
    ['an empty string', ''],
  ])('ID-RIC-01: rejects %s as FORMAT', (_label, input) => {
    expect(checkResidentIdNumber(input, POLICY)).toEqual({ ok: false, problem: 'FORMAT' });
  });

  it('ID-RIC-02: odd sequence code is MALE, even is FEMALE', () => {
    // 110105200802290011: sequence 001 (odd)
    expect(checkResidentIdNumber('110105200802290011', POLICY)).toMatchObject({ sex: 'MALE' });
    expect(checkResidentIdNumber('11010519491231002X', POLICY)).toMatchObject({ sex: 'FEMALE' });
  });

  it('ID-RIC-04: the check character matches the independent MOD 11-2 oracle', () => {
    fc.assert(
      fc.property(digits17, (first17) => {
        expect(ricCheckCharacter(first17)).toBe(ricOracle(first17));
      }),
    );
  });

  it('ID-RIC-04: detects every single-character substitution', () => {
    fc.assert(
      fc.property(
        digits17,
        fc.nat({ max: 17 }),
        fc.constantFrom(...'0123456789X'),
        (first17, position, replacement) => {
          const valid = first17 + ricCheckCharacter(first17);
          fc.pre(valid[position] !== replacement);
          fc.pre(position === 17 || replacement !== 'X');
          const tampered = valid.slice(0, position) + replacement + valid.slice(position + 1);
          // The checksum is checked before the date, so a tampered date still reports CHECKSUM.
          expect(checkResidentIdNumber(tampered, POLICY)).toEqual({
            ok: false,
            problem: 'CHECKSUM',
          });
        },
      ),
    );
  });

  it('ID-RIC-06: converts the 15-digit 110105491231002 to 11010519491231002X', () => {
    expect(convertLegacyRic('110105491231002')).toBe('11010519491231002X');
    expect(convertLegacyRic(' 110105 491231 002 ')).toBe('11010519491231002X');
    expect(checkResidentIdNumber(convertLegacyRic('110105491231002') ?? '', POLICY).ok).toBe(true);
  });

  it.each(['11010549123100', '1101054912310021', '11010549123100X', '11010519491231002X'])(
    'ID-RIC-06: does not convert %j',
    (input) => {
      expect(convertLegacyRic(input)).toBeUndefined();
    },
  );

  it('ID-RIC-08: masks an identifier as first 6 + stars + last 4', () => {
    expect(maskIdentifier('11010519491231002X')).toBe('110105********002X');
    expect(maskIdentifier('91110000600037341L')).toBe('911100********341L');
    expect(maskIdentifier('12345678901')).toBe('123456*8901');
    expect(maskIdentifier('1234567890')).toBe('**********');
    expect(maskIdentifier('')).toBe('');
  });

  it('ID-RIC-08: masks a name as its first character and stars', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('𠀋一')).toBe('𠀋*'); // astral-plane character counted as one
    expect(maskName('Alice')).toBe('A****');
  });
});

describe('unified social credit codes (rules-spec §3, vectors §14.1)', () => {
  it.each(['91110000600037341L', '91110108306541619G', '91350100M000100Y43'])(
    'ID-USCC-03: accepts %s with a valid embedded organisation code (ID-USCC-04)',
    (code) => {
      expect(checkUscc(code)).toEqual({
        ok: true,
        normalized: code,
        organizationCodeWarning: false,
      });
      expect(organizationCodeValid(code.slice(8, 17))).toBe(true);
    },
  );

  it('ID-USCC-03: 91110000600037341L has S = 538 -> check value 20 = L', () => {
    expect(usccCheckCharacter('91110000600037341')).toBe('L');
  });

  it('ID-USCC-01: normalises spaces, hyphens and lowercase', () => {
    expect(normalizeUscc(' 9111-0000-6000 37341l ')).toBe('91110000600037341L');
    expect(checkUscc('91350100-m000100y4-3')).toEqual({
      ok: true,
      normalized: '91350100M000100Y43',
      organizationCodeWarning: false,
    });
  });

  it('ID-USCC-03: rejects a wrong check character (91110000600037341M, expected L)', () => {
    expect(checkUscc('91110000600037341M')).toEqual({ ok: false, problem: 'CHECKSUM' });
  });

  it('ID-USCC-01: rejects 9111000060003734IL as CHARSET (I is not allowed)', () => {
    expect(checkUscc('9111000060003734IL')).toEqual({ ok: false, problem: 'CHARSET' });
  });

  it.each(['O', 'Z', 'S', 'V', '*'])('ID-USCC-01: rejects %j as CHARSET', (c) => {
    expect(checkUscc(`9111000060003734${c}L`)).toEqual({ ok: false, problem: 'CHARSET' });
  });

  it.each([
    ['17 characters', '91110000600037341'],
    ['19 characters', '91110000600037341L0'],
    ['an empty string', ''],
  ])('ID-USCC-01: rejects %s as LENGTH', (_label, code) => {
    expect(checkUscc(code)).toEqual({ ok: false, problem: 'LENGTH' });
  });

  it('ID-USCC-05: A1110000600037341L is format-ok (A allowed in position 1) but fails CHECKSUM (expected K)', () => {
    expect(usccCheckCharacter('A1110000600037341')).toBe('K');
    expect(checkUscc('A1110000600037341L')).toEqual({ ok: false, problem: 'CHECKSUM' });
    expect(checkUscc('A1110000600037341K')).toMatchObject({ ok: true });
  });

  it('ID-USCC-02: rejects a letter in positions 3-8 as FORMAT (oracle)', () => {
    // 91A100006000373411 has a correct check character; only the structure is wrong.
    expect(checkUscc('91A100006000373411')).toEqual({ ok: false, problem: 'FORMAT' });
  });

  it('ID-USCC-04: a bad embedded organisation code is only a warning (oracle)', () => {
    // 91110000600037342P: check character correct, organisation code 60003734-2 wrong.
    expect(organizationCodeValid('600037342')).toBe(false);
    expect(checkUscc('91110000600037342P')).toEqual({
      ok: true,
      normalized: '91110000600037342P',
      organizationCodeWarning: true,
    });
  });

  it('ID-USCC-03: the check character matches the independent oracle', () => {
    fc.assert(
      fc.property(usccBody17, (first17) => {
        expect(usccCheckCharacter(first17)).toBe(usccOracle(first17));
      }),
    );
  });

  it('ID-USCC-03: a generated code passes and every single-character substitution is caught', () => {
    fc.assert(
      fc.property(
        usccBody17,
        fc.nat({ max: 17 }),
        fc.constantFrom(...USCC_CHARSET),
        (first17, position, replacement) => {
          const valid = first17 + usccCheckCharacter(first17);
          expect(checkUscc(valid)).toMatchObject({ ok: true, normalized: valid });
          fc.pre(valid[position] !== replacement);
          fc.pre(position < 2 || position > 7 || /\d/.test(replacement));
          const tampered = valid.slice(0, position) + replacement + valid.slice(position + 1);
          expect(checkUscc(tampered)).toEqual({ ok: false, problem: 'CHECKSUM' });
        },
      ),
    );
  });
});

describe('dates and age (ID-RIC-03, PLAT-02, CONV-03)', () => {
  it('ID-RIC-03: isRealDate knows month lengths and leap years', () => {
    expect(isRealDate(date(1949, 2, 28))).toBe(true);
    expect(isRealDate(date(1949, 2, 29))).toBe(false);
    expect(isRealDate(date(1949, 2, 30))).toBe(false);
    expect(isRealDate(date(2024, 2, 29))).toBe(true);
    expect(isRealDate(date(1900, 2, 29))).toBe(false);
    expect(isRealDate(date(2000, 2, 29))).toBe(true);
    expect(isRealDate(date(2026, 4, 31))).toBe(false);
    expect(isRealDate(date(2026, 12, 31))).toBe(true);
    expect(isRealDate(date(2026, 13, 1))).toBe(false);
    expect(isRealDate(date(2026, 0, 1))).toBe(false);
    expect(isRealDate(date(2026, 1, 0))).toBe(false);
  });

  it('compareDates orders by year, month, day', () => {
    expect(compareDates(date(2026, 1, 1), date(2025, 12, 31))).toBeGreaterThan(0);
    expect(compareDates(date(2026, 1, 31), date(2026, 2, 1))).toBeLessThan(0);
    expect(compareDates(date(2026, 2, 1), date(2026, 2, 1))).toBe(0);
  });

  it('PLAT-02: is 17 the day before the 18th birthday and 18 on the birthday', () => {
    const born = date(2008, 6, 15);
    expect(ageInYears(born, date(2026, 6, 14))).toBe(17);
    expect(ageInYears(born, date(2026, 6, 15))).toBe(18);
    expect(ageInYears(born, date(2026, 6, 16))).toBe(18);
    expect(ageInYears(born, date(2026, 1, 1))).toBe(17);
    expect(ageInYears(born, date(2027, 6, 14))).toBe(18);
  });

  it('PLAT-02: someone born on 29 February turns 18 on 1 March of a common year', () => {
    const born = date(2008, 2, 29);
    expect(ageInYears(born, date(2026, 2, 28))).toBe(17);
    expect(ageInYears(born, date(2026, 3, 1))).toBe(18);
    // In a leap year the birthday is 29 February itself.
    expect(ageInYears(born, date(2028, 2, 28))).toBe(19);
    expect(ageInYears(born, date(2028, 2, 29))).toBe(20);
  });

  it('PLAT-02: age across the year end', () => {
    const born = date(2008, 12, 31);
    expect(ageInYears(born, date(2026, 12, 30))).toBe(17);
    expect(ageInYears(born, date(2026, 12, 31))).toBe(18);
    expect(ageInYears(born, date(2027, 1, 1))).toBe(18);
  });

  it('CONV-03: shanghaiDate uses UTC+8', () => {
    expect(shanghai('2026-11-28T16:30:00Z')).toEqual(date(2026, 11, 29));
    expect(shanghai('2026-11-28T15:59:59.999Z')).toEqual(date(2026, 11, 28));
    expect(shanghai('2026-11-28T16:00:00Z')).toEqual(date(2026, 11, 29));
    expect(shanghai('2026-12-31T16:00:00Z')).toEqual(date(2027, 1, 1));
    expect(shanghai('2028-02-28T16:00:00Z')).toEqual(date(2028, 2, 29));
  });
});
