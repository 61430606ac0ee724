import { describe, expect, it } from '@jest/globals';
import type { DomainError } from '../../common/errors/domain-error.js';
import { Money } from '../../common/money/money.js';
import { resolveRulePack } from '../../config/rule-packs/rule-pack.js';
import type { CampaignEntity } from '../campaign/campaign.entities.js';
import type { PledgeStanding } from '../investor-classification/classification.service.js';
import type { SpecialWarningText } from '../risk-disclosure/risk-disclosure.types.js';
import {
  type AdmissionInputs,
  admitPledge,
  REFUSAL_RULES,
  refusalRules,
} from './pledge-admission.policy.js';
import { initialWindows } from './pledge.state.js';

/**
 * The read-only checks of a pledge (DESIGN §6, rules-spec §2-§6) as a pure decision: each refusal
 * with its code and details, in the fixed order, and what an admission returns. The e2e specs
 * prove the same codes over HTTP; this one pins every boundary (issue 19's mutation testing).
 */
const pack = resolveRulePack('CN');
const NOW = new Date('2026-06-15T04:00:00.000Z'); // noon in Shanghai, 2026-06-15
const cny = (v: string) => Money.fromDecimalString(v, 'CNY');

const campaign = (over: Partial<CampaignEntity> = {}): CampaignEntity =>
  ({
    id: 'c1',
    kind: 'DEBT',
    status: 'LIVE',
    offering: 'PUBLIC',
    riskRating: 'R3',
    currency: 'CNY',
    deadline: new Date(NOW.getTime() + 86_400_000),
    minPledge: '100.00',
    maxPledge: '5000.00',
    unitPrice: null,
    ...over,
  }) as CampaignEntity;

const standing = (over: Partial<PledgeStanding> = {}): PledgeStanding => ({
  suitability: 'MATCH',
  category: 'ORDINARY',
  qualified: false,
  riskLevel: 'C3',
  lowestCategory: false,
  limit: { kind: 'UNLIMITED' },
  rulePack: 'CN',
  ...over,
});

const WARNING: SpecialWarningText = {
  version: 'v2',
  sha256: 'a'.repeat(64),
  text: 'The product is riskier than your tolerance.',
  investorLevel: 'C2',
  productLevel: 'R4',
};

function inputs(over: Partial<AdmissionInputs> = {}, calls: string[] = []): AdmissionInputs {
  return {
    now: NOW,
    pack,
    investor: {
      kind: 'PERSON',
      realNameVerified: true,
      emailVerified: true,
      birthDate: '1990-01-01',
    },
    campaign: campaign(),
    tier: null,
    qualifiedNow: false,
    ask: { amount: cny('500.00') },
    requireAcknowledgements: () => void calls.push('acknowledgements'),
    standing: () => {
      calls.push('standing');
      return standing();
    },
    specialWarningFor: () => {
      calls.push('warning');
      return WARNING;
    },
    ...over,
  };
}

/** The refusal admitPledge throws, as [code, details]. */
function refusal(input: AdmissionInputs): [string, unknown] {
  try {
    admitPledge(input);
  } catch (error) {
    const e = error as DomainError;
    return [e.code, e.details];
  }
  throw new Error('admitted, expected a refusal');
}

