import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate } from 'class-validator';
import { type FieldProblem, ValidationFailedError } from '../errors/domain-error.js';

const VALIDATOR_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
} as const;

/** Flattens class-validator's tree to one entry per field path ("answers.0.optionId"). */
export function toFieldProblems(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own: FieldProblem[] = error.constraints
      ? [{ field, problems: Object.values(error.constraints) }]
      : [];
    return [...own, ...toFieldProblems(error.children ?? [], field)];
  });
}

/**
 * Deeper than any request the API defines (the deepest, an assessment, is 3). class-transformer
 * and class-validator walk input recursively, so a body nested a few thousand levels deep
 * (cheap to send, well under the body limit) overflowed the stack and was answered 500.
 */
export const MAX_INPUT_DEPTH = 32;

/** With the `u` flag a surrogate range matches only surrogates that are not part of a pair. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;

/**
 * The first problem no DTO can catch in time: input nested more than `maxDepth` levels deep; a
 * string holding U+0000, which Postgres text cannot store (it failed the query: a 500); or a lone
 * UTF-16 surrogate, which is not text at all (validator's isEmail threw on it: a 500; and UTF-8
 * encoding would silently turn it into U+FFFD). Walks iteratively, so the walk cannot overflow.
 */
export function hostileInputProblem(value: unknown, maxDepth: number): string | undefined {
  const textProblem = (text: string): string | undefined =>
    text.includes('\u0000')
      ? 'must not contain the NUL character (U+0000)'
      : LONE_SURROGATE.test(text)
        ? 'must be valid Unicode text (a lone surrogate is not)'
        : undefined;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) return problem;
      continue;
    }
    // Raw uploads (a statement's Buffer) are bytes, not nested input.
    if (typeof current !== 'object' || current === null || ArrayBuffer.isView(current)) continue;
    if (depth >= maxDepth) return `must not nest more than ${maxDepth} levels deep`;
    for (const [key, child] of Object.entries(current)) {
      const problem = textProblem(key);
      if (problem) return problem;
      stack.push([child, depth + 1]);
    }
  }
  return undefined;
}

/** Refuses hostile input (hostileInputProblem) as the global pipe does, naming where it was. */
export function assertShallow(value: unknown, where: string): void {
  const problem = hostileInputProblem(value, MAX_INPUT_DEPTH);
  if (problem) throw new ValidationFailedError([{ field: where, problems: [problem] }]);
}

class BoundedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    assertShallow(value, `(${metadata.type})`);
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/** The global pipe: unknown fields and wrong types are a 400 VALIDATION_FAILED naming each field. */
export function createValidationPipe(): ValidationPipe {
  return new BoundedValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailedError(toFieldProblems(errors)),
  });
}

/** Validates a body whose shape depends on state (for example the user's kind). */
export async function validateInput<T extends object>(
  dto: ClassConstructor<T>,
  input: unknown,
): Promise<T> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationFailedError([{ field: '(body)', problems: ['must be a JSON object'] }]);
  }
  assertShallow(input, '(body)');
  const instance = plainToInstance(dto, input);
  const errors = await validate(instance, VALIDATOR_OPTIONS);
  if (errors.length > 0) throw new ValidationFailedError(toFieldProblems(errors));
  return instance;
}
