import { describe, expect, it } from '@jest/globals';
import { Money } from '../../common/money/money.js';
import { CN_PACK } from '../../config/rule-packs/rule-pack.js';
import { evaluateApplication } from './applications.policy.js';

const figures = (
  annualIncome: string,
  financialAssets: string,
  netWorth: string,
  years: number,
) => ({
  annualIncome: Money.parse(annualIncome, 'CNY', { allowZero: true }),
  financialAssets: Money.parse(financialAssets, 'CNY', { allowZero: true }),
  netWorth: Money.parse(netWorth, 'CNY', { allowZero: true }),
  investmentExperienceYears: years,
});

describe('opt-up and qualification thresholds', () => {
  it.each([
    [
      'CN-SUIT-04(b): financial assets at 3,000,000 with 1 year',
      figures('0', '3000000.00', '0', 1),
      true,
    ],
    ['CN-SUIT-04(b): income at 300,000 with 1 year', figures('300000.00', '0', '0', 1), true],
    [
      'CN-SUIT-04(b): 2,999,999.99 and 299,999.99 fall short',
      figures('299999.99', '2999999.99', '0', 5),
      false,
    ],
    ['CN-SUIT-04(b): enough assets but no experience', figures('0', '9000000.00', '0', 0), false],
  ])('%s', (_name, f, met) => {
    expect(evaluateApplication(CN_PACK, 'PROFESSIONAL', 'PERSON', f).met).toBe(met);
  });

  it('CN-SUIT-04(a): an organisation needs net assets, financial assets and experience together', () => {
    expect(
      evaluateApplication(
        CN_PACK,
        'PROFESSIONAL',
        'ORGANIZATION',
        figures('0', '5000000.00', '10000000.00', 1),
      ).met,
    ).toBe(true);
    const short = evaluateApplication(
      CN_PACK,
      'PROFESSIONAL',
      'ORGANIZATION',
      figures('0', '4999999.99', '10000000.00', 1),
    );
    expect(short).toMatchObject({ met: false, unmet: ['financialAssets >= 5000000.00'] });
  });

  it.each([
    ['CN-ECF-03(5): financial assets at 3,000,000', figures('0', '3000000.00', '0', 0), true],
    ['CN-ECF-03(5): income at 500,000', figures('500000.00', '0', '0', 0), true],
    [
      'CN-ECF-03(5): §14.4 individual with 2,999,999 and 490,000 is not qualified by figures',
      figures('490000.00', '2999999.00', '0', 9),
      false,
    ],
  ])('%s', (_name, f, met) => {
    expect(evaluateApplication(CN_PACK, 'QUALIFIED', 'PERSON', f).met).toBe(met);
  });

  it('CN-ECF-03(4): an organisation is qualified with net assets of 10,000,000', () => {
    expect(
      evaluateApplication(CN_PACK, 'QUALIFIED', 'ORGANIZATION', figures('0', '0', '10000000.00', 0))
        .met,
    ).toBe(true);
    expect(
      evaluateApplication(CN_PACK, 'QUALIFIED', 'ORGANIZATION', figures('0', '0', '9999999.99', 0))
        .ruleIds,
    ).toContain('CN-ECF-03(4)');
  });
});
