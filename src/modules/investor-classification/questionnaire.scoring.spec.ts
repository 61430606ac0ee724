import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { RiskLevel } from './classification.types.js';
import { type Questionnaire, QUESTIONNAIRE_CN_V1 } from './questionnaire-cn-v1.js';
import { type Answer, riskLevelForScore, scoreAssessment } from './questionnaire.scoring.js';

const Q = QUESTIONNAIRE_CN_V1;

/** CN-SUIT-07 bands written out by hand. */
function expectedLevel(score: number): RiskLevel {
  if (score >= 80) return 'C5';
  if (score >= 60) return 'C4';
  if (score >= 40) return 'C3';
  if (score >= 20) return 'C2';
  return 'C1';
}

/** The option of each question with the lowest (or highest) score. */
function extremeAnswers(pick: 'min' | 'max'): Answer[] {
  return Q.questions.map((question) => {
    const sorted = [...question.options].sort((a, b) =>
      pick === 'min' ? a.score - b.score : b.score - a.score,
    );
    return { questionId: question.id, optionId: sorted[0].id };
  });
}

/**
 * A complete answer set from the real questionnaire whose total is exactly `target`, avoiding
 * lowest-category options unless `allowLowest` (depth-first search with memoised dead ends).
 */
function answersForTotal(target: number, allowLowest = false): Answer[] | undefined {
  const dead = new Set<string>();
  const search = (index: number, left: number): Answer[] | undefined => {
    if (index === Q.questions.length) return left === 0 ? [] : undefined;
    const key = `${index}:${left}`;
    if (left < 0 || dead.has(key)) return undefined;
    const question = Q.questions[index];
    for (const option of question.options) {
      if (option.lowestCategory === true && !allowLowest) continue;
      const rest = search(index + 1, left - option.score);
      if (rest) return [{ questionId: question.id, optionId: option.id }, ...rest];
    }
    dead.add(key);
    return undefined;
  };
  return search(0, target);
}

function withOption(answers: Answer[], questionId: string, optionId: string): Answer[] {
  return answers.map((a) => (a.questionId === questionId ? { questionId, optionId } : a));
}

