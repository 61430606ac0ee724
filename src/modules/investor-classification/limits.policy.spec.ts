import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CurrencyMismatchError, Money } from '../../common/money/money.js';
import { CN_PACK, US_REGCF_PACK } from '../../config/rule-packs/rule-pack.js';
import type { InvestorCategory } from './classification.types.js';
import {
  type AnnualLimit,
  annualLimit,
  type LimitInvestor,
  LimitParameterError,
  privateOfferingAllowed,
  remaining,
} from './limits.policy.js';

const cny = (text: string): Money => Money.parse(text, 'CNY', { allowZero: true });
const usd = (text: string): Money => Money.parse(text, 'USD', { allowZero: true });

function cnInvestor(
  annualIncome: string,
  financialAssets: string,
  overrides: { category?: InvestorCategory; qualified?: boolean } = {},
): LimitInvestor {
  return {
    category: overrides.category ?? 'ORDINARY',
    qualified: overrides.qualified ?? false,
    annualIncome: cny(annualIncome),
    financialAssets: cny(financialAssets),
    netWorth: cny('0'),
  };
}

function usInvestor(
  annualIncome: string,
  netWorth: string,
  overrides: { category?: InvestorCategory; qualified?: boolean; accredited?: boolean } = {},
): LimitInvestor {
  return {
    category: overrides.category ?? 'ORDINARY',
    qualified: overrides.qualified ?? false,
    accredited: overrides.accredited ?? false,
    annualIncome: usd(annualIncome),
    financialAssets: usd('0'),
    netWorth: usd(netWorth),
  };
}

/** The limit's amount as a wire string, or its kind when it has no amount. */
function show(limit: AnnualLimit): string {
  return limit.kind === 'LIMITED'
    ? `${limit.amount.toString()} ${limit.amount.currency}`
    : limit.kind;
}

describe('annualLimit US_REGCF: rules-spec §14.2 vectors (US-CF-02/03, 17 CFR 227.100(a)(2))', () => {
  it.each([
    ['30000', '105000', '5250.00', '5% x 105,000 > 2,500'],
    ['150000', '80000', '7500.00', 'net worth < 124k -> 5% x 150,000'],
    ['150000', '130000', '15000.00', 'both >= 124k -> 10% x 150,000'],
    ['124000', '124000', '12400.00', 'both >= 124k (boundary is inclusive)'],
    ['1500000', '2000000', '124000.00', '10% x 2M capped'],
    ['20000', '20000', '2500.00', 'floor'],
    ['40000', '3000000', '124000.00', 'literal 5% = 150,000; US-CF-03 cap applied'],
    ['60000', '50000', '3000.00', '5% x 60,000 (before the prior 1,000)'],
  ])('income %s, net worth %s -> %s (%s)', (income, netWorth, expected) => {
    expect(show(annualLimit(US_REGCF_PACK, usInvestor(income, netWorth), 'PUBLIC'))).toBe(
      `${expected} USD`,
    );
  });

  it('income 60,000, net worth 50,000, prior 1,000 -> remaining 2,000.00 (US-CF-02)', () => {
    const limit = annualLimit(US_REGCF_PACK, usInvestor('60000', '50000'), 'PUBLIC');
    expect(remaining(limit, usd('1000'))).toEqual(usd('2000.00'));
  });
});

describe('annualLimit US_REGCF: edges (US-CF-02..04)', () => {
  it('one figure a cent below the threshold takes the 5% branch (US-CF-02 "or")', () => {
    expect(show(annualLimit(US_REGCF_PACK, usInvestor('124000', '123999.99'), 'PUBLIC'))).toBe(
      '6200.00 USD',
    );
    expect(show(annualLimit(US_REGCF_PACK, usInvestor('123999.99', '124000'), 'PUBLIC'))).toBe(
      '6200.00 USD',
    );
  });

  it('percentages round DOWN to the cent (CONV-01)', () => {
    // 5% x 100,000.19 = 5,000.0095; 10% x 124,000.19 = 12,400.019
    expect(show(annualLimit(US_REGCF_PACK, usInvestor('100000.19', '0'), 'PUBLIC'))).toBe(
      '5000.00 USD',
    );
    expect(show(annualLimit(US_REGCF_PACK, usInvestor('124000.19', '124000'), 'PUBLIC'))).toBe(
      '12400.01 USD',
    );
  });

  it('the floor applies exactly up to 5% = 2,500 (income 50,000.19 -> 2,500.00)', () => {
    expect(show(annualLimit(US_REGCF_PACK, usInvestor('50000.19', '0'), 'PUBLIC'))).toBe(
      '2500.00 USD',
    );
    expect(show(annualLimit(US_REGCF_PACK, usInvestor('50000.20', '0'), 'PUBLIC'))).toBe(
      '2500.01 USD',
    );
  });

  it('accredited, professional or qualified investors are UNLIMITED (US-CF-04)', () => {
    for (const overrides of [
      { accredited: true },
      { category: 'PROFESSIONAL' as const },
      { qualified: true },
    ]) {
      expect(annualLimit(US_REGCF_PACK, usInvestor('1', '1', overrides), 'PUBLIC')).toEqual({
        kind: 'UNLIMITED',
      });
    }
  });

  it('the offering type does not change a Reg CF limit', () => {
    expect(show(annualLimit(US_REGCF_PACK, usInvestor('30000', '105000'), 'PRIVATE'))).toBe(
      '5250.00 USD',
    );
  });

  it('amounts in another currency than the pack are rejected', () => {
    expect(() => annualLimit(US_REGCF_PACK, cnInvestor('30000', '105000'), 'PUBLIC')).toThrow(
      CurrencyMismatchError,
    );
  });
});

