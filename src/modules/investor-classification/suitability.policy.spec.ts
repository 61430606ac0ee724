import { describe, expect, it } from '@jest/globals';
import {
  PRODUCT_RISKS,
  type ProductRisk,
  type RiskLevel,
  type SuitabilityOutcome,
} from './classification.types.js';
import { decideSuitability, SUITABILITY_RULE_IDS } from './suitability.policy.js';

const M: SuitabilityOutcome = 'MATCH';
const W: SuitabilityOutcome = 'SPECIAL_WARNING_REQUIRED';
const B: SuitabilityOutcome = 'BLOCKED';

/**
 * CN-SUIT-09 direct-match table with CN-SUIT-11 for the rest, written out by hand (not computed):
 * ordinary investor (not lowest category) row C, product column R.
 */
const ORDINARY_TABLE: readonly [RiskLevel, ProductRisk, SuitabilityOutcome][] = [
  ['C1', 'R1', M],
  ['C1', 'R2', W],
  ['C1', 'R3', W],
  ['C1', 'R4', W],
  ['C1', 'R5', W],
  ['C2', 'R1', M],
  ['C2', 'R2', M],
  ['C2', 'R3', W],
  ['C2', 'R4', W],
  ['C2', 'R5', W],
  ['C3', 'R1', M],
  ['C3', 'R2', M],
  ['C3', 'R3', M],
  ['C3', 'R4', W],
  ['C3', 'R5', W],
  ['C4', 'R1', M],
  ['C4', 'R2', M],
  ['C4', 'R3', M],
  ['C4', 'R4', M],
  ['C4', 'R5', W],
  ['C5', 'R1', M],
  ['C5', 'R2', M],
  ['C5', 'R3', M],
  ['C5', 'R4', M],
  ['C5', 'R5', M],
];

/** CN-SUIT-09 "C1-lowest -> R1 only", CN-SUIT-12(5) for the rest. */
const LOWEST_TABLE: readonly [ProductRisk, SuitabilityOutcome][] = [
  ['R1', M],
  ['R2', B],
  ['R3', B],
  ['R4', B],
  ['R5', B],
];

describe('decideSuitability: ordinary investors (CN-SUIT-09, CN-SUIT-11)', () => {
  it('the hand-written table covers all 25 (C, R) pairs exactly once', () => {
    const pairs = new Set(ORDINARY_TABLE.map(([c, r]) => `${c}/${r}`));
    expect(pairs.size).toBe(25);
  });

  it.each(ORDINARY_TABLE)('ordinary %s + %s -> %s', (riskLevel, productRisk, expected) => {
    expect(
      decideSuitability({ category: 'ORDINARY', riskLevel, lowestCategory: false }, productRisk),
    ).toBe(expected);
  });
});

describe('decideSuitability: professional investors (CN-SUIT-09: R1-R5, not further graded)', () => {
  it.each(PRODUCT_RISKS)('professional + %s -> MATCH', (productRisk) => {
    expect(
      decideSuitability(
        { category: 'PROFESSIONAL', riskLevel: 'C1', lowestCategory: false },
        productRisk,
      ),
    ).toBe('MATCH');
  });
});

describe('decideSuitability: lowest-risk-tolerance category (CN-SUIT-10, CN-SUIT-12(5))', () => {
  it.each(LOWEST_TABLE)('C1 lowest + %s -> %s', (productRisk, expected) => {
    expect(
      decideSuitability(
        { category: 'ORDINARY', riskLevel: 'C1', lowestCategory: true },
        productRisk,
      ),
    ).toBe(expected);
  });

  it('the lowest flag limits to R1 even on an inconsistent record with a higher C level (CN-SUIT-09 "ever")', () => {
    expect(
      decideSuitability({ category: 'ORDINARY', riskLevel: 'C5', lowestCategory: true }, 'R1'),
    ).toBe('MATCH');
    expect(
      decideSuitability({ category: 'ORDINARY', riskLevel: 'C5', lowestCategory: true }, 'R2'),
    ).toBe('BLOCKED');
  });
});

describe('decideSuitability: rules-spec §14.4 vectors', () => {
  it('C3 ordinary, not lowest, R5 -> SPECIAL_WARNING_REQUIRED (CN-SUIT-11)', () => {
    expect(
      decideSuitability({ category: 'ORDINARY', riskLevel: 'C3', lowestCategory: false }, 'R5'),
    ).toBe('SPECIAL_WARNING_REQUIRED');
  });

  it('C1 lowest, R2 -> BLOCKED (CN-SUIT-12(5))', () => {
    expect(
      decideSuitability({ category: 'ORDINARY', riskLevel: 'C1', lowestCategory: true }, 'R2'),
    ).toBe('BLOCKED');
  });
});

describe('SUITABILITY_RULE_IDS', () => {
  it('names the rules behind every outcome and is frozen', () => {
    expect(SUITABILITY_RULE_IDS.MATCH).toContain('CN-SUIT-09');
    expect(SUITABILITY_RULE_IDS.SPECIAL_WARNING_REQUIRED).toContain('CN-SUIT-11');
    expect(SUITABILITY_RULE_IDS.BLOCKED).toContain('CN-SUIT-12(5)');
    expect(Object.isFrozen(SUITABILITY_RULE_IDS)).toBe(true);
  });
});