describe('QUESTIONNAIRE_CN_V1 data (CN-SUIT-06, CN-SUIT-07, CN-SUIT-10)', () => {
  it('is version CN-2026.1 with at least 10 questions and unique, stable ids', () => {
    expect(Q.version).toBe('CN-2026.1');
    expect(Q.questions.length).toBeGreaterThanOrEqual(10);
    const questionIds = Q.questions.map((q) => q.id);
    expect(new Set(questionIds).size).toBe(questionIds.length);
    for (const question of Q.questions) {
      expect(question.id).toMatch(/^q\d{2}$/);
      expect(question.options.length).toBeGreaterThanOrEqual(2);
      for (const option of question.options)
        expect(option.id).toMatch(new RegExp(`^${question.id}[a-z]$`));
    }
    const optionIds = Q.questions.flatMap((q) => q.options.map((o) => o.id));
    expect(new Set(optionIds).size).toBe(optionIds.length);
  });

  it('covers the CN-SUIT-06 categories', () => {
    expect(Q.questions.map((q) => q.category)).toEqual(
      expect.arrayContaining([
        'INCOME_SOURCE',
        'INCOME_AMOUNT',
        'ASSETS',
        'DEBTS',
        'INVESTMENT_KNOWLEDGE',
        'INVESTMENT_EXPERIENCE',
        'INVESTMENT_HORIZON',
        'EXPECTED_RETURN_AND_RISK_PREFERENCE',
        'ACCEPTABLE_LOSS',
        'AGE_AND_CAPACITY',
        'SHARE_OF_ASSETS',
      ]),
    );
  });

  it('has a maximum total of exactly 100 and a minimum of 0 (CN-SUIT-07)', () => {
    const max = Q.questions.reduce((t, q) => t + Math.max(...q.options.map((o) => o.score)), 0);
    const min = Q.questions.reduce((t, q) => t + Math.min(...q.options.map((o) => o.score)), 0);
    expect(max).toBe(100);
    expect(min).toBe(0);
    expect(scoreAssessment(Q, extremeAnswers('max'))).toEqual({
      score: 100,
      riskLevel: 'C5',
      lowestCategory: false,
    });
    expect(scoreAssessment(Q, extremeAnswers('min'))).toMatchObject({ score: 0, riskLevel: 'C1' });
  });

  it('marks "no loss of principal" and "no full civil capacity" as lowest category (CN-SUIT-10)', () => {
    const lowest = Q.questions.flatMap((q) =>
      q.options.filter((o) => o.lowestCategory === true).map((o) => o.id),
    );
    expect(lowest.sort()).toEqual(['q10a', 'q11f']);
  });

  it('is deeply frozen', () => {
    expect(Object.isFrozen(Q)).toBe(true);
    expect(Object.isFrozen(Q.questions)).toBe(true);
    expect(Object.isFrozen(Q.questions[0].options[0])).toBe(true);
  });

  it('imports nothing, so the migration can load it on its own', () => {
    const source = readFileSync(
      join(process.cwd(), 'src/modules/investor-classification/questionnaire-cn-v1.ts'),
      'utf8',
    );
    expect(source).not.toMatch(/^\s*import\s/m);
    expect(source).not.toMatch(/\brequire\(/);
  });
});

describe('scoreAssessment: CN-SUIT-07 band edges on the real questionnaire', () => {
  it.each([
    [2, 'C1'],
    [19, 'C1'],
    [20, 'C2'],
    [39, 'C2'],
    [40, 'C3'],
    [59, 'C3'],
    [60, 'C4'],
    [79, 'C4'],
    [80, 'C5'],
    [100, 'C5'],
  ] as const)('a total of %i -> %s', (total, level) => {
    const answers = answersForTotal(total);
    expect(answers).toBeDefined();
    expect(scoreAssessment(Q, answers ?? [])).toEqual({
      score: total,
      riskLevel: level,
      lowestCategory: false,
    });
  });

  it('a total of 0 needs the q10a lowest-category option and gives C1 lowest', () => {
    expect(answersForTotal(0)).toBeUndefined();
    expect(scoreAssessment(Q, answersForTotal(0, true) ?? [])).toEqual({
      score: 0,
      riskLevel: 'C1',
      lowestCategory: true,
    });
  });

  it('riskLevelForScore bands 0 and 100 and each edge by hand (CN-SUIT-07)', () => {
    for (const score of [0, 19, 20, 39, 40, 59, 60, 79, 80, 100]) {
      expect(riskLevelForScore(score)).toBe(expectedLevel(score));
    }
  });

  it('accepts answers in any order', () => {
    const answers = answersForTotal(59) ?? [];
    expect(scoreAssessment(Q, [...answers].reverse())).toMatchObject({
      score: 59,
      riskLevel: 'C3',
    });
  });

  it('uses custom bands when given', () => {
    expect(scoreAssessment(Q, answersForTotal(50) ?? [], [0, 10, 20, 30, 50])).toMatchObject({
      riskLevel: 'C5',
    });
    expect(() => scoreAssessment(Q, answersForTotal(50) ?? [], [0, 20, 20, 60, 80])).toThrow(
      RangeError,
    );
    expect(() => scoreAssessment(Q, answersForTotal(50) ?? [], [0, 20, 40, 60])).toThrow(
      RangeError,
    );
    expect(() => riskLevelForScore(10, [5, 20, 40, 60, 80])).toThrow(RangeError);
  });

  it('property: every complete answer set scores the sum of its options in the hand-written band', () => {
    const answerSetArb = fc.tuple(
      ...Q.questions.map((question) => fc.constantFrom(...question.options)),
    );
    fc.assert(
      fc.property(answerSetArb, (options) => {
        const answers = options.map((o, i) => ({ questionId: Q.questions[i].id, optionId: o.id }));
        const total = options.reduce((t, o) => t + o.score, 0);
        const lowest = options.some((o) => o.lowestCategory === true);
        expect(scoreAssessment(Q, answers)).toEqual({
          score: total,
          riskLevel: lowest ? 'C1' : expectedLevel(total),
          lowestCategory: lowest,
        });
      }),
      { numRuns: 500 },
    );
  });
});

describe('scoreAssessment: lowest-risk-tolerance forcing (CN-SUIT-10, CN-SUIT-07)', () => {
  it('"cannot accept any loss" forces C1 lowest even with every other answer at the top (90)', () => {
    expect(scoreAssessment(Q, withOption(extremeAnswers('max'), 'q10', 'q10a'))).toEqual({
      score: 90,
      riskLevel: 'C1',
      lowestCategory: true,
    });
  });

  it('"no full civil capacity" forces C1 lowest (94)', () => {
    expect(scoreAssessment(Q, withOption(extremeAnswers('max'), 'q11', 'q11f'))).toEqual({
      score: 94,
      riskLevel: 'C1',
      lowestCategory: true,
    });
  });
});

describe('scoreAssessment: answer errors (CN-SUIT-06: every question exactly once)', () => {
  const full = extremeAnswers('max');

  it('reports each unanswered question on `answers`', () => {
    const result = scoreAssessment(
      Q,
      full.filter((a) => a.questionId !== 'q05' && a.questionId !== 'q12'),
    );
    expect(result).toEqual({
      error: [
        { field: 'answers', problem: 'question q05 is not answered' },
        { field: 'answers', problem: 'question q12 is not answered' },
      ],
    });
  });

  it('an empty answer list misses every question', () => {
    const result = scoreAssessment(Q, []);
    expect('error' in result && result.error.length).toBe(Q.questions.length);
  });

  it('reports an unknown question id at its index', () => {
    expect(scoreAssessment(Q, [...full, { questionId: 'q99', optionId: 'q99a' }])).toEqual({
      error: [{ field: `answers.${full.length}.questionId`, problem: 'unknown question' }],
    });
  });

  it('reports an unknown option id, including one from another question', () => {
    const answers = withOption(withOption(full, 'q03', 'q03z'), 'q04', 'q05a');
    expect(scoreAssessment(Q, answers)).toEqual({
      error: [
        { field: 'answers.2.optionId', problem: 'unknown option for question q03' },
        { field: 'answers.3.optionId', problem: 'unknown option for question q04' },
      ],
    });
  });

  it('reports a duplicate answer at the later index, even with the same option', () => {
    expect(scoreAssessment(Q, [...full, full[0]])).toEqual({
      error: [
        {
          field: `answers.${full.length}.questionId`,
          problem: 'question q01 is answered more than once',
        },
      ],
    });
  });

  it('reports several problems together', () => {
    const answers: Answer[] = [
      ...full.slice(1),
      { questionId: 'q02', optionId: 'q02a' },
      { questionId: 'nope', optionId: 'q01a' },
    ];
    const result = scoreAssessment(Q, answers);
    expect(result).toEqual({
      error: [
        {
          field: `answers.${full.length - 1}.questionId`,
          problem: 'question q02 is answered more than once',
        },
        { field: `answers.${full.length}.questionId`, problem: 'unknown question' },
        { field: 'answers', problem: 'question q01 is not answered' },
      ],
    });
  });

  it('works on any questionnaire passed in (e.g. one loaded from the database)', () => {
    const tiny: Questionnaire = JSON.parse(
      JSON.stringify({
        version: 'T',
        questions: [
          { id: 'a', category: 'X', text: 'A', options: [{ id: 'a1', text: '', score: 25 }] },
        ],
      }),
    ) as Questionnaire;
    expect(scoreAssessment(tiny, [{ questionId: 'a', optionId: 'a1' }])).toEqual({
      score: 25,
      riskLevel: 'C2',
      lowestCategory: false,
    });
  });
});