describe('annualLimit CN_PUBLIC: ordinary non-qualified investors in PUBLIC offerings (D, CONV-01)', () => {
  it.each([
    ['0', '0', '20000.00', 'nothing declared -> floor'],
    ['100000', '0', '20000.00', '10% = 10,000 -> floor'],
    ['200000', '0', '20000.00', '10% = 20,000 = floor'],
    ['200000.09', '0', '20000.00', '20,000.009 rounds DOWN'],
    ['200000.10', '0', '20000.01', 'just above the floor'],
    ['1234567.89', '0', '123456.78', '10% band, 123,456.789 rounds DOWN'],
    ['4999999.99', '0', '499999.99', 'just below the cap, 499,999.999 rounds DOWN'],
    ['5000000.00', '0', '500000.00', 'cap'],
    ['5000000.10', '0', '500000.00', 'above the cap stays at the cap'],
    ['300000', '1000000', '100000.00', 'financial assets larger'],
    ['1000000', '300000', '100000.00', 'income larger'],
    ['0', '250000.55', '25000.05', 'financial assets only'],
  ])('income %s, financial assets %s -> %s (%s)', (income, assets, expected) => {
    expect(show(annualLimit(CN_PACK, cnInvestor(income, assets), 'PUBLIC'))).toBe(
      `${expected} CNY`,
    );
  });
});

describe('annualLimit CN_PUBLIC: eligibility (CN-ECF-02/03)', () => {
  it.each(['PUBLIC', 'PRIVATE'] as const)(
    'professional or qualified investors are UNLIMITED in %s offerings',
    (offering) => {
      for (const overrides of [{ category: 'PROFESSIONAL' as const }, { qualified: true }]) {
        expect(annualLimit(CN_PACK, cnInvestor('1', '1', overrides), offering)).toEqual({
          kind: 'UNLIMITED',
        });
      }
    },
  );

  it('an ordinary non-qualified investor is NOT_ELIGIBLE for a PRIVATE offering', () => {
    expect(annualLimit(CN_PACK, cnInvestor('490000', '2999999'), 'PRIVATE')).toEqual({
      kind: 'NOT_ELIGIBLE',
    });
  });

  it('a US accredited flag means nothing under the CN model', () => {
    const investor = { ...cnInvestor('100000', '0'), accredited: true };
    expect(show(annualLimit(CN_PACK, investor, 'PUBLIC'))).toBe('20000.00 CNY');
  });
});

describe('privateOfferingAllowed (CN-ECF-03(2))', () => {
  it('a single pledge of 999,999.99 is not enough; 1,000,000.00 is (inclusive)', () => {
    expect(privateOfferingAllowed(CN_PACK, false, cny('999999.99'))).toBe(false);
    expect(privateOfferingAllowed(CN_PACK, false, cny('1000000.00'))).toBe(true);
  });

  it('rules-spec §14.4: assets 2,999,999, income 490,000, pledge 1,000,000 -> eligible', () => {
    const investor = cnInvestor('490000', '2999999');
    expect(annualLimit(CN_PACK, investor, 'PRIVATE').kind).toBe('NOT_ELIGIBLE');
    expect(privateOfferingAllowed(CN_PACK, false, cny('1000000'))).toBe(true);
  });

  it('qualified or professional investors may pledge any amount (CN-ECF-03(1)/(5))', () => {
    expect(privateOfferingAllowed(CN_PACK, true, cny('0.01'))).toBe(true);
  });
});