describe('admitPledge: who may pledge (PLAT-01, PLAT-02, issue 13)', () => {
  it('no investor, or no verified real name: IDENTITY.REAL_NAME_REQUIRED', () => {
    expect(refusal(inputs({ investor: null }))[0]).toBe('IDENTITY.REAL_NAME_REQUIRED');
    const unnamed = {
      kind: 'PERSON' as const,
      realNameVerified: false,
      emailVerified: true,
      birthDate: null,
    };
    expect(refusal(inputs({ investor: unnamed }))[0]).toBe('IDENTITY.REAL_NAME_REQUIRED');
  });

  it('an unverified e-mail: IDENTITY.EMAIL_NOT_VERIFIED', () => {
    const investor = {
      kind: 'PERSON' as const,
      realNameVerified: true,
      emailVerified: false,
      birthDate: null,
    };
    expect(refusal(inputs({ investor }))[0]).toBe('IDENTITY.EMAIL_NOT_VERIFIED');
  });

  it('PLAT-02: 18 on the day (Shanghai date) may pledge, one day younger may not', () => {
    const born = (birthDate: string | null) => ({
      kind: 'PERSON' as const,
      realNameVerified: true,
      emailVerified: true,
      birthDate,
    });
    expect(pack.parameters.minimumAgeYears).toBe(18);
    expect(() => admitPledge(inputs({ investor: born('2008-06-15') }))).not.toThrow();
    expect(refusal(inputs({ investor: born('2008-06-16') }))[0]).toBe('IDENTITY.UNDERAGE');
    // an organisation has no birth date: no age check
    expect(() => admitPledge(inputs({ investor: born(null) }))).not.toThrow();
    // the date in Shanghai, not UTC: at 17:00 UTC on the 14th it is already the 15th there
    const evening = new Date('2026-06-14T17:00:00.000Z');
    expect(() => admitPledge(inputs({ now: evening, investor: born('2008-06-15') }))).not.toThrow();
  });
});

describe('admitPledge: the campaign (DESIGN §6, CN-ECF-03)', () => {
  it('no campaign: NOT_FOUND', () => {
    expect(refusal(inputs({ campaign: null }))[0]).toBe('NOT_FOUND');
  });

  it.each(['DRAFT', 'SUSPENDED', 'CLOSING', 'SETTLED'])(
    'a %s campaign: CAMPAIGN.NOT_OPEN',
    (status) => {
      expect(
        refusal(inputs({ campaign: campaign({ status } as Partial<CampaignEntity>) })),
      ).toEqual(['CAMPAIGN.NOT_OPEN', { status }]);
    },
  );

  it('the deadline itself is closed; a millisecond before it is open', () => {
    expect(refusal(inputs({ campaign: campaign({ deadline: NOW }) }))[0]).toBe('CAMPAIGN.NOT_OPEN');
    const open = campaign({ deadline: new Date(NOW.getTime() + 1) });
    expect(() => admitPledge(inputs({ campaign: open }))).not.toThrow();
  });

  it('CN-ECF-03: a private offering takes qualified investors, or one pledge of 1,000,000 or more', () => {
    const priv = campaign({ offering: 'PRIVATE', maxPledge: null });
    expect(refusal(inputs({ campaign: priv }))).toEqual([
      'CLASSIFICATION.NOT_QUALIFIED',
      { rule: 'CN-ECF-03', offering: 'PRIVATE' },
    ]);
    expect(() => admitPledge(inputs({ campaign: priv, qualifiedNow: true }))).not.toThrow();
    const big = { amount: cny('1000000.00') };
    expect(() => admitPledge(inputs({ campaign: priv, ask: big }))).not.toThrow();
    const almost = { amount: cny('999999.99') };
    expect(refusal(inputs({ campaign: priv, ask: almost }))[0]).toBe(
      'CLASSIFICATION.NOT_QUALIFIED',
    );
  });
});

describe('admitPledge: the order of the checks', () => {
  it('acknowledgements before standing, the warning only when one is required', () => {
    const calls: string[] = [];
    const admitted = admitPledge(inputs({}, calls));
    expect(calls).toEqual(['acknowledgements', 'standing']);
    expect(admitted.specialWarning).toBeNull();
  });

  it('a refused acknowledgement stops before the standing is read', () => {
    const calls: string[] = [];
    const input = inputs(
      {
        requireAcknowledgements: () => {
          calls.push('acknowledgements');
          throw new Error('DISCLOSURE.ACKNOWLEDGEMENT_REQUIRED');
        },
      },
      calls,
    );
    expect(() => admitPledge(input)).toThrow('DISCLOSURE.ACKNOWLEDGEMENT_REQUIRED');
    expect(calls).toEqual(['acknowledgements']);
  });

  it('a private offering is refused before the acknowledgements are asked for', () => {
    const calls: string[] = [];
    refusal(inputs({ campaign: campaign({ offering: 'PRIVATE' }) }, calls));
    expect(calls).toEqual([]);
  });
});

