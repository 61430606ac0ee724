import { describe, expect, it } from '@jest/globals';
import { annualReportDueAt, fiscalYearOf, lastDueYear } from './issuer-reports.service.js';

describe('annual report due dates (CN-ECF-07, US-CF-20: 120 days after the fiscal year end)', () => {
  it('the fiscal year is the Beijing calendar year', () => {
    expect(fiscalYearOf(new Date('2026-12-31T15:59:59Z'))).toBe(2026);
    expect(fiscalYearOf(new Date('2026-12-31T16:00:00Z'))).toBe(2027); // midnight in Beijing
  });

  it('fiscal 2026 is due 120 days after 2027-01-01 00:00 Beijing: 2027-05-01 00:00 Beijing', () => {
    expect(annualReportDueAt(2026, 120).toISOString()).toBe('2027-04-30T16:00:00.000Z');
  });

  it('the last year due: none of 2026 before its date, 2026 from it on', () => {
    expect(lastDueYear(new Date('2027-04-30T15:59:59Z'), 120)).toBe(2025);
    expect(lastDueYear(new Date('2027-04-30T16:00:00Z'), 120)).toBe(2026);
    expect(lastDueYear(new Date('2027-12-31T00:00:00Z'), 120)).toBe(2026);
    expect(lastDueYear(new Date('2027-01-15T00:00:00Z'), 0)).toBe(2026);
  });
});
