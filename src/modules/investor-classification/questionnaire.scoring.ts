import { RISK_LEVELS, type RiskLevel } from './classification.types.js';
import type { Questionnaire } from './questionnaire-cn-v1.js';

export interface Answer {
  questionId: string;
  optionId: string;
}

export interface AnswerProblem {
  /** `answers.<index>.questionId`, `answers.<index>.optionId`, or `answers` for missing questions. */
  field: string;
  problem: string;
}

export type AssessmentScore =
  { score: number; riskLevel: RiskLevel; lowestCategory: boolean } | { error: AnswerProblem[] };

/** CN-SUIT-07 (D): lower bounds of C1..C5: C1 0-19, C2 20-39, C3 40-59, C4 60-79, C5 80-100. */
export const DEFAULT_SCORE_BANDS: readonly number[] = Object.freeze([0, 20, 40, 60, 80]);

/** The C level whose band holds `score`; `bands` are the ascending lower bounds of C1..C5. */
export function riskLevelForScore(
  score: number,
  bands: readonly number[] = DEFAULT_SCORE_BANDS,
): RiskLevel {
  if (
    bands.length !== RISK_LEVELS.length ||
    bands[0] !== 0 ||
    bands.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= bands[i - 1]))
  ) {
    throw new RangeError('score bands must be 5 strictly ascending lower bounds starting at 0');
  }
  let level = 0;
  for (let i = 1; i < bands.length; i++) if (score >= bands[i]) level = i;
  return RISK_LEVELS[level];
}

/**
 * Scores a completed questionnaire (CN-SUIT-06/07/10). Every question must be answered exactly
 * once with one of its options; problems are reported per field. The score is the sum of the chosen
 * options' scores, banded into C1..C5 (CN-SUIT-07); any lowest-category option forces C1 and the
 * lowest-risk-tolerance flag (CN-SUIT-10), whatever the total.
 */
export function scoreAssessment(
  q: Questionnaire,
  answers: readonly Answer[],
  bands: readonly number[] = DEFAULT_SCORE_BANDS,
): AssessmentScore {
  riskLevelForScore(0, bands); // rejects malformed bands up front
  const questions = new Map(q.questions.map((question) => [question.id, question]));
  const answered = new Set<string>();
  const errors: AnswerProblem[] = [];
  let score = 0;
  let lowestCategory = false;

  answers.forEach((answer, index) => {
    const question = questions.get(answer.questionId);
    if (question === undefined) {
      errors.push({ field: `answers.${index}.questionId`, problem: 'unknown question' });
      return;
    }
    if (answered.has(question.id)) {
      errors.push({
        field: `answers.${index}.questionId`,
        problem: `question ${question.id} is answered more than once`,
      });
      return;
    }
    answered.add(question.id);
    const option = question.options.find((o) => o.id === answer.optionId);
    if (option === undefined) {
      errors.push({
        field: `answers.${index}.optionId`,
        problem: `unknown option for question ${question.id}`,
      });
      return;
    }
    score += option.score;
    if (option.lowestCategory === true) lowestCategory = true;
  });

  for (const question of q.questions) {
    if (!answered.has(question.id)) {
      errors.push({ field: 'answers', problem: `question ${question.id} is not answered` });
    }
  }
  if (errors.length > 0) return { error: errors };

  const riskLevel = lowestCategory ? 'C1' : riskLevelForScore(score, bands); // CN-SUIT-10
  return { score, riskLevel, lowestCategory };
}