describe('admitPledge: suitability (CN-SUIT-09, CN-SUIT-11, CN-SUIT-12)', () => {
  const withStanding = (s: Partial<PledgeStanding>, over: Partial<AdmissionInputs> = {}) =>
    inputs({ standing: () => standing(s), ...over });

  it('BLOCKED: SUITABILITY.BLOCKED with the levels compared', () => {
    expect(
      refusal(withStanding({ suitability: 'BLOCKED', riskLevel: 'C1', lowestCategory: true })),
    ).toEqual([
      'SUITABILITY.BLOCKED',
      {
        riskLevel: 'C1',
        productRisk: 'R3',
        category: 'ORDINARY',
        lowestCategory: true,
        rules: ['CN-SUIT-09', 'CN-SUIT-11', 'CN-SUIT-12'],
      },
    ]);
  });

  it('a special warning required: shown in the refusal, then accepted only by version and hash', () => {
    const needs = { suitability: 'SPECIAL_WARNING_REQUIRED' as const, riskLevel: 'C2' as const };
    expect(refusal(withStanding(needs))).toEqual([
      'SUITABILITY.SPECIAL_WARNING_REQUIRED',
      {
        riskLevel: 'C2',
        productRisk: 'R3',
        category: 'ORDINARY',
        lowestCategory: false,
        rules: ['CN-SUIT-09', 'CN-SUIT-11', 'CN-SUIT-12'],
        warning: WARNING,
      },
    ]);
    const ask = (version: string, sha256: string) => ({
      ask: { amount: cny('500.00'), specialWarning: { version, sha256 } },
    });
    expect(refusal(withStanding(needs, ask('v1', WARNING.sha256)))[0]).toBe(
      'DISCLOSURE.STALE_VERSION',
    );
    expect(refusal(withStanding(needs, ask('v2', 'b'.repeat(64))))[0]).toBe(
      'DISCLOSURE.STALE_VERSION',
    );
    const admitted = admitPledge(withStanding(needs, ask('v2', WARNING.sha256)));
    expect(admitted.specialWarning).toBe(WARNING);
  });

  it('NOT_ELIGIBLE for a limit: refused below 1,000,000 with the offering named, admitted from it', () => {
    const noLimit = { limit: { kind: 'NOT_ELIGIBLE' as const } };
    expect(refusal(withStanding(noLimit))).toEqual([
      'CLASSIFICATION.NOT_QUALIFIED',
      { rule: 'CN-ECF-03', offering: 'PUBLIC' },
    ]);
    const big = { campaign: campaign({ maxPledge: null }), ask: { amount: cny('1000000.00') } };
    expect(() => admitPledge(withStanding(noLimit, big))).not.toThrow();
  });
});

