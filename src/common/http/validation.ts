import { ValidationPipe, type ValidationError } from '@nestjs/common';
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

/** The global pipe: unknown fields and wrong types are a 400 VALIDATION_FAILED naming each field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
  const instance = plainToInstance(dto, input);
  const errors = await validate(instance, VALIDATOR_OPTIONS);
  if (errors.length > 0) throw new ValidationFailedError(toFieldProblems(errors));
  return instance;
}
