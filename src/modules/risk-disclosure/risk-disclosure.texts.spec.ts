import { describe, expect, it } from '@jest/globals';
import {
  composeCampaignDisclosureBody,
  CURRENT_SPECIAL_WARNING_VERSION,
  isKnownSpecialWarningVersion,
  sha256Hex,
  specialWarningText,
  STANDARD_CAMPAIGN_WARNINGS,
} from './risk-disclosure.texts.js';
import { DISCLOSURE_CAMPAIGN_KINDS } from './risk-disclosure.types.js';

describe('disclosure texts', () => {
  it('sha256Hex is the FIPS 180-2 vector for "abc" and hashes UTF-8 bytes', () => {
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(sha256Hex('é')).toBe(sha256Hex('\u00e9'));
    expect(sha256Hex('é')).not.toBe(sha256Hex('e\u0301')); // no normalisation: exact text only
  });

  it.each(DISCLOSURE_CAMPAIGN_KINDS)(
    'CN-ECF-07/CN-SUIT-15: a %s disclosure ends with that kind’s versioned standard warning',
    (kind) => {
      const body = composeCampaignDisclosureBody('Founder text.\n\n', kind);
      expect(body).toBe(`Founder text.\n\n${STANDARD_CAMPAIGN_WARNINGS[kind].text}`);
      expect(STANDARD_CAMPAIGN_WARNINGS[kind].version).toMatch(new RegExp(`^RW-${kind}-`));
      expect(STANDARD_CAMPAIGN_WARNINGS[kind].text).toContain(
        STANDARD_CAMPAIGN_WARNINGS[kind].version,
      );
    },
  );

  it('equity and debt warnings cover loss of principal, illiquidity and CN-ECF-07', () => {
    for (const kind of ['EQUITY', 'DEBT'] as const) {
      const text = STANDARD_CAMPAIGN_WARNINGS[kind].text;
      expect(text).toMatch(/lose (all|part or all)/);
      expect(text).toMatch(/illiquid/);
      expect(text).toContain('CN-ECF-07');
    }
    expect(Object.isFrozen(STANDARD_CAMPAIGN_WARNINGS)).toBe(true);
  });

  it('CN-SUIT-11: the special warning names both levels; unknown versions are refused', () => {
    expect(isKnownSpecialWarningVersion(CURRENT_SPECIAL_WARNING_VERSION)).toBe(true);
    const text = specialWarningText(CURRENT_SPECIAL_WARNING_VERSION, 'C3', 'R5');
    expect(text).toContain('C3');
    expect(text).toContain('R5');
    expect(text).toContain(CURRENT_SPECIAL_WARNING_VERSION);
    expect(specialWarningText(CURRENT_SPECIAL_WARNING_VERSION, 'C3', 'R5')).toBe(text);
    expect(isKnownSpecialWarningVersion('SW-1999.1')).toBe(false);
    expect(isKnownSpecialWarningVersion('toString')).toBe(false);
    expect(() => specialWarningText('SW-1999.1', 'C3', 'R5')).toThrow(RangeError);
  });
});