describe('admitPledge: the amount (DESIGN §6, CN-ECF-01, RW)', () => {
  const ask = (amount: string, rewardTierId?: string) => ({
    ask: { amount: cny(amount), ...(rewardTierId ? { rewardTierId } : {}) },
  });

  it('from the minimum to the maximum, both included', () => {
    expect(refusal(inputs(ask('99.99')))).toEqual(['PLEDGE.BELOW_MINIMUM', { minimum: '100.00' }]);
    expect(() => admitPledge(inputs(ask('100.00')))).not.toThrow();
    expect(() => admitPledge(inputs(ask('5000.00')))).not.toThrow();
    expect(refusal(inputs(ask('5000.01')))).toEqual([
      'PLEDGE.ABOVE_MAXIMUM',
      { maximum: '5000.00' },
    ]);
    const noMax = { campaign: campaign({ maxPledge: null }), ...ask('900000.00') };
    expect(() => admitPledge(inputs(noMax))).not.toThrow();
  });

  it('CN-ECF-01: whole units of the unit price', () => {
    const equity = campaign({ kind: 'EQUITY', unitPrice: '250.00' });
    expect(() => admitPledge(inputs({ campaign: equity, ...ask('500.00') }))).not.toThrow();
    expect(refusal(inputs({ campaign: equity, ...ask('500.01') }))).toEqual([
      'PLEDGE.NOT_A_UNIT_MULTIPLE',
      { unitPrice: '250.00' },
    ]);
  });

  it('a reward tier must be one of the campaign and its amount is the least', () => {
    const reward = campaign({ kind: 'REWARD', riskRating: null });
    const tier = { id: 't1', amount: '300.00' };
    expect(refusal(inputs({ campaign: reward, tier: null, ...ask('500.00', 't9') }))[0]).toBe(
      'PLEDGE.REWARD_TIER_INVALID',
    );
    expect(refusal(inputs({ campaign: reward, tier, ...ask('299.99', 't1') }))).toEqual([
      'PLEDGE.BELOW_MINIMUM',
      { minimum: '300.00' },
    ]);
    expect(() =>
      admitPledge(inputs({ campaign: reward, tier, ...ask('300.00', 't1') })),
    ).not.toThrow();
    // without a tier asked for, a tier read is not looked at: a plain contribution
    expect(() => admitPledge(inputs({ campaign: reward, tier, ...ask('100.00') }))).not.toThrow();
  });
});

describe('admitPledge: what an admission returns', () => {
  it.each([
    ['ORDINARY', false],
    ['ORDINARY', true],
    ['PROFESSIONAL', false],
  ] as const)(
    'windows as initialWindows gives them (category %s, qualified %s)',
    (category, qualified) => {
      const s = standing({ category, qualified });
      const admitted = admitPledge(inputs({ standing: () => s }));
      const expected = initialWindows(
        { professionalOrQualified: category === 'PROFESSIONAL' || qualified },
        { kind: 'DEBT', riskRating: 'R3' },
        pack.parameters,
        NOW,
      );
      expect(admitted.windows).toEqual(expected);
      expect(admitted.standing).toBe(s);
      expect(admitted.campaign.id).toBe('c1');
    },
  );

  it('the excused and the ordinary investor get different windows (the case above is not vacuous)', () => {
    const ordinary = admitPledge(inputs()).windows;
    const professional = admitPledge(
      inputs({ standing: () => standing({ category: 'PROFESSIONAL' }) }),
    ).windows;
    expect(ordinary).not.toEqual(professional);
  });

  it('financial for debt and equity, not for rewards', () => {
    expect(admitPledge(inputs()).financial).toBe(true);
    const reward = campaign({ kind: 'REWARD', riskRating: null });
    expect(admitPledge(inputs({ campaign: reward })).financial).toBe(false);
  });
});

describe('refusalRules (CONV-05)', () => {
  it('names the rules of a known code, and D for a design decision', () => {
    const err = (code: string) => ({ code }) as DomainError;
    expect(refusalRules(err('PLEDGE.LIMIT_EXCEEDED'))).toEqual(['INV-9', 'US-CF-02', 'US-CF-03']);
    expect(refusalRules(err('IDENTITY.UNDERAGE'))).toEqual(['PLAT-02']);
    expect(refusalRules(err('PLEDGE.BELOW_MINIMUM'))).toEqual(['D']);
    for (const rules of Object.values(REFUSAL_RULES)) expect(rules.length).toBeGreaterThan(0);
    // every entry names a rule of rules-spec.md (or DESIGN, or D with its reason), none is blank
    const ruleId =
      /^(PLAT-\d\d|CN-[A-Z]+-\d\d(\(\d\))?|US-CF-\d\d|INV-\d+|CONV-\d\d|DESIGN §\d+|D: .+)( \(.+\))?$/;
    const bad = Object.entries(REFUSAL_RULES).flatMap(([code, rules]) =>
      rules.filter((r) => !ruleId.test(r)).map((r) => `${code}: "${r}"`),
    );
    expect(bad).toEqual([]);
    expect(refusalRules(err('CAMPAIGN.NOT_OPEN'))).toEqual(['DESIGN §6', 'PLAT-03']);
  });
});