describe('remaining (US-CF-02 "limit - prior 12 months")', () => {
  const limited: AnnualLimit = { kind: 'LIMITED', amount: cny('20000.00') };

  it('subtracts the amount used', () => {
    expect(remaining(limited, cny('19999.99'))).toEqual(cny('0.01'));
    expect(remaining(limited, cny('0'))).toEqual(cny('20000.00'));
  });

  it('never goes below zero', () => {
    expect(remaining(limited, cny('20000.00'))).toEqual(cny('0'));
    expect(remaining(limited, cny('25000.00'))).toEqual(cny('0'));
  });

  it('UNLIMITED stays unlimited; NOT_ELIGIBLE leaves zero', () => {
    expect(remaining({ kind: 'UNLIMITED' }, cny('1000000'))).toBe('UNLIMITED');
    expect(remaining({ kind: 'NOT_ELIGIBLE' }, cny('0'))).toEqual(cny('0'));
  });

  it('refuses to mix currencies', () => {
    expect(() => remaining(limited, usd('1'))).toThrow(CurrencyMismatchError);
  });
});

describe('rule-pack parameters (CONV-06)', () => {
  it('follow operator overrides', () => {
    const pack = {
      ...CN_PACK,
      parameters: { ...CN_PACK.parameters, publicAnnualLimitFloor: 30_000 },
    };
    expect(show(annualLimit(pack, cnInvestor('100000', '0'), 'PUBLIC'))).toBe('30000.00 CNY');
  });

  it.each([1e21, 0.001, Number.NaN])('an amount parameter of %p is a pack error', (bad) => {
    const pack = { ...CN_PACK, parameters: { ...CN_PACK.parameters, publicAnnualLimitCap: bad } };
    expect(() => annualLimit(pack, cnInvestor('100000', '0'), 'PUBLIC')).toThrow(
      LimitParameterError,
    );
  });

  it('names the parameter and the value in the error', () => {
    const pack = { ...CN_PACK, parameters: { ...CN_PACK.parameters, publicAnnualLimitCap: -1 } };
    let error: unknown;
    try {
      annualLimit(pack, cnInvestor('100000', '0'), 'PUBLIC');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LimitParameterError);
    expect((error as Error).name).toBe('LimitParameterError');
    expect((error as Error).message).toBe(
      'rule-pack parameter publicAnnualLimitCap must be a non-negative amount with at most 2 decimals, got -1',
    );
  });

  it.each([-0.01, Number.NaN, Number.POSITIVE_INFINITY])('a rate of %p is a pack error', (bad) => {
    const pack = { ...CN_PACK, parameters: { ...CN_PACK.parameters, publicAnnualLimitRate: bad } };
    expect(() => annualLimit(pack, cnInvestor('100000', '0'), 'PUBLIC')).toThrow(
      'rule-pack parameter publicAnnualLimitRate must be a non-negative rate',
    );
  });

  it('a zero rate and a zero floor are allowed (the limit is then the floor: zero)', () => {
    const pack = {
      ...CN_PACK,
      parameters: { ...CN_PACK.parameters, publicAnnualLimitRate: 0, publicAnnualLimitFloor: 0 },
    };
    expect(annualLimit(pack, cnInvestor('100000', '0'), 'PUBLIC')).toEqual({
      kind: 'LIMITED',
      amount: cny('0'),
    });
  });

  it('an unknown limit model is a pack error', () => {
    const pack = { ...CN_PACK, limitModel: 'NOPE' } as unknown as typeof CN_PACK;
    expect(() => annualLimit(pack, cnInvestor('1', '0'), 'PUBLIC')).toThrow(
      'unknown limit model NOPE',
    );
  });
});

describe('annualLimit CN_PUBLIC property (D, CONV-01)', () => {
  const floor = cny('20000.00');
  const cap = cny('500000.00');
  const amountArb = fc.bigInt({ min: 0n, max: 10n ** 12n }).map((fen) => Money.fromFen(fen, 'CNY'));

  it('is always within [floor, cap] and never above 10% of the larger figure when above the floor', () => {
    fc.assert(
      fc.property(amountArb, amountArb, (income, assets) => {
        const limit = annualLimit(
          CN_PACK,
          {
            category: 'ORDINARY',
            qualified: false,
            annualIncome: income,
            financialAssets: assets,
            netWorth: cny('0'),
          },
          'PUBLIC',
        );
        if (limit.kind !== 'LIMITED') return false;
        const larger = income.fen > assets.fen ? income.fen : assets.fen;
        const amount = limit.amount.fen;
        expect(amount >= floor.fen && amount <= cap.fen).toBe(true);
        if (amount > floor.fen) {
          expect(amount * 10n <= larger).toBe(true);
          // ...and rounded DOWN: one more fen would exceed 10% unless the cap bound it.
          if (amount < cap.fen) expect((amount + 1n) * 10n > larger).toBe(true);
        }
        return true;
      }),
      { numRuns: 1000 },
    );
  });
});
